/**
 * Signal events as Camunda 8 runs them, through the HTTP API on the real servers (Temporal dev
 * server, FerretDB, the worker): a broadcast starts every process with a signal start event and
 * event subprocesses started by a signal; a throw or end event in one process reaches another.
 */
import { waitUntil } from '../../server/infra/ports';
import { LAUNCHED, onSignal, signalCalls, startSignalStack, type Detail } from '../support/signals';
import { eventually, type Stack } from '../support/stack';

describe('signals: start, event subprocess, throw', () => {
  let stack: Stack;
  const { start, subscribed, broadcast, history, completeTask } = signalCalls(() => stack);

  beforeAll(async () => {
    stack = await startSignalStack();
  });

  afterAll(async () => {
    await stack?.stop();
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
});
