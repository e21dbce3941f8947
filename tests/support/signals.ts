/**
 * Shared by the signal tests (signalsBroadcast, signalsStartAndThrow): the processes they run,
 * a stack with all of them deployed, and start/broadcast/read calls through the HTTP API.
 */
import { waitUntil } from '../../server/infra/ports';
import { eventually, startStack, type Stack } from './stack';

export const bpmn = (id: string, body: string, roots = '') => `<?xml version="1.0" encoding="UTF-8"?>
<bpmn:definitions xmlns:bpmn="http://www.omg.org/spec/BPMN/20100524/MODEL" xmlns:zeebe="http://camunda.org/schema/zeebe/1.0" id="d-${id}" targetNamespace="http://example.com/bpmn">
  ${roots}
  <bpmn:process id="${id}" isExecutable="true">${body}</bpmn:process>
</bpmn:definitions>`;
export const flow = (id: string, from: string, to: string) => `<bpmn:sequenceFlow id="${id}" sourceRef="${from}" targetRef="${to}" />`;
export const sig = (id: string, name: string, publishers?: string) => publishers === undefined
  ? `<bpmn:signal id="${id}" name="${name}" />`
  : `<bpmn:signal id="${id}" name="${name}"><bpmn:extensionElements><zeebe:properties><zeebe:property name="publishers" value="${publishers}" /></zeebe:properties></bpmn:extensionElements></bpmn:signal>`;
export const onSignal = (ref: string) => `<bpmn:signalEventDefinition signalRef="${ref}" />`;

/** start → catch(alarm) → end */
export const CATCHER = bpmn('sig-catcher', `
  <bpmn:startEvent id="start" />${flow('f1', 'start', 'wait')}
  <bpmn:intermediateCatchEvent id="wait">${onSignal('s')}</bpmn:intermediateCatchEvent>${flow('f2', 'wait', 'done')}
  <bpmn:endEvent id="done" />`, sig('s', 'alarm'));

/** a user task with a signal boundary (alarm), interrupting or not */
export const guarded = (id: string, interrupting: boolean) => bpmn(id, `
  <bpmn:startEvent id="start" />${flow('f1', 'start', 'work')}
  <bpmn:userTask id="work" name="Work" />${flow('f2', 'work', 'done')}
  <bpmn:boundaryEvent id="alarmed" attachedToRef="work" cancelActivity="${interrupting}">${onSignal('s')}</bpmn:boundaryEvent>${flow('f3', 'alarmed', 'handled')}
  <bpmn:endEvent id="done" /><bpmn:endEvent id="handled" />`, sig('s', 'alarm'));

/** a process started by the signal 'launch' */
export const LAUNCHED = bpmn('sig-launched', `
  <bpmn:startEvent id="launched">${onSignal('s')}</bpmn:startEvent>${flow('f1', 'launched', 'work')}
  <bpmn:userTask id="work" name="Work" />${flow('f2', 'work', 'done')}
  <bpmn:endEvent id="done" />`, sig('s', 'launch'));

/** a user task beside an event subprocess started by the signal 'audit', interrupting or not */
export const audited = (id: string, interrupting: boolean) => bpmn(id, `
  <bpmn:startEvent id="start" />${flow('f1', 'start', 'work')}
  <bpmn:userTask id="work" name="Work" />${flow('f2', 'work', 'done')}
  <bpmn:endEvent id="done" />
  <bpmn:subProcess id="audit" triggeredByEvent="true">
    <bpmn:startEvent id="auditStart" isInterrupting="${interrupting}">${onSignal('s')}</bpmn:startEvent>${flow('f3', 'auditStart', 'audited')}
    <bpmn:endEvent id="audited" />
  </bpmn:subProcess>`, sig('s', 'audit'));

/** throws 'relay' (with an input mapping as its variables), then ends */
export const RELAY_THROWER = bpmn('sig-thrower', `
  <bpmn:startEvent id="start" />${flow('f1', 'start', 'announce')}
  <bpmn:intermediateThrowEvent id="announce">
    <bpmn:extensionElements><zeebe:ioMapping><zeebe:input source="=ticket" target="relayedTicket" /></zeebe:ioMapping></bpmn:extensionElements>
    ${onSignal('s')}
  </bpmn:intermediateThrowEvent>${flow('f2', 'announce', 'done')}
  <bpmn:endEvent id="done" />`, sig('s', 'relay'));

