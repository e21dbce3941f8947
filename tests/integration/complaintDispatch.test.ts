/**
 * Dispatch that explains itself (issue 14 item 4), over HTTP on the real servers: product and
 * category map to skills (a defective fridge needs refrigeration, not "defect"), the reasons
 * are kept on the complaint for the dispatch task, and the customer is told who is coming and
 * why, without the staff-only reasons (load, ratings).
 */
import { deployShippedProcesses } from '../../server/complaints/shippedProcesses';
import { seedDirectory } from '../../server/domain/seed';
import { eventually, startStack, type Stack } from '../support/stack';
import { complete, intake, openTask, statusIs } from './complaintSupport';

interface Recommended { staffId: string; name: string; reasons: string[] }
interface Detail { engineer: string | null; dispatch: { recommended: Recommended[]; recommendedAt: string } | null; coming?: unknown; servedBy?: string | null }

const staffRecord = (id: string, name: string, skills: string[], products: string[], lat: number) => ({
  _id: id, name, roles: ['engineer'], skills, products, outletId: null, regions: [], languages: ['English'],
  home: { lat, lon: 121.47 }, currentLoad: 0, maxLoad: 5, onDuty: true, satisfaction: { sum: 0, count: 0, rate: 0 },
});

describe('dispatch that explains itself', () => {
  let stack: Stack;

  beforeAll(async () => {
    stack = await startStack();
    await deployShippedProcesses(stack.services.definitions);
    await seedDirectory(stack.mongo, {
      departments: [{ _id: 'dep-after-sales', key: 'after-sales', name: 'After-sales', candidateGroup: 'after-sales' }],
      outlets: [],
      staff: [
        // nearer, but an electrician: before issue 14 nobody's skill matched "defect", so distance decided
        staffRecord('staff-near-electric', 'Ed Near', ['electrical'], ['oven'], 31.2305),
        staffRecord('staff-fridge', 'Fay Fridge', ['refrigeration'], ['fridge'], 31.26),
      ],
      customers: [{ _id: 'cust-dispatch', name: 'Dee Dispatch', tier: 'standard', region: 'Shanghai', language: 'English' }],
    });
  });

  afterAll(async () => {
    await stack?.stop();
  });

  it('ranks by the skills product and category need, keeps the reasons, and tells the customer who is coming', async () => {
    // when a defective fridge is filed
    const customer = stack.as({ roles: ['customer'], customerId: 'cust-dispatch' });
    const filed = await customer<{ id: string }>('POST', '/api/complaints', intake('cust-dispatch', {
      product: 'Fridge F3', title: 'Fridge broken', description: 'The fridge stopped working', location: { lat: 31.23, lon: 121.47 },
    }));
    expect(filed.status).toBe(201);
    const id = filed.body.id;

    // then the refrigeration engineer is recommended first, for the skill and the product
    const dispatch = await openTask(stack, id, 'DispatchRecommended');
    expect(dispatch.assignee).toBe('staff-fridge');
    const staffView = await stack.api<Detail>('GET', `/api/complaints/${id}`);
    const [first, second] = staffView.body.dispatch!.recommended;
    expect(first).toMatchObject({ staffId: 'staff-fridge', name: 'Fay Fridge' });
    expect(first!.reasons).toEqual(expect.arrayContaining(['skill: refrigeration', 'product: Fridge F3', 'load 0/5', 'not rated yet']));
    expect(second!.staffId).toBe('staff-near-electric');
    expect(second!.reasons.some((r) => r.startsWith('skill:'))).toBe(false);

    // and once dispatched, the customer sees who is coming and why, without load or ratings
    const user = await stack.createUser({ roles: ['engineer'], groups: ['after-sales'], staffId: 'staff-fridge' });
    const engineer = (await stack.login(user.email, user.password)).api;
    await complete(stack, engineer, id, 'DispatchRecommended');
    await statusIs(stack, id, 'in_progress');
    const seen = await customer<Detail>('GET', `/api/complaints/${id}`);
    expect(seen.body).toMatchObject({ servedBy: 'staff-fridge' });
    expect(seen.body.dispatch).toBeUndefined();
    expect(seen.body.coming).toEqual({ name: 'Fay Fridge', distanceKm: expect.any(Number), reasons: expect.arrayContaining(['skill: refrigeration', 'product: Fridge F3']) });
    expect(JSON.stringify(seen.body.coming)).not.toMatch(/load |not rated|satisfaction/);
  });

  it('lets the customer ask for the three-engineer choice at intake', async () => {
    const customer = stack.as({ roles: ['customer'], customerId: 'cust-dispatch' });
    const filed = await customer<{ id: string; dispatchMode: string }>('POST', '/api/complaints', intake('cust-dispatch', {
      product: 'Fridge F3', title: 'Fridge noisy', description: 'Loud noise at night', dispatchMode: 'customer',
    }));
    expect(filed.body.dispatchMode).toBe('customer');
    const offer = await eventually<{ engineerChoice: { state: string; offered: Array<{ staffId: string; reasons: string[] }> } | null }>(stack,
      `/api/complaints/${filed.body.id}`, (c) => c.engineerChoice?.state === 'waiting', 'the offer waits');
    expect(offer.engineerChoice!.offered.map((o) => o.staffId)).toEqual(['staff-fridge', 'staff-near-electric']);
    expect(offer.engineerChoice!.offered[0]!.reasons).toContain('skill: refrigeration');
  });
});

