/**
 * GET /api/people/names: the pages show staff by name, not by `staff-032` or a user id. Ids
 * come as user ids, staff ids, or `staff:`-prefixed (timelines, comments); customers are not named.
 */
import { demoDirectory, seedDirectory } from '../../server/domain/seed';
import { startStack, type Stack } from '../support/stack';

describe('GET /api/people/names', () => {
  let stack: Stack;

  beforeAll(async () => {
    stack = await startStack();
    await seedDirectory(stack.mongo);
  });

  afterAll(async () => {
    await stack?.stop();
  });

  it('names directory staff, users by user id and staff id, as asked, and leaves out customers and unknown ids', async () => {
    // given a directory engineer, an agent with a staff id and a customer account
    const engineer = demoDirectory().staff[0]!;
    const agent = await stack.createUser({ roles: ['agent'], groups: ['after-sales'], staffId: 'S-names-ann', name: 'Ann Agent' });
    const customer = await stack.createUser({ roles: ['customer'], name: 'Carla Customer' });
    const reader = stack.as({ roles: ['agent'], groups: ['after-sales'] });
    const ids = [engineer._id, `staff:${engineer._id}`, agent.id, `staff:${agent.id}`, 'S-names-ann', customer.id, 'staff-nobody'];
    // when
    const res = await reader<{ names: Record<string, string> }>('GET', `/api/people/names?ids=${ids.map(encodeURIComponent).join(',')}`);
    // then
    expect(res.status).toBe(200);
    expect(res.body.names).toEqual({
      [engineer._id]: engineer.name,
      [`staff:${engineer._id}`]: engineer.name,
      [agent.id]: 'Ann Agent',
      [`staff:${agent.id}`]: 'Ann Agent',
      'S-names-ann': 'Ann Agent',
    });
  });

  it('refuses a malformed or missing list with the field path, and customers', async () => {
    const reader = stack.as({ roles: ['agent'], groups: ['after-sales'] });
    const bad = await reader<{ fields: Array<{ path: string }> }>('GET', '/api/people/names?ids=a%20b');
    expect(bad.status).toBe(400);
    expect(bad.body.fields.map((f) => f.path)).toEqual([expect.stringMatching(/^ids/)]);
    expect((await reader('GET', '/api/people/names')).status).toBe(400);
    expect((await stack.as({ roles: ['customer'] })('GET', '/api/people/names?ids=x')).status).toBe(403);
  });
});
