/**
 * Signal events as Camunda 8 runs them, through the HTTP API on the real servers (Temporal dev
 * server, FerretDB, the worker): a broadcast reaches every waiting instance (catch events,
 * boundary events interrupting or not, event-subprocess starts), starts every process with a
 * signal start event, a throw event in one process reaches another, and nothing is buffered.
 */
import { waitUntil } from '../../server/infra/ports';
import { eventually, startStack, type Stack } from '../support/stack';

const bpmn = (id: string, body: string, roots = '') => `<?xml version="1.0" encoding="UTF-8"?>
<bpmn:definitions xmlns:bpmn="http://www.omg.org/spec/BPMN/20100524/MODEL" xmlns:zeebe="http://camunda.org/schema/zeebe/1.0" id="d-${id}" targetNamespace="http://example.com/bpmn">
  ${roots}
  <bpmn:process id="${id}" isExecutable="true">${body}</bpmn:process>
</bpmn:definitions>`;
const flow = (id: string, from: string, to: string) => `<bpmn:sequenceFlow id="${id}" sourceRef="${from}" targetRef="${to}" />`;
const sig = (id: string, name: string, publishers?: string) => publishers === undefined
  ? `<bpmn:signal id="${id}" name="${name}" />`
  : `<bpmn:signal id="${id}" name="${name}"><bpmn:extensionElements><zeebe:properties><zeebe:property name="publishers" value="${publishers}" /></zeebe:properties></bpmn:extensionElements></bpmn:signal>`;
const onSignal = (ref: string) => `<bpmn:signalEventDefinition signalRef="${ref}" />`;

/** start → catch(alarm) → end */
const CATCHER = bpmn('sig-catcher', `
  <bpmn:startEvent id="start" />${flow('f1', 'start', 'wait')}
  <bpmn:intermediateCatchEvent id="wait">${onSignal('s')}</bpmn:intermediateCatchEvent>${flow('f2', 'wait', 'done')}
  <bpmn:endEvent id="done" />`, sig('s', 'alarm'));

/** a user task with a signal boundary (alarm), interrupting or not */
const guarded = (id: string, interrupting: boolean) => bpmn(id, `
  <bpmn:startEvent id="start" />${flow('f1', 'start', 'work')}
  <bpmn:userTask id="work" name="Work" />${flow('f2', 'work', 'done')}
  <bpmn:boundaryEvent id="alarmed" attachedToRef="work" cancelActivity="${interrupting}">${onSignal('s')}</bpmn:boundaryEvent>${flow('f3', 'alarmed', 'handled')}
  <bpmn:endEvent id="done" /><bpmn:endEvent id="handled" />`, sig('s', 'alarm'));

/** a process started by the signal 'launch' */
const LAUNCHED = bpmn('sig-launched', `
  <bpmn:startEvent id="launched">${onSignal('s')}</bpmn:startEvent>${flow('f1', 'launched', 'work')}
  <bpmn:userTask id="work" name="Work" />${flow('f2', 'work', 'done')}
  <bpmn:endEvent id="done" />`, sig('s', 'launch'));

/** a user task beside an event subprocess started by the signal 'audit', interrupting or not */
const audited = (id: string, interrupting: boolean) => bpmn(id, `
  <bpmn:startEvent id="start" />${flow('f1', 'start', 'work')}
  <bpmn:userTask id="work" name="Work" />${flow('f2', 'work', 'done')}
  <bpmn:endEvent id="done" />
  <bpmn:subProcess id="audit" triggeredByEvent="true">
    <bpmn:startEvent id="auditStart" isInterrupting="${interrupting}">${onSignal('s')}</bpmn:startEvent>${flow('f3', 'auditStart', 'audited')}
    <bpmn:endEvent id="audited" />
  </bpmn:subProcess>`, sig('s', 'audit'));

