/**
 * Execution listeners (Camunda 8.6+, decision 0055), compiled from BPMN and driven through
 * `step`: start listeners run after the input mappings and before the element subscribes to
 * events and does its work, their variables local to the element; end listeners run after the
 * output mappings and before the element is left, their variables going to the parent scope;
 * each is a job the element waits for, in diagram order; a failure with no retries left is an
 * incident whose resolution opens only that listener again; a thrown BPMN error is not caught.
 */
import { compileBpmn } from '../../../processes/compiler';
import type { ProcessModel } from '../../../processes/model';
import { migrate } from '../../../processes/evaluator';
import { Sim } from './harness';
import { NS } from '../compiler/helpers';

async function model(body: string, processExtensions = ''): Promise<ProcessModel> {
  const xml = `<?xml version="1.0" encoding="UTF-8"?>
<bpmn:definitions ${NS} id="Defs" targetNamespace="http://example.com/bpmn">
  <bpmn:error id="Err" name="Rejected" errorCode="REJECTED" />
  <bpmn:process id="p" isExecutable="true">${processExtensions}${body}</bpmn:process>
</bpmn:definitions>`;
  const result = await compileBpmn(xml, { taskTypes: null });
  const compiled = result.document?.processes[0];
  if (!result.ok || !compiled) throw new Error(result.problems.map((p) => `${p.elementId}: ${p.message}`).join('\n'));
  return compiled;
}

const flow = (id: string, from: string, to: string, condition?: string) => condition === undefined
  ? `<bpmn:sequenceFlow id="${id}" sourceRef="${from}" targetRef="${to}" />`
  : `<bpmn:sequenceFlow id="${id}" sourceRef="${from}" targetRef="${to}"><bpmn:conditionExpression>${condition}</bpmn:conditionExpression></bpmn:sequenceFlow>`;
const listeners = (...l: Array<[string, string, number?]>) =>
  `<zeebe:executionListeners>${l.map(([eventType, type, retries]) => `<zeebe:executionListener eventType="${eventType}" type="${type}"${retries === undefined ? '' : ` retries="${retries}"`} />`).join('')}</zeebe:executionListeners>`;

/** S -> W (service task `work`: input x = a, output y = result, a 1h timer boundary, the given listeners) -> E */
function serviceTask(listenerXml: string, boundary = '<bpmn:timerEventDefinition><bpmn:timeDuration>PT1H</bpmn:timeDuration></bpmn:timerEventDefinition>'): string {
  return `
    <bpmn:startEvent id="S" />${flow('f1', 'S', 'W')}
    <bpmn:serviceTask id="W"><bpmn:extensionElements>
      <zeebe:taskDefinition type="work" />
      <zeebe:taskHeaders><zeebe:header key="channel" value="mail" /></zeebe:taskHeaders>
      <zeebe:ioMapping><zeebe:input source="=a" target="x" /><zeebe:output source="=result" target="y" /></zeebe:ioMapping>
      ${listenerXml}
    </bpmn:extensionElements></bpmn:serviceTask>${flow('f2', 'W', 'E')}
    <bpmn:boundaryEvent id="B" attachedToRef="W">${boundary}</bpmn:boundaryEvent>${flow('f3', 'B', 'X')}
    <bpmn:endEvent id="X" /><bpmn:endEvent id="E" />`;
}

const jobs = (s: Sim) => s.of('executeJob').map((j) => `${j.taskType}${j.listener ? `@${j.listener}` : ''}`);
const lastJob = (s: Sim) => s.of('executeJob').at(-1)!;
const complete = (s: Sim, vars: Record<string, unknown> = {}) => s.send({ type: 'jobCompleted', key: lastJob(s).key, variables: vars });