/** ends with a signal end event throwing 'relay' (no input mappings: no variables) */
export const RELAY_ENDER = bpmn('sig-ender', `
  <bpmn:startEvent id="start" />${flow('f1', 'start', 'finish')}
  <bpmn:endEvent id="finish">${onSignal('s')}</bpmn:endEvent>`, sig('s', 'relay'));

export const RELAY_CATCHER = CATCHER.replace(/sig-catcher/g, 'sig-relay-catcher').replace('name="alarm"', 'name="relay"');

/** a user task, then a catch of 'late' */
export const LATE = bpmn('sig-late', `
  <bpmn:startEvent id="start" />${flow('f1', 'start', 'first')}
  <bpmn:userTask id="first" name="First" />${flow('f2', 'first', 'wait')}
  <bpmn:intermediateCatchEvent id="wait">${onSignal('s')}</bpmn:intermediateCatchEvent>${flow('f3', 'wait', 'done')}
  <bpmn:endEvent id="done" />`, sig('s', 'late'));

/** waits for a signal only the service may broadcast */
export const GUARDED_SIGNAL = CATCHER.replace(/sig-catcher/g, 'sig-service-only').replace(sig('s', 'alarm'), sig('s', 'recall', 'service'));

export interface Broadcast { signalKey: string; delivered: number; started: number; deliveredTo: Array<{ instanceId: string; processKey: string }>; startedInstances: Array<{ instanceId: string; processKey: string }> }
export interface Detail { status: string; activeElements: string[]; variables: Record<string, unknown> }
export interface HistoryItem { elementId: string; event: string }
export interface TaskPage { items: Array<{ id: string; elementId: string }> }

/** A stack with every process above deployed. */
export async function startSignalStack(): Promise<Stack> {
  const stack = await startStack();
  for (const xml of [CATCHER, guarded('sig-interrupted', true), guarded('sig-noted', false), LAUNCHED, audited('sig-audit-int', true), audited('sig-audit-non', false), RELAY_THROWER, RELAY_ENDER, RELAY_CATCHER, LATE, GUARDED_SIGNAL]) {
    const res = await stack.api<{ problems?: unknown }>('POST', '/api/definitions', xml, 'application/xml');
    expect({ status: res.status, body: res.status === 201 ? null : res.body }).toEqual({ status: 201, body: null });
  }
  return stack;
}

/** Start, wait for a subscription, broadcast, read the history, complete a task. */
export function signalCalls(stack: () => Stack) {
  const start = async (key: string, variables: Record<string, unknown> = {}) => {
    const res = await stack().api<{ instanceId: string }>('POST', `/api/processes/${key}/instances`, { variables });
    expect(res.status).toBe(201);
    return res.body.instanceId;
  };
  /** The read model shows the instance waiting for the signal: what a broadcast finds it by. */
  const subscribed = (instanceId: string, name: string) => waitUntil(`${instanceId} subscribed to '${name}'`, async () =>
    (await stack().services.projections.instances.exists({ _id: instanceId, signalNames: name })) !== null, 20_000, 100);
  const broadcast = (signalName: string, variables?: Record<string, unknown>) =>
    stack().api<Broadcast>('POST', '/api/signals', { signalName, ...(variables ? { variables } : {}) });
  const history = async (id: string) => (await stack().api<HistoryItem[]>('GET', `/api/instances/${id}/history`)).body;
  const completeTask = async (instanceId: string, elementId: string) => {
    const page = await eventually<TaskPage>(stack(), `/api/tasks?instanceId=${instanceId}`, (p) => p.items.some((t) => t.elementId === elementId), `task ${elementId}`);
    const task = page.items.find((t) => t.elementId === elementId)!;
    expect((await stack().api('POST', `/api/tasks/${task.id}/claim`, { assignee: 'agent-1' })).status).toBeLessThan(300);
    expect((await stack().api('POST', `/api/tasks/${task.id}/complete`, {})).status).toBeLessThan(300);
  };
  return { start, subscribed, broadcast, history, completeTask };
}
