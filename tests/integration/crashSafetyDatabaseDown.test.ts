/**
 * Crash safety (issue 12 item 5, decision 0025): what an unclean stop leaves behind is repaired
 * or completed, never duplicated.
 *
 * Intake while the database is unreachable: 503 and nothing written, and the retry with the
 * same key files the complaint once.
 */
import { randomUUID } from 'node:crypto';
import { deployShippedProcesses } from '../../server/complaints/shippedProcesses';
import { waitUntil } from '../../server/infra/ports';
import { testEnv } from '../support/servers';
import { tcpProxy, type TcpProxy } from '../support/tcpProxy';
import { startStack, type Stack } from '../support/stack';
import { intake } from './complaintSupport';

describe('intake while the database is unreachable', () => {
  let stack: Stack;
  let proxy: TcpProxy;

  beforeAll(async () => {
    const target = new URL(testEnv.mongoUri);
    proxy = await tcpProxy(target.hostname, Number(target.port));
    const uri = new URL(testEnv.mongoUri);
    uri.port = String(proxy.port);
    stack = await startStack({ mongoUri: uri.toString() });
    await deployShippedProcesses(stack.services.definitions);
  });

  afterAll(async () => {
    proxy?.restore();
    await stack?.stop();
    await proxy?.close();
  });

  it('answers 503 and writes nothing, and the retry with the same key files the complaint once', async () => {
    // given a signed-in agent, and the database gone
    const agent = await stack.createUser({ roles: ['agent'] });
    const { token } = await stack.login(agent.email, agent.password);
    const customer = `cust-${randomUUID().slice(0, 8)}`;
    const key = `intake-${randomUUID()}`;
    const send = () => fetch(`${stack.url}/api/complaints`, {
      method: 'POST', headers: { 'content-type': 'application/json', authorization: `Bearer ${token}`, 'idempotency-key': key }, body: JSON.stringify(intake(customer)),
    });
    proxy.cut();

    // when a complaint is filed
    const refused = await send();

    // then the client is told to retry, with no incident id and nothing stored
    expect(refused.status).toBe(503);
    expect(refused.headers.get('retry-after')).toBe('2');
    expect(await refused.json()).toMatchObject({ error: 'unavailable' });
    proxy.restore();
    await waitUntil('database back', async () => Boolean(await stack.mongo.db!.admin().ping()), 20_000, 200);
    expect(await stack.services.complaintStore.models.complaints.countDocuments({ customerId: customer })).toBe(0);

    // when the client retries with the same key
    const filed = await send();

    // then the complaint is filed once and its lifecycle runs
    expect(filed.status).toBe(201);
    const body = (await filed.json()) as { id: string; instanceId: string };
    expect((await stack.client.workflow.getHandle(body.instanceId).describe()).status.name).toBe('RUNNING');
    expect(await stack.services.complaintStore.models.complaints.countDocuments({ customerId: customer })).toBe(1);
  });
});
