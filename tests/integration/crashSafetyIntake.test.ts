/**
 * Crash safety (issue 12 item 5, decision 0025): what an unclean stop leaves behind is repaired
 * or completed, never duplicated.
 *
 * Intake: an Idempotency-Key written without its complaint (the request died in between) is
 * completed by the retry, not answered 409 forever. Evaluation: stored before the message that
 * closes the complaint is delivered; when storing fails, the process has not heard of it, and
 * the retry with the same key completes it once.
 */
import pg from 'pg';
import { createHash, randomUUID } from 'node:crypto';
import { deployShippedProcesses } from '../../server/complaints/shippedProcesses';
import { processInstanceIdOf } from '../../server/complaints/service';
import { waitUntil } from '../../server/infra/ports';
import { REVISION_GUARD_MARK } from '../../server/infra/revisionGuards';
import { subscriptionKey } from '../../server/projections/models';
import { testEnv } from '../support/servers';
import { engineView, startStack, type Stack } from '../support/stack';
import { intake } from './complaintSupport';

describe('intake and evaluation after an interrupted request', () => {
  let stack: Stack;

  beforeAll(async () => {
    stack = await startStack();
    await deployShippedProcesses(stack.services.definitions);
  });

  afterAll(async () => {
    await stack?.stop();
  });

  const admin = async () => {
    const user = await stack.createUser({ roles: ['admin'] });
    return (await stack.login(user.email, user.password)).token;
  };
  const post = async (url: string, body: unknown, key: string) => fetch(`${stack.url}${url}`, {
    method: 'POST',
    headers: { 'content-type': 'application/json', authorization: `Bearer ${await admin()}`, 'idempotency-key': key },
    body: JSON.stringify(body),
  });

  it('completes an intake whose key was written without its complaint, once', async () => {
    // given a key document left by a request that died before writing its complaint
    const key = `intake-${randomUUID()}`;
    const customer = `cust-${randomUUID().slice(0, 8)}`;
    const complaintId = `cmp-${randomUUID()}`;
    const keyId = createHash('sha256').update(`${customer}\u0000${key}`).digest('hex');
    await stack.services.complaintStore.models.intakeKeys.create({ _id: keyId, complaintId, createdAt: new Date() });

    // when the client retries with the same key (twice at once)
    const [a, b] = await Promise.all([post('/api/complaints', intake(customer), key), post('/api/complaints', intake(customer), key)]);

    // then the complaint of that key is filed once, with its lifecycle under the derived id
    const bodies = await Promise.all([a, b].map(async (r) => (await r.json()) as { id: string; instanceId: string }));
    expect([a.status, b.status].sort()).toEqual([200, 201]);
    expect(bodies.map((x) => x.id)).toEqual([complaintId, complaintId]);
    expect(bodies[0]!.instanceId).toBe(processInstanceIdOf(complaintId));
    expect((await stack.client.workflow.getHandle(processInstanceIdOf(complaintId)).describe()).status.name).toBe('RUNNING');
    expect(await stack.services.complaintStore.models.complaints.countDocuments({ customerId: customer })).toBe(1);
  });

  it('starts the process of a complaint whose intake died after writing it, once', async () => {
    // given a complaint written by an intake that died before starting its process
    const complaintId = `cmp-${randomUUID()}`;
    await stack.services.complaintStore.create({ _id: complaintId, instanceId: processInstanceIdOf(complaintId), channel: 'app', customerId: 'cust-orphan', customerTier: 'standard', product: 'Kettle K2', title: 'Kettle stopped heating', description: 'd', location: null, photos: [], contact: null, dispatchMode: 'auto' });
    await expect(stack.client.workflow.getHandle(processInstanceIdOf(complaintId)).describe()).rejects.toThrow();

    // when the reconciler's intake repair runs (twice)
    const first = await stack.services.complaints.complaints.resumeIntakes(0);
    const second = await stack.services.complaints.complaints.resumeIntakes(0);

    // then its lifecycle runs under the derived id, started once
    expect([first, second]).toEqual([1, 0]);
    expect((await stack.client.workflow.getHandle(processInstanceIdOf(complaintId)).describe()).status.name).toBe('RUNNING');
  });

  it('stores the evaluation before the message that closes the complaint is delivered', async () => {
    // given a complaint awaiting its evaluation (a process waiting for complaint-evaluated)
    const diagram = `<?xml version="1.0" encoding="UTF-8"?>
<bpmn:definitions xmlns:bpmn="http://www.omg.org/spec/BPMN/20100524/MODEL" xmlns:zeebe="http://camunda.org/schema/zeebe/1.0" id="d" targetNamespace="http://example.com/bpmn">
  <bpmn:process id="awaits-evaluation" isExecutable="true">
    <bpmn:startEvent id="s" />
    <bpmn:sequenceFlow id="f1" sourceRef="s" targetRef="wait" />
    <bpmn:receiveTask id="wait" messageRef="m" />
    <bpmn:sequenceFlow id="f2" sourceRef="wait" targetRef="e" />
    <bpmn:endEvent id="e" />
  </bpmn:process>
  <bpmn:message id="m" name="complaint-evaluated"><bpmn:extensionElements><zeebe:subscription correlationKey="=complaintId" /></bpmn:extensionElements></bpmn:message>
</bpmn:definitions>`;
    expect((await stack.api('POST', '/api/definitions', diagram, 'application/xml')).status).toBe(201);
    const complaintId = `cmp-${randomUUID()}`;
    const started = await stack.services.instances.start('awaits-evaluation', { variables: { complaintId } });
    const { store } = { store: stack.services.complaintStore };
    await store.create({ _id: complaintId, instanceId: started.instanceId, channel: 'app', customerId: 'cust-eval', customerTier: 'standard', product: 'Kettle', title: 't', description: 'd', location: null, photos: [], contact: null, dispatchMode: 'auto' });
    await store.mutate(complaintId, () => ({ set: { status: 'awaiting_evaluation' } }));
    await waitUntil('subscription projected', async () => Boolean(await stack.services.projections.instances.exists({ _id: started.instanceId, subscriptionKeys: subscriptionKey('complaint-evaluated', complaintId) })), 20_000, 100);

    // when the evaluation cannot be stored: other writers keep changing the complaint under
    // every attempt (PostgreSQL refuses each write of it as the revision guard refuses a lost
    // race, decision 0067; with a document lock the store would wait for the lock instead)
    const pgClient = new pg.Client({ connectionString: testEnv.postgresUrl });
    await pgClient.connect();
    const schema = stack.mongo.name;
    const table = (await pgClient.query<{ table: string }>(`SELECT _jsonb->>'table' AS table FROM "${schema}"._ferretdb_database_metadata WHERE _jsonb->>'_id' = 'complaints'`)).rows[0]!.table;
    await pgClient.query(`CREATE FUNCTION "${schema}".always_overtaken() RETURNS trigger LANGUAGE plpgsql AS $$
      BEGIN IF NEW._jsonb->>'_id' = '${complaintId}' THEN RAISE EXCEPTION '${REVISION_GUARD_MARK}: overtaken (test)'; END IF; RETURN NEW; END $$`);
    await pgClient.query(`CREATE TRIGGER always_overtaken BEFORE UPDATE ON "${schema}"."${table}" FOR EACH ROW EXECUTE FUNCTION "${schema}".always_overtaken()`);
    const key = `eval-${randomUUID()}`;
    const refused = await post(`/api/complaints/${complaintId}/evaluation`, { stars: 5, tags: [] }, key);

    // then the client is told to retry and the process has not heard of it
    expect(refused.status).toBe(503);
    expect((await engineView(stack, started.instanceId)).activeElements).toEqual(['wait']);

    // when the others are done and the client retries with the same key (twice)
    await pgClient.query(`DROP TRIGGER always_overtaken ON "${schema}"."${table}"`);
    await pgClient.end();
    const first = await post(`/api/complaints/${complaintId}/evaluation`, { stars: 5, tags: [] }, key);
    const again = await post(`/api/complaints/${complaintId}/evaluation`, { stars: 5, tags: [] }, key);

    // then one evaluation is stored, once on the timeline, and the process got it
    expect([first.status, again.status]).toEqual([201, 201]);
    expect(((await again.json()) as { id: string }).id).toBe(((await first.json()) as { id: string }).id);
    await waitUntil('process received the evaluation', async () => (await stack.client.workflow.getHandle(started.instanceId).describe()).status.name === 'COMPLETED', 20_000, 100);
    const stored = (await store.get(complaintId))!;
    expect(stored.evaluations.map((e) => [e.stars, e.state])).toEqual([[5, 'delivered']]);
    expect(stored.timeline.filter((e) => e.what.startsWith('evaluated'))).toHaveLength(1);
  });
});
