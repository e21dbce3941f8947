import { deployShippedProcesses } from '../../server/complaints/shippedProcesses';
import { startStack, type Stack } from '../support/stack';
import { intake } from './complaintSupport';

describe('complaint intake and feedback', () => {
  let stack: Stack;
  let token: string;

  beforeAll(async () => {
    stack = await startStack({ complaints: { touchpointOwners: { 'store-42': 'store-42-team' } } });
    await deployShippedProcesses(stack.services.definitions);
    const agent = await stack.createUser({ roles: ['agent'] });
    ({ token } = await stack.login(agent.email, agent.password));
  });

  afterAll(async () => {
    await stack?.stop();
  });

  const post = (body: unknown, key?: string) => fetch(`${stack.url}/api/complaints`, {
    method: 'POST',
    headers: { 'content-type': 'application/json', authorization: `Bearer ${token}`, ...(key ? { 'idempotency-key': key } : {}) },
    body: JSON.stringify(body),
  });

  it('files one complaint for repeated requests with the same Idempotency-Key', async () => {
    // given the same intake sent twice at once and once more later, with one key
    const key = `intake-${Date.now()}-retry`;
    const [a, b] = await Promise.all([post(intake('cust-dup'), key), post(intake('cust-dup'), key)]);
    const c = await post(intake('cust-dup'), key);
    const ids = await Promise.all([a, b, c].map(async (r) => ((await r.json()) as { id: string }).id));

    // then one complaint exists, one answer says 201 and the others 200
    expect(new Set(ids).size).toBe(1);
    expect([a.status, b.status, c.status].sort()).toEqual([200, 200, 201]);
    const list = await stack.api<{ total: number }>('GET', '/api/complaints?q=kettle%20STOPPED');
    expect(list.body.total).toBe(1);
  });

  it('rejects a bad intake with field paths and files nothing', async () => {
    const res = await stack.api<{ fields: Array<{ path: string }> }>('POST', '/api/complaints', intake('cust-bad', { channel: 'pigeon', title: '' }));
    expect(res.status).toBe(400);
    expect(res.body.fields.map((f) => f.path).sort()).toEqual(['channel', 'title']);
    expect((await stack.api<{ total: number }>('GET', '/api/complaints?q=%5E.*')).body.total).toBe(0);
  });

  it('turns low-score feedback into an alert work order for the touchpoint owner group', async () => {
    // when a customer scores a touchpoint 3 of 10
    const res = await stack.api<{ alert: { instanceId: string } }>('POST', '/api/feedback', { touchpoint: 'store-42', score: 3, verbatim: 'Nobody helped me' });

    // then the alert process started on its message start event, with a work order for the owner group
    expect(res.status).toBe(201);
    const instance = await stack.api<{ activeElements: string[]; variables: Record<string, unknown>; tasks: Array<{ assignee: string; candidateGroups: string[] }> }>(
      'GET', `/api/instances/${res.body.alert.instanceId}`);
    expect(instance.body.activeElements).toContain('AlertWorkOrder');
    expect(instance.body.variables).toMatchObject({ touchpoint: 'store-42', score: 3, ownerGroup: 'store-42-team' });
    // (the customer's words stay in the feedback collection, out of the workflow history)
    expect(JSON.stringify(instance.body.variables)).not.toContain('Nobody helped me');
    expect(instance.body.tasks[0]).toMatchObject({ assignee: null, candidateGroups: ['store-42-team'] });
    // and a good score starts nothing
    expect((await stack.api<{ alert: null }>('POST', '/api/feedback', { touchpoint: 'store-42', score: 9, verbatim: 'Great' })).body.alert).toBeNull();
  });
});
