/**
 * Signal events as Camunda 8 runs them, through the HTTP API on the real servers (Temporal dev
 * server, FerretDB, the worker): a broadcast reaches every waiting instance (catch events,
 * boundary events interrupting or not), a repeated broadcast id reaches nobody twice, nothing is
 * buffered, and a malformed broadcast or a role the signal does not allow is refused.
 */
import { waitUntil } from '../../server/infra/ports';
import { LAUNCHED, signalCalls, startSignalStack, type Detail } from '../support/signals';
import { eventually, type Stack } from '../support/stack';

describe('signals: broadcast, catch, boundary', () => {
  let stack: Stack;
  const { start, subscribed, broadcast, history, completeTask } = signalCalls(() => stack);

  beforeAll(async () => {
    stack = await startSignalStack();
  });

  afterAll(async () => {
    await stack?.stop();
  });

  it('one broadcast reaches two waiting catch events and two boundary events: the interrupting one ends its task, the other does not', async () => {
    const [a, b, interrupted, noted] = [await start('sig-catcher'), await start('sig-catcher'), await start('sig-interrupted'), await start('sig-noted')];
    for (const id of [a, b, interrupted, noted]) await subscribed(id, 'alarm');

    const res = await broadcast('alarm', { level: 'red' });
    expect(res.status).toBe(200);
    expect(res.body.delivered).toBe(4);
    expect(res.body.started).toBe(0);
    expect(res.body.deliveredTo.map((d) => d.instanceId).sort()).toEqual([a, b, interrupted, noted].sort());

    for (const id of [a, b]) {
      const done = await eventually<Detail>(stack, `/api/instances/${id}`, (d) => d.status === 'completed', `catcher ${id} completed`);
      expect(done.variables).toEqual({ level: 'red' });
    }
    await eventually<Detail>(stack, `/api/instances/${interrupted}`, (d) => d.status === 'completed', 'the interrupted instance completed through its boundary');
    const cut = await history(interrupted);
    expect(cut).toEqual(expect.arrayContaining([{ elementId: 'work', event: 'terminated' }, { elementId: 'handled', event: 'completed' }].map(expect.objectContaining)));
    expect(cut.filter((e) => e.elementId === 'done')).toEqual([]);

    await waitUntil('the non-interrupting boundary path ran', async () => (await history(noted)).some((e) => e.elementId === 'handled' && e.event === 'completed'), 20_000, 100);
    const still = (await stack.api<Detail>('GET', `/api/instances/${noted}`)).body;
    expect(still.status).toBe('active');
    expect(still.activeElements).toEqual(['work']);
    // Still subscribed: a second broadcast fires the boundary again.
    expect((await broadcast('alarm')).body.deliveredTo.map((d) => d.instanceId)).toEqual([noted]);
    await waitUntil('the boundary fired twice', async () => (await history(noted)).filter((e) => e.elementId === 'handled' && e.event === 'completed').length === 2, 20_000, 100);
    await completeTask(noted, 'work');
    await eventually<Detail>(stack, `/api/instances/${noted}`, (d) => d.status === 'completed', 'the noted instance completed');
  });

  it('a repeated broadcast id (a retried throw) reaches nobody twice, and starts nothing twice', async () => {
    const noted = await start('sig-noted');
    await subscribed(noted, 'alarm');
    const first = await stack.services.signals.broadcast({ signalName: 'alarm', signalId: 'retry-1' });
    const again = await stack.services.signals.broadcast({ signalName: 'alarm', signalId: 'retry-1' });
    expect(first.delivered.map((d) => d.instanceId)).toEqual([noted]);
    expect(again.delivered.map((d) => d.instanceId)).toEqual([noted]);
    await stack.services.signals.broadcast({ signalName: 'alarm', signalId: 'retry-2' });
    await waitUntil('two boundary firings', async () => (await history(noted)).filter((e) => e.elementId === 'handled' && e.event === 'completed').length >= 2, 20_000, 100);
    // Every delivery is applied before the task's completion (arrival order): then exactly two firings.
    await completeTask(noted, 'work');
    await eventually<Detail>(stack, `/api/instances/${noted}`, (d) => d.status === 'completed', 'the noted instance completed');
    expect((await history(noted)).filter((e) => e.elementId === 'handled' && e.event === 'completed')).toHaveLength(2);

    const startsOnce = LAUNCHED.replace(/sig-launched/g, 'sig-launched-once').replace('name="launch"', 'name="launch-once"');
    expect((await stack.api('POST', '/api/definitions', startsOnce, 'application/xml')).status).toBe(201);
    const s1 = await stack.services.signals.broadcast({ signalName: 'launch-once', signalId: 'retry-3' });
    const s2 = await stack.services.signals.broadcast({ signalName: 'launch-once', signalId: 'retry-3' });
    expect(s1.started).toHaveLength(1);
    expect(s2.started).toEqual(s1.started);
    const list = await eventually<{ items: unknown[] }>(stack, '/api/instances?key=sig-launched-once', (p) => p.items.length >= 1, 'the started instance listed');
    expect(list.items).toHaveLength(1);
  });

  it('does not buffer: a broadcast nobody waits for is gone, the later subscription needs a new one', async () => {
    const id = await start('sig-late');
    const early = await broadcast('late', { early: true });
    expect(early.status).toBe(200);
    expect(early.body).toMatchObject({ delivered: 0, started: 0 });

    await completeTask(id, 'first');
    await subscribed(id, 'late');
    // The same instance's own view: it waits at the catch, the early broadcast did not reach it.
    const waiting = (await stack.api<Detail>('GET', `/api/instances/${id}`)).body;
    expect(waiting).toMatchObject({ status: 'active', activeElements: ['wait'] });
    expect(waiting.variables).toEqual({});

    expect((await broadcast('late', { early: false })).body.delivered).toBe(1);
    const done = await eventually<Detail>(stack, `/api/instances/${id}`, (d) => d.status === 'completed', 'completed by the second broadcast');
    expect(done.variables).toEqual({ early: false });
  });

  it('refuses a malformed broadcast with field paths, and a role the signal does not allow', async () => {
    const bad = await stack.api<{ error: string; fields: Array<{ path: string }> }>('POST', '/api/signals', { signalName: '', variables: [1], extra: 1 });
    expect(bad.status).toBe(400);
    expect(bad.body.error).toBe('invalid_request');
    expect(bad.body.fields.map((f) => f.path).sort()).toEqual(expect.arrayContaining(['signalName', 'variables']));

    const id = await start('sig-service-only');
    await subscribed(id, 'recall');
    const operator = await stack.as('operator')<{ error: string }>('POST', '/api/signals', { signalName: 'recall' });
    expect(operator.status).toBe(403);
    expect(operator.body.error).toBe('forbidden');
    expect((await stack.api<Detail>('GET', `/api/instances/${id}`)).body.activeElements).toEqual(['wait']);
  });
});
