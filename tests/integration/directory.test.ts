import { toCandidate } from '../../server/domain/directory';
import { rankStaff } from '../../server/domain/dispatch/rank';
import { DEMO_CENTRE, demoDirectory, seedDirectory } from '../../server/domain/seed';
import { startStack, type Stack } from '../support/stack';

interface Recommendation { staffId: string; name: string; score: number; distanceKm: number | null; reasons: string[] }
interface ValidationError { error: string; fields: Array<{ path: string }> }

describe('staff recommendations over the seeded demo directory', () => {
  let stack: Stack;
  const demo = demoDirectory();
  const outlets = demo.outlets.map((o) => ({ id: o._id, name: o.name, location: o.location, rating: o.rating }));

  beforeAll(async () => {
    stack = await startStack({ worker: false });
    await seedDirectory(stack.mongo);
  });
  afterAll(async () => {
    await stack?.stop();
  });

  it('recommends three staff for a location, with reasons, in the order the ranking gives', async () => {
    // given a Cantonese-speaking customer at People's Square with a fridge problem
    const query = `lat=${DEMO_CENTRE.lat}&lon=${DEMO_CENTRE.lon}&skill=refrigeration&product=fridge&language=Cantonese`;
    // when
    const res = await stack.api<{ recommendations: Recommendation[] }>('GET', `/api/staff/recommendations?${query}`);
    // then
    expect(res.status).toBe(200);
    const expected = rankStaff(
      { onSite: false, location: DEMO_CENTRE, skill: 'refrigeration', product: 'fridge', language: 'Cantonese' },
      demo.staff.map(toCandidate),
      outlets,
    );
    expect(res.body.recommendations).toHaveLength(3);
    expect(res.body.recommendations).toEqual(expected);
    for (const r of res.body.recommendations) expect(r.reasons).toEqual(expect.arrayContaining([expect.stringMatching(/km away$/)]));
    const scores = res.body.recommendations.map((r) => r.score);
    expect(scores).toEqual([...scores].sort((a, b) => b - a));
  });

  it('sends on-site repairs to engineers of the nearest well-rated outlet', async () => {
    // when
    const res = await stack.api<{ recommendations: Recommendation[] }>('GET', `/api/staff/recommendations?lat=31.2&lon=121.44&onSite=true&skill=installation`);
    // then
    expect(res.status).toBe(200);
    const expected = rankStaff({ onSite: true, location: { lat: 31.2, lon: 121.44 }, skill: 'installation' }, demo.staff.map(toCandidate), outlets);
    expect(res.body.recommendations).toEqual(expected);
    const engineers = new Set(demo.staff.filter((s) => s.roles.includes('engineer')).map((s) => s._id));
    for (const r of res.body.recommendations) expect(engineers.has(r.staffId)).toBe(true);
  });

  it('answers 400 with the field paths for a bad location and changes nothing', async () => {
    // when
    const outOfRange = await stack.api<ValidationError>('GET', '/api/staff/recommendations?lat=95&lon=121.47');
    const lone = await stack.api<ValidationError>('GET', '/api/staff/recommendations?lat=31.2');
    const notBoolean = await stack.api<ValidationError>('GET', '/api/staff/recommendations?onSite=maybe');
    // then
    expect(outOfRange.status).toBe(400);
    expect(outOfRange.body).toMatchObject({ error: 'invalid_request', fields: [{ path: 'lat' }] });
    expect(lone.status).toBe(400);
    expect(lone.body.fields.map((f) => f.path)).toEqual(['lon']);
    expect(notBoolean.body.fields.map((f) => f.path)).toEqual(['onSite']);
    const staff = await stack.api<{ total: number }>('GET', '/api/staff?pageSize=1');
    expect(staff.body.total).toBe(demo.staff.length);
  });

  it('is 404 for an unknown customer', async () => {
    // when
    const res = await stack.api<{ error: string }>('GET', '/api/staff/recommendations?customerId=cust-999');
    // then
    expect(res.status).toBe(404);
    expect(res.body.error).toBe('customer_not_found');
  });
});