/** throws 'relay' (with an input mapping as its variables), then ends */
const RELAY_THROWER = bpmn('sig-thrower', `
  <bpmn:startEvent id="start" />${flow('f1', 'start', 'announce')}
  <bpmn:intermediateThrowEvent id="announce">
    <bpmn:extensionElements><zeebe:ioMapping><zeebe:input source="=ticket" target="relayedTicket" /></zeebe:ioMapping></bpmn:extensionElements>
    ${onSignal('s')}
  </bpmn:intermediateThrowEvent>${flow('f2', 'announce', 'done')}
  <bpmn:endEvent id="done" />`, sig('s', 'relay'));

/** ends with a signal end event throwing 'relay' (no input mappings: no variables) */
const RELAY_ENDER = bpmn('sig-ender', `
  <bpmn:startEvent id="start" />${flow('f1', 'start', 'finish')}
  <bpmn:endEvent id="finish">${onSignal('s')}</bpmn:endEvent>`, sig('s', 'relay'));

const RELAY_CATCHER = CATCHER.replace(/sig-catcher/g, 'sig-relay-catcher').replace('name="alarm"', 'name="relay"');

/** a user task, then a catch of 'late' */
const LATE = bpmn('sig-late', `
  <bpmn:startEvent id="start" />${flow('f1', 'start', 'first')}
  <bpmn:userTask id="first" name="First" />${flow('f2', 'first', 'wait')}
  <bpmn:intermediateCatchEvent id="wait">${onSignal('s')}</bpmn:intermediateCatchEvent>${flow('f3', 'wait', 'done')}
  <bpmn:endEvent id="done" />`, sig('s', 'late'));

/** waits for a signal only the service may broadcast */
const GUARDED_SIGNAL = CATCHER.replace(/sig-catcher/g, 'sig-service-only').replace(sig('s', 'alarm'), sig('s', 'recall', 'service'));

interface Broadcast { signalKey: string; delivered: number; started: number; deliveredTo: Array<{ instanceId: string; processKey: string }>; startedInstances: Array<{ instanceId: string; processKey: string }> }
interface Detail { status: string; activeElements: string[]; variables: Record<string, unknown> }
interface HistoryItem { elementId: string; event: string }
interface TaskPage { items: Array<{ id: string; elementId: string }> }

