/**
 * Ratings that count (issue 14 item 3, decision 0045), over HTTP on the real servers: an
 * evaluation reaches the engineer who served the complaint and their outlet (stars, tags,
 * comment), the public profile shows it, the ranking learns from it, and the customer keeps
 * the engineer as "my expert".
 */
import { deployShippedProcesses } from '../../server/complaints/shippedProcesses';
import { seedDirectory } from '../../server/domain/seed';
import type { Api } from '../support/auth';
import { eventually, startStack, type Stack } from '../support/stack';
import { resolveAs } from './complaintCustomerSupport';
import { intake, openTask, statusIs } from './complaintSupport';

interface Profile {
  id: string; name: string; photoUrl: string | null; rating: { rate: number; count: number };
  outlet: { id: string; rating: number; count: number } | null; tags: Array<{ tag: string; count: number }>;
  recentComments: Array<{ stars: number; comment: string; tags: string[] }>;
}
interface Recommendation { staffId: string; reasons: string[] }

const SERVER = 'staff-rate-a';
const OTHER = 'staff-rate-b';

describe('ratings that count', () => {
  let stack: Stack;
  let customer: Api;
  let engineer: Api;

  beforeAll(async () => {
    stack = await startStack();
    await deployShippedProcesses(stack.services.definitions);
    await seedDirectory(stack.mongo, {
      departments: [{ _id: 'dep-after-sales', key: 'after-sales', name: 'After-sales', candidateGroup: 'after-sales' }],
      outlets: [{ _id: 'outlet-rate', name: 'Kettle Corner', location: { lat: 31.23, lon: 121.47 }, openingHours: [], rating: 3, departmentKeys: ['after-sales'] }],
      staff: [
        // the one who serves first: nearest, least loaded
        { _id: SERVER, name: 'Ada Kettle', roles: ['engineer'], skills: ['defect'], products: ['Kettle K2'], outletId: 'outlet-rate', regions: [], languages: ['English'],
          home: null, currentLoad: 0, maxLoad: 5, onDuty: true, satisfaction: { sum: 0, count: 0, rate: 0 } },
        { _id: OTHER, name: 'Bo Kettle', roles: ['engineer'], skills: ['defect'], products: ['Kettle K2'], outletId: null, regions: [], languages: ['English'],
          home: { lat: 31.24, lon: 121.47 }, currentLoad: 0, maxLoad: 5, onDuty: true, satisfaction: { sum: 0, count: 0, rate: 0 } },
      ],
      customers: [{ _id: 'cust-rate', name: 'Rita Rater', tier: 'standard', region: 'Shanghai', language: 'English' }],
    });
    customer = stack.as({ roles: ['customer'], customerId: 'cust-rate' });
    const user = await stack.createUser({ roles: ['engineer'], groups: ['after-sales'], staffId: SERVER });
    engineer = (await stack.login(user.email, user.password)).api;
  });

  afterAll(async () => {
    await stack?.stop();
  });

  it('feeds stars, tags and comment to the engineer and the outlet; the profile shows them and the ranking learns', async () => {
    // given a complaint served by Ada (the page sends no engineer id: the server knows who served)
    const filed = await customer<{ id: string }>('POST', '/api/complaints', intake('cust-rate', { location: { lat: 31.23, lon: 121.47 } }));
    expect(filed.status).toBe(201);
    const id = filed.body.id;
    expect((await openTask(stack, id, 'DispatchRecommended')).assignee).toBe(SERVER);
    // before anyone served it, there is no expert to keep
    const early = await customer<{ error: string }>('POST', `/api/complaints/${id}/my-expert`);
    expect(early.status).toBe(409);
    expect(early.body.error).toBe('no_engineer');
    await resolveAs(stack, engineer, id);
    await statusIs(stack, id, 'awaiting_evaluation');
    const view = await customer<{ servedBy: string | null; engineer: string | null; myExpert: boolean }>('GET', `/api/complaints/${id}`);
    expect(view.body).toMatchObject({ servedBy: SERVER, engineer: null, myExpert: false });

    // when the customer gives 5 stars with tags and a comment
    const rated = await customer('POST', `/api/complaints/${id}/evaluation`, { stars: 5, tags: ['fast', 'friendly'], comment: 'Fixed it in ten minutes' });
    expect(rated.status).toBe(201);

    // then Ada's public profile (no sign-in) shows them, and her outlet's rating follows the customers'
    const profile = await eventually<Profile>(stack, `/api/engineers/${SERVER}`, (p) => p.rating.count === 1, 'rated');
    const anonymous = await stack.anonymous<Profile & Record<string, unknown>>('GET', `/api/engineers/${SERVER}`);
    expect(anonymous.status).toBe(200);
    expect(anonymous.body).toEqual(profile);
    expect(profile).toMatchObject({
      id: SERVER, name: 'Ada Kettle', photoUrl: null, rating: { rate: 5, count: 1 },
      outlet: { id: 'outlet-rate', rating: 5, count: 1 },
      tags: [{ tag: 'fast', count: 1 }, { tag: 'friendly', count: 1 }],
      recentComments: [{ stars: 5, comment: 'Fixed it in ten minutes', tags: ['fast', 'friendly'] }],
    });
    // nothing private in it
    expect(Object.keys(anonymous.body).sort()).toEqual(['id', 'languages', 'name', 'outlet', 'photoUrl', 'products', 'rating', 'recentComments', 'skills', 'tags']);
    // and the ranking counts the stars (Bo is not rated yet)
    const ranked = await stack.api<{ recommendations: Recommendation[] }>('GET', '/api/staff/recommendations?product=Kettle%20K2&skill=defect');
    expect(ranked.body.recommendations.find((r) => r.staffId === SERVER)!.reasons).toContain('satisfaction 5.0');
    expect(ranked.body.recommendations.find((r) => r.staffId === OTHER)!.reasons).toContain('not rated yet');
    await statusIs(stack, id, 'closed');
  });

  it('keeps the engineer as "my expert", whom the next dispatch puts first', async () => {
    const id = (await eventually<{ items: Array<{ id: string; status: string }> }>(stack, '/api/complaints?status=closed', (p) => p.items.length === 1, 'closed')).items[0]!.id;
    // someone else's complaint: not theirs to keep
    expect((await stack.as({ roles: ['customer'], customerId: 'cust-nobody' })('POST', `/api/complaints/${id}/my-expert`)).status).toBe(404);

    // when the customer keeps Ada
    const kept = await customer<{ staffId: string; myExpert: boolean }>('POST', `/api/complaints/${id}/my-expert`);
    expect(kept.status).toBe(200);
    expect(kept.body).toEqual({ id, staffId: SERVER, myExpert: true });

    // then the complaint page says so, and the ranking puts Ada first for this customer, saying why
    const view = await customer<{ myExpert: boolean; timeline: Array<{ what: string }> }>('GET', `/api/complaints/${id}`);
    expect(view.body.myExpert).toBe(true);
    const ranked = await stack.api<{ recommendations: Recommendation[] }>('GET', '/api/staff/recommendations?product=Kettle%20K2&skill=defect&customerId=cust-rate&lat=31.24&lon=121.47');
    expect(ranked.body.recommendations[0]).toMatchObject({ staffId: SERVER });
    expect(ranked.body.recommendations[0]!.reasons[0]).toBe('your favourite engineer ("my expert")');
  });

  it('answers 404 and 400 for profiles that do not exist or ids that are not ids', async () => {
    expect((await stack.anonymous('GET', '/api/engineers/staff-nobody')).status).toBe(404);
    const bad = await stack.anonymous<{ fields: Array<{ path: string }> }>('GET', '/api/engineers/%20bad%20id');
    expect(bad.status).toBe(400);
    expect(bad.body.fields.map((f) => f.path)).toEqual(['staffId']);
  });
});
