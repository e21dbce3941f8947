/**
 * The customer picks the engineer (dispatchMode "customer"): the process offers the three
 * recommended, waits for POST /api/complaints/{id}/engineer-choice, and assigns the best one
 * when nobody chooses in time (ENGINEER_CHOICE_TIMEOUT).
 */
import { deployShippedProcesses } from '../../server/complaints/shippedProcesses';
import type { Api } from '../support/auth';
import { eventually, startStack, type Stack } from '../support/stack';
import { openTask, type ComplaintDetail } from './complaintSupport';
import { ENGINEERS, seedKettleEngineers } from './complaintCustomerSupport';

interface Offer { state: string; offered: Array<{ staffId: string; reasons: string[] }>; chosenStaffId: string | null }
type WithOffer = ComplaintDetail & { dispatchMode: string; engineerChoice: Offer | null };

const offerIs = (stack: Stack, id: string, state: string) =>
  eventually<WithOffer>(stack, `/api/complaints/${id}`, (c) => c.engineerChoice?.state === state, `offer ${state}`);

describe('the customer chooses the engineer', () => {
  let stack: Stack;
  let customer: Api;

  beforeAll(async () => {
    stack = await startStack();
    await deployShippedProcesses(stack.services.definitions);
    await seedKettleEngineers(stack);
    customer = stack.as({ roles: ['customer'], customerId: 'cust-choice' });
  });

  afterAll(async () => {
    await stack?.stop();
  });

  it('offers the three recommended with their reasons and dispatches to the one the customer picks', async () => {
    // given a complaint whose customer wants to choose
    const filed = await customer<WithOffer>('POST', '/api/complaints', { ...intakeBody(), dispatchMode: 'customer' });
    expect(filed.status).toBe(201);
    const id = filed.body.id;

    // when the process has offered the engineers
    const offered = await offerIs(stack, id, 'waiting');

    // then the complaint shows the three, each with reasons
    expect(offered.dispatchMode).toBe('customer');
    expect(offered.engineerChoice!.offered.map((o) => o.staffId).sort()).toEqual([...ENGINEERS].sort());
    for (const o of offered.engineerChoice!.offered) expect(o.reasons.length).toBeGreaterThan(0);

    // and bad choices are refused with the field at fault, changing nothing
    const notOffered = await customer<{ error: string; fields: Array<{ path: string }> }>('POST', `/api/complaints/${id}/engineer-choice`, { staffId: 'staff-nobody' });
    expect(notOffered.status).toBe(422);
    expect(notOffered.body).toMatchObject({ error: 'engineer_not_offered', fields: [{ path: 'staffId' }] });
    const malformed = await customer<{ fields: Array<{ path: string }> }>('POST', `/api/complaints/${id}/engineer-choice`, { staffId: 7 });
    expect(malformed.status).toBe(400);
    expect(malformed.body.fields.map((f) => f.path)).toEqual(['staffId']);
    // and another customer cannot choose (nor see that the complaint exists)
    const stranger = stack.as({ roles: ['customer'], customerId: 'cust-stranger' });
    expect((await stranger('POST', `/api/complaints/${id}/engineer-choice`, { staffId: ENGINEERS[2] })).status).toBe(404);
    // and an engineer may not choose for the customer
    expect((await stack.as('engineer')('POST', `/api/complaints/${id}/engineer-choice`, { staffId: ENGINEERS[2] })).status).toBe(403);

    // when the customer picks the third one
    const picked = offered.engineerChoice!.offered[2]!.staffId;
    const chosen = await customer('POST', `/api/complaints/${id}/engineer-choice`, { staffId: picked });
    expect(chosen.status).toBe(202);

    // then the dispatch task goes to that engineer, and the offer is closed
    const dispatch = await openTask(stack, id, 'DispatchRecommended');
    expect(dispatch.assignee).toBe(picked);
    const after = await offerIs(stack, id, 'chosen');
    expect(after.engineerChoice!.chosenStaffId).toBe(picked);
    // and a second choice is refused
    expect((await customer<{ error: string }>('POST', `/api/complaints/${id}/engineer-choice`, { staffId: picked })).body.error).toBe('not_awaiting_engineer_choice');
  });

  it('assigns the best recommended without waiting when the mode is auto', async () => {
    const filed = await customer<WithOffer>('POST', '/api/complaints', intakeBody());
    const dispatch = await openTask(stack, filed.body.id, 'DispatchRecommended');
    expect(ENGINEERS).toContain(dispatch.assignee);
    const detail = await stack.api<WithOffer>('GET', `/api/complaints/${filed.body.id}`);
    expect(detail.body.engineerChoice).toBeNull();
    expect((await customer('POST', `/api/complaints/${filed.body.id}/engineer-choice`, { staffId: dispatch.assignee })).status).toBe(409);
  });
});

describe('nobody chooses in time', () => {
  let stack: Stack;

  beforeAll(async () => {
    stack = await startStack({ complaints: { engineerChoiceTimeout: 'PT2S' } });
    await deployShippedProcesses(stack.services.definitions);
    await seedKettleEngineers(stack);
  });

  afterAll(async () => {
    await stack?.stop();
  });

  it('assigns the best recommended when the choice timer fires', async () => {
    // given a complaint waiting for its customer's choice, with a short wait
    const filed = await stack.api<WithOffer>('POST', '/api/complaints', { ...intakeBody(), dispatchMode: 'customer' });
    const id = filed.body.id;
    const waiting = await offerIs(stack, id, 'waiting');
    const best = waiting.engineerChoice!.offered[0]!.staffId;
    // when nobody chooses, then the offer times out and the best one gets the dispatch task
    const timedOut = await offerIs(stack, id, 'timed_out');
    expect(timedOut.timeline.map((e) => e.what)).toContain('no engineer chosen in time: the best recommended is assigned');
    expect((await openTask(stack, id, 'DispatchRecommended')).assignee).toBe(best);
  });
});

function intakeBody() {
  return { channel: 'app', customer: { id: 'cust-choice', tier: 'standard' }, product: 'Kettle K2', title: 'Kettle stopped heating', description: 'Broken after two days' };
}