describe('the visit', () => {
  let stack: Stack;

  beforeAll(async () => {
    stack = await startStack();
    await deployShippedProcesses(stack.services.definitions);
  });

  afterAll(async () => {
    await stack?.stop();
  });

  it('is proposed by the engineer, declined and re-proposed, accepted by the customer and recorded', async () => {
    const customer = stack.as({ roles: ['customer'], customerId: 'cust-visit' });
    const id = (await customer<{ id: string }>('POST', '/api/complaints', intake('cust-visit'))).body.id;
    const engineer = stack.as({ roles: ['engineer'], groups: ['after-sales'], staffId: 'eng-visit' });
    const stranger = stack.as({ roles: ['engineer'], groups: ['after-sales'], staffId: 'eng-other' });
    // before dispatch there is nobody to come
    const early = await engineer<{ error: string }>('POST', `/api/complaints/${id}/appointment`, { at: '2030-01-07T10:00:00+01:00', place: 'on-site' });
    expect([early.status, early.body.error]).toEqual([409, 'no_engineer']);
    await complete(stack, stack.api, id, 'Dispatch', { assignee: 'eng-visit' });
    await eventually<Detail>(stack, `/api/complaints/${id}`, (c) => c.engineer === 'eng-visit', 'dispatched');

    // another engineer may not arrange it; a bad time names its field; nothing to answer yet
    expect((await stranger<{ error: string }>('POST', `/api/complaints/${id}/appointment`, { at: '2030-01-07T10:00:00+01:00', place: 'on-site' })).body.error).toBe('not_the_engineer');
    const bad = await engineer<{ fields: Array<{ path: string }> }>('POST', `/api/complaints/${id}/appointment`, { at: 'tomorrow', place: 'garden' });
    expect(bad.status).toBe(400);
    expect(bad.body.fields.map((f) => f.path).sort()).toEqual(['at', 'place']);
    expect((await customer<{ error: string }>('POST', `/api/complaints/${id}/appointment/answer`, { accept: true })).body.error).toBe('no_visit_proposed');

    // when the engineer proposes, the customer asks for another time, the engineer proposes that, the customer accepts
    expect((await engineer('POST', `/api/complaints/${id}/appointment`, { at: '2030-01-07T10:00:00+01:00', place: 'on-site' })).status).toBe(201);
    const declined = await customer<{ state: string; answer: { preferred: string } }>('POST', `/api/complaints/${id}/appointment/answer`, { accept: false, preferred: '2030-01-08T16:00:00+01:00', note: 'Only after work' });
    expect(declined.body).toMatchObject({ state: 'declined', answer: { preferred: '2030-01-08T15:00:00.000Z' } });
    expect((await engineer<{ error: string }>('POST', `/api/complaints/${id}/appointment/visit`, { place: 'on-site' })).body.error).toBe('visit_not_accepted');
    await engineer('POST', `/api/complaints/${id}/appointment`, { at: '2030-01-08T16:00:00+01:00', place: 'outlet' });
    expect((await customer<{ state: string }>('POST', `/api/complaints/${id}/appointment/answer`, { accept: true })).body.state).toBe('accepted');
    const visited = await engineer<{ state: string; place: string; visit: { place: string } }>('POST', `/api/complaints/${id}/appointment/visit`, { place: 'outlet', note: 'Swapped the thermostat at the counter' });
    expect(visited.body).toMatchObject({ state: 'visited', place: 'outlet', visit: { place: 'outlet' } });

    // then the customer's view shows it, and the timeline tells the story
    const seen = await customer<{ appointment: { state: string; at: string } }>('GET', `/api/complaints/${id}`);
    expect(seen.body.appointment).toMatchObject({ state: 'visited', at: '2030-01-08T15:00:00.000Z' });
    const staffSide = await stack.api<{ timeline: Array<{ what: string }> }>('GET', `/api/complaints/${id}`);
    expect(staffSide.body.timeline.map((e) => e.what).filter((w) => w.startsWith('visit'))).toEqual([
      'visit proposed: 2030-01-07T09:00:00.000Z, on-site', 'visit: another time asked (2030-01-08T15:00:00.000Z)',
      'visit proposed: 2030-01-08T15:00:00.000Z, outlet', 'visit accepted', 'visit recorded: outlet',
    ]);
  });
});