describe('signals: broadcast, start, catch, boundary, event subprocess, throw', () => {
  let stack: Stack;

  beforeAll(async () => {
    stack = await startStack();
    for (const xml of [CATCHER, guarded('sig-interrupted', true), guarded('sig-noted', false), LAUNCHED, audited('sig-audit-int', true), audited('sig-audit-non', false), RELAY_THROWER, RELAY_ENDER, RELAY_CATCHER, LATE, GUARDED_SIGNAL]) {
      const res = await stack.api<{ problems?: unknown }>('POST', '/api/definitions', xml, 'application/xml');
      expect({ status: res.status, body: res.status === 201 ? null : res.body }).toEqual({ status: 201, body: null });
    }
  });

  afterAll(async () => {
    await stack?.stop();
  });

  const start = async (key: string, variables: Record<string, unknown> = {}) => {
    const res = await stack.api<{ instanceId: string }>('POST', `/api/processes/${key}/instances`, { variables });
    expect(res.status).toBe(201);
    return res.body.instanceId;
  };
  /** The read model shows the instance waiting for the signal: what a broadcast finds it by. */
  const subscribed = (instanceId: string, name: string) => waitUntil(`${instanceId} subscribed to '${name}'`, async () =>
    (await stack.services.projections.instances.exists({ _id: instanceId, signalNames: name })) !== null, 20_000, 100);
  const broadcast = (signalName: string, variables?: Record<string, unknown>) =>
    stack.api<Broadcast>('POST', '/api/signals', { signalName, ...(variables ? { variables } : {}) });
  const history = async (id: string) => (await stack.api<HistoryItem[]>('GET', `/api/instances/${id}/history`)).body;
  const completeTask = async (instanceId: string, elementId: string) => {
    const page = await eventually<TaskPage>(stack, `/api/tasks?instanceId=${instanceId}`, (p) => p.items.some((t) => t.elementId === elementId), `task ${elementId}`);
    const task = page.items.find((t) => t.elementId === elementId)!;
    expect((await stack.api('POST', `/api/tasks/${task.id}/claim`, { assignee: 'agent-1' })).status).toBeLessThan(300);
    expect((await stack.api('POST', `/api/tasks/${task.id}/complete`, {})).status).toBeLessThan(300);
  };

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

  it('starts one instance of each process with a signal start event, with the signal variables; a new version without it stops that', async () => {
    const res = await broadcast('launch', { batch: 7 });
    expect(res.status).toBe(200);
    expect(res.body).toMatchObject({ delivered: 0, started: 1 });
    const [started] = res.body.startedInstances;
    expect(started).toEqual({ instanceId: expect.stringMatching(/^pi-/), processKey: 'sig-launched' });
    const detail = await eventually<Detail>(stack, `/api/instances/${started!.instanceId}`, (d) => d.activeElements.includes('work'), 'the launched instance at its task');
    expect(detail.variables).toEqual({ batch: 7 });
    // Ended first: a new version of a process with live instances waits for a second publisher (four eyes).
    await completeTask(started!.instanceId, 'work');
    await eventually<{ items: unknown[] }>(stack, '/api/instances?key=sig-launched&status=active', (p) => p.items.length === 0, 'no live launched instance');

    const withoutSignalStart = LAUNCHED.replace(`<bpmn:startEvent id="launched">${onSignal('s')}</bpmn:startEvent>`, '<bpmn:startEvent id="launched" />');
    expect((await stack.api('POST', '/api/definitions', withoutSignalStart, 'application/xml')).status).toBe(201);
    expect((await broadcast('launch')).body).toMatchObject({ delivered: 0, started: 0 });
  });

  it('an event-subprocess signal start: interrupting ends the task, non-interrupting runs beside it', async () => {
    const [int, non] = [await start('sig-audit-int'), await start('sig-audit-non')];
    await subscribed(int, 'audit');
    await subscribed(non, 'audit');
    expect((await broadcast('audit')).body.delivered).toBe(2);

    await eventually<Detail>(stack, `/api/instances/${int}`, (d) => d.status === 'completed', 'the interrupted instance completed');
    expect(await history(int)).toEqual(expect.arrayContaining([{ elementId: 'work', event: 'terminated' }, { elementId: 'audited', event: 'completed' }].map(expect.objectContaining)));

    await waitUntil('the non-interrupting event subprocess ran', async () => (await history(non)).some((e) => e.elementId === 'audited' && e.event === 'completed'), 20_000, 100);
    const beside = (await stack.api<Detail>('GET', `/api/instances/${non}`)).body;
    expect(beside).toMatchObject({ status: 'active', activeElements: ['work'] });
  });

  it('a signal throw event in one process reaches an instance of another, with the throw event\'s input mappings as variables', async () => {
    const catcher = await start('sig-relay-catcher');
    await subscribed(catcher, 'relay');
    const thrower = await start('sig-thrower', { ticket: 'T-9', private: 'not sent' });
    await eventually<Detail>(stack, `/api/instances/${thrower}`, (d) => d.status === 'completed', 'the thrower completed');
    const caught = await eventually<Detail>(stack, `/api/instances/${catcher}`, (d) => d.status === 'completed', 'the catcher completed by the thrown signal');
    expect(caught.variables).toEqual({ relayedTicket: 'T-9' });
  });

  it('a signal end event broadcasts before its instance ends', async () => {
    const catcher = await start('sig-relay-catcher', { mine: 1 });
    await subscribed(catcher, 'relay');
    const ender = await start('sig-ender', { secret: 'kept' });
    await eventually<Detail>(stack, `/api/instances/${ender}`, (d) => d.status === 'completed', 'the ender completed');
    const caught = await eventually<Detail>(stack, `/api/instances/${catcher}`, (d) => d.status === 'completed', 'the catcher completed by the end event');
    expect(caught.variables).toEqual({ mine: 1 });
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