describe('execution listeners', () => {
  it('runs start listeners in order after the input mappings, before the boundary events and the job; end listeners after the output mappings', async () => {
    const s = new Sim(await model(serviceTask(listeners(['start', 'prepare'], ['start', 'check'], ['end', 'audit']))));
    s.start({ a: 1 });
    expect(jobs(s)).toEqual(['prepare@start']);
    expect(lastJob(s)).toMatchObject({ elementId: 'W', variables: { a: 1, x: 1 }, headers: [{ key: 'channel', value: 'mail' }] });
    expect(s.timers()).toEqual([]);
    expect(s.active()).toContain('W');

    complete(s, { prepared: 'yes' });
    expect(jobs(s)).toEqual(['prepare@start', 'check@start']);
    expect(lastJob(s).variables).toEqual({ a: 1, x: 1, prepared: 'yes' });
    expect(s.timers()).toEqual([]);

    complete(s);
    expect(jobs(s)).toEqual(['prepare@start', 'check@start', 'work']);
    expect(lastJob(s).variables).toEqual({ a: 1, x: 1, prepared: 'yes' });
    expect(s.timers().map((t) => t.elementId)).toEqual(['B']);

    complete(s, { result: 5 });
    expect(jobs(s)).toEqual(['prepare@start', 'check@start', 'work', 'audit@end']);
    expect(lastJob(s).variables).toMatchObject({ a: 1, y: 5 });
    expect(s.trace('elementCompleted')).toEqual(['S']);
    expect(s.timers().map((t) => t.elementId)).toEqual(['B']);

    complete(s, { audited: true });
    expect(s.trace('elementCompleted')).toEqual(['S', 'W', 'E', 'p']);
    // start listener variables were local to W; the end listener's went to the process scope
    expect(s.state.finalVariables).toEqual({ a: 1, y: 5, audited: true });
    s.expectClean();
  });

  it('a failed listener job is retried with the retries left, then becomes an incident that reopens only that listener', async () => {
    const s = new Sim(await model(serviceTask(listeners(['start', 'prepare'], ['start', 'check', 2]))));
    s.start({ a: 1 });
    complete(s);
    expect(lastJob(s)).toMatchObject({ taskType: 'check', listener: 'start', retries: 2 });
    s.send({ type: 'jobFailed', key: lastJob(s).key, message: 'busy', retriesLeft: 1 });
    expect(jobs(s)).toEqual(['prepare@start', 'check@start', 'check@start']);
    expect(lastJob(s).retries).toBe(1);
    s.send({ type: 'jobFailed', key: lastJob(s).key, message: 'down', retriesLeft: 0 });
    expect(s.incidents()).toEqual([{ type: 'EXECUTION_LISTENER_NO_RETRIES', elementId: 'W' }]);
    expect(s.of('raiseIncident').at(-1)!.incident.message).toBe('down');
    expect(jobs(s)).toHaveLength(3);

    s.resolve('W');
    expect(s.incidents()).toEqual([]);
    expect(jobs(s)).toEqual(['prepare@start', 'check@start', 'check@start', 'check@start']);
    complete(s);
    expect(jobs(s).at(-1)).toBe('work');
    complete(s, { result: 1 });
    s.expectClean();
  });

  it('a BPMN error thrown by a listener job is not caught by the boundary event: it is an incident', async () => {
    const s = new Sim(await model(serviceTask(listeners(['end', 'audit']), '<bpmn:errorEventDefinition errorRef="Err" />')));
    s.start({ a: 1 });
    complete(s, { result: 2 });
    expect(lastJob(s)).toMatchObject({ taskType: 'audit', listener: 'end' });
    s.send({ type: 'jobThrewError', key: lastJob(s).key, errorCode: 'REJECTED' });
    expect(s.incidents()).toEqual([{ type: 'UNHANDLED_ERROR_EVENT', elementId: 'W' }]);
    expect(s.trace('elementActivated')).not.toContain('B');
    s.resolve('W');
    expect(jobs(s).at(-1)).toBe('audit@end');
    complete(s);
    expect(s.trace('elementCompleted')).toEqual(['S', 'W', 'E', 'p']);
    s.expectClean();
  });

  it('a gateway start listener sets the variable its conditions read', async () => {
    const s = new Sim(await model(`
      <bpmn:startEvent id="S" />${flow('f1', 'S', 'G')}
      <bpmn:exclusiveGateway id="G" default="toA"><bpmn:extensionElements>${listeners(['start', 'route'])}</bpmn:extensionElements></bpmn:exclusiveGateway>
      ${flow('toA', 'G', 'A')}${flow('toB', 'G', 'B', '=lane = "b"')}
      <bpmn:endEvent id="A" /><bpmn:endEvent id="B" />`));
    s.start();
    expect(jobs(s)).toEqual(['route@start']);
    complete(s, { lane: 'b' });
    expect(s.trace('elementCompleted')).toEqual(['S', 'G', 'B', 'p']);
  });

  it('listeners of catch events and end events run around their trigger and their end', async () => {
    const s = new Sim(await model(`
      <bpmn:startEvent id="S"><bpmn:extensionElements>${listeners(['end', 'started'])}</bpmn:extensionElements></bpmn:startEvent>${flow('f1', 'S', 'C')}
      <bpmn:intermediateCatchEvent id="C"><bpmn:extensionElements>${listeners(['start', 'arm'], ['end', 'fired'])}</bpmn:extensionElements>
        <bpmn:timerEventDefinition><bpmn:timeDuration>=wait</bpmn:timeDuration></bpmn:timerEventDefinition></bpmn:intermediateCatchEvent>${flow('f2', 'C', 'E')}
      <bpmn:endEvent id="E"><bpmn:extensionElements>${listeners(['start', 'closing'], ['end', 'closed'])}</bpmn:extensionElements></bpmn:endEvent>`));
    s.start();
    expect(jobs(s)).toEqual(['started@end']);
    complete(s);
    expect(jobs(s).at(-1)).toBe('arm@start');
    expect(s.timers()).toEqual([]);
    complete(s, { wait: 'PT5M' }); // the timer's expression reads the listener's variable
    expect(s.timers()).toEqual([{ elementId: 'C', dueAt: s.time + 5 * 60_000 }]);
    s.fireTimer('C');
    expect(jobs(s).at(-1)).toBe('fired@end');
    complete(s);
    expect(jobs(s).at(-1)).toBe('closing@start');
    complete(s);
    expect(jobs(s).at(-1)).toBe('closed@end');
    complete(s);
    expect(s.trace('elementCompleted')).toEqual(['S', 'C', 'E', 'p']);
    s.expectClean();
  });

  it('a listener type given as FEEL is evaluated at the element; a failed evaluation is an incident', async () => {
    const s = new Sim(await model(serviceTask(`<zeebe:executionListeners><zeebe:executionListener eventType="start" type="=&quot;audit.&quot; + kind" /></zeebe:executionListeners>`)));
    s.start({ a: 1 });
    expect(s.incidents()).toEqual([{ type: 'EXTRACT_VALUE_ERROR', elementId: 'W' }]);
    expect(jobs(s)).toEqual([]);
    s.send({ type: 'setVariables', variables: { kind: 'fraud' } });
    s.resolve('W');
    expect(jobs(s)).toEqual(['audit.fraud@start']);
  });

  it('cancelling the instance cancels an open listener job', async () => {
    const s = new Sim(await model(serviceTask(listeners(['start', 'prepare']))));
    s.start({ a: 1 });
    const key = lastJob(s).key;
    s.send({ type: 'cancel' });
    expect(s.of('cancelJob').map((c) => c.key)).toEqual([key]);
    expect(s.state.status).toBe('terminated');
  });

  it('elements without listeners emit no listener jobs (their commands are unchanged)', async () => {
    const s = new Sim(await model(serviceTask('')));
    s.start({ a: 1 });
    expect(lastJob(s)).not.toHaveProperty('listener');
    expect(jobs(s)).toEqual(['work']);
  });

  it('listeners of the process run before its start event and its event subprocess subscriptions, and after its last token', async () => {
    const s = new Sim(await model(`
      <bpmn:startEvent id="S" />${flow('f1', 'S', 'W')}
      <bpmn:serviceTask id="W"><bpmn:extensionElements><zeebe:taskDefinition type="work" /></bpmn:extensionElements></bpmn:serviceTask>${flow('f2', 'W', 'E')}
      <bpmn:endEvent id="E" />
      <bpmn:subProcess id="ESP" triggeredByEvent="true">
        <bpmn:startEvent id="ES" isInterrupting="false"><bpmn:timerEventDefinition><bpmn:timeDuration>PT1H</bpmn:timeDuration></bpmn:timerEventDefinition></bpmn:startEvent>
        ${flow('ef', 'ES', 'EE')}<bpmn:endEvent id="EE" />
      </bpmn:subProcess>`, `<bpmn:extensionElements>${listeners(['start', 'opened'], ['end', 'closed'])}</bpmn:extensionElements>`));
    s.start({ a: 1 });
    expect(jobs(s)).toEqual(['opened@start']);
    expect(lastJob(s)).toMatchObject({ elementId: 'p', variables: { a: 1 } });
    expect(s.timers()).toEqual([]);
    expect(s.trace('elementActivated')).toEqual(['p']);
    complete(s, { opened: true });
    expect(s.timers().map((t) => t.elementId)).toEqual(['ES']);
    expect(jobs(s)).toEqual(['opened@start', 'work']);
    complete(s);
    expect(jobs(s)).toEqual(['opened@start', 'work', 'closed@end']);
    expect(s.trace('elementCompleted')).toEqual(['S', 'W', 'E']);
    expect(s.state.status).toBe('active');
    s.send({ type: 'jobFailed', key: lastJob(s).key, message: 'archive down', retriesLeft: 0 });
    expect(s.incidents()).toEqual([{ type: 'EXECUTION_LISTENER_NO_RETRIES', elementId: 'p' }]);
    s.resolve('p');
    complete(s, { closed: true });
    expect(s.trace('elementCompleted')).toEqual(['S', 'W', 'E', 'p']);
    expect(s.state.finalVariables).toEqual({ a: 1, opened: true, closed: true });
    s.expectClean();
  });

  it('an instance inside its listeners is not migrated: its place is an index into the source listeners', async () => {
    const m = await model(serviceTask(listeners(['start', 'prepare'])));
    const s = new Sim(m);
    s.start({ a: 1 });
    const refused = migrate(m, m, s.state);
    expect(refused).toMatchObject({ ok: false, refusals: [{ elementId: 'W', reason: "'W' is running its start execution listeners; migrate once they have completed" }] });
    complete(s);
    expect(migrate(m, m, s.state).ok).toBe(true);
  });

  it('on a multi-instance activity they run around each inner instance, not the body', async () => {
    const s = new Sim(await model(`
      <bpmn:startEvent id="S" />${flow('f1', 'S', 'W')}
      <bpmn:serviceTask id="W"><bpmn:extensionElements><zeebe:taskDefinition type="work" />${listeners(['start', 'prepare'], ['end', 'audit'])}</bpmn:extensionElements>
        <bpmn:multiInstanceLoopCharacteristics isSequential="true"><bpmn:extensionElements><zeebe:loopCharacteristics inputCollection="=items" inputElement="item" /></bpmn:extensionElements></bpmn:multiInstanceLoopCharacteristics>
      </bpmn:serviceTask>${flow('f2', 'W', 'E')}
      <bpmn:endEvent id="E" />`));
    s.start({ items: ['a', 'b'] });
    const seen: string[] = [];
    while (s.state.status === 'active') {
      const j = lastJob(s);
      seen.push(`${j.taskType}:${String(j.variables.item)}`);
      complete(s);
    }
    expect(seen).toEqual(['prepare:a', 'work:a', 'audit:a', 'prepare:b', 'work:b', 'audit:b']);
    s.expectClean();
  });

  it('parallel inner instances each wait for their own start listener', async () => {
    const s = new Sim(await model(`
      <bpmn:startEvent id="S" />${flow('f1', 'S', 'W')}
      <bpmn:serviceTask id="W"><bpmn:extensionElements><zeebe:taskDefinition type="work" />${listeners(['start', 'prepare'])}</bpmn:extensionElements>
        <bpmn:multiInstanceLoopCharacteristics><bpmn:extensionElements><zeebe:loopCharacteristics inputCollection="=items" inputElement="item" /></bpmn:extensionElements></bpmn:multiInstanceLoopCharacteristics>
      </bpmn:serviceTask>${flow('f2', 'W', 'E')}
      <bpmn:endEvent id="E" />`));
    s.start({ items: ['a', 'b'] });
    const prepares = s.of('executeJob');
    expect(prepares.map((j) => `${j.taskType}:${String(j.variables.item)}`)).toEqual(['prepare:a', 'prepare:b']);
    expect(new Set(prepares.map((j) => j.elementInstanceKey)).size).toBe(2);
    s.send({ type: 'jobCompleted', key: prepares[1]!.key, variables: {} });
    expect(jobs(s)).toEqual(['prepare@start', 'prepare@start', 'work']);
    expect(lastJob(s).variables.item).toBe('b');
    s.send({ type: 'jobCompleted', key: prepares[0]!.key, variables: {} });
    const works = s.of('executeJob').filter((j) => j.taskType === 'work');
    expect(works.map((j) => j.variables.item)).toEqual(['b', 'a']);
    for (const w of works) s.send({ type: 'jobCompleted', key: w.key, variables: {} });
    s.expectClean();
  });
});
