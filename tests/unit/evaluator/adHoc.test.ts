/**
 * Ad-hoc subprocesses as Camunda 8.7 runs them (decision 0046), compiled from BPMN and
 * driven through `step`: activeElementsCollection on entry, the completion condition after
 * each inner element, cancelRemainingInstances, inner sequence flows, incidents.
 */
import { compileBpmn } from '../../../processes/compiler';
import type { ProcessModel } from '../../../processes/model';
import { Sim } from './harness';
import { NS } from '../compiler/helpers';

async function model(adHocAttrs: string, adHocExt: string, inner: string, condition = ''): Promise<ProcessModel> {
  const xml = `<?xml version="1.0" encoding="UTF-8"?>
<bpmn:definitions ${NS} id="Defs" targetNamespace="http://example.com/bpmn">
  <bpmn:process id="p" isExecutable="true">
    <bpmn:startEvent id="S" /><bpmn:sequenceFlow id="f1" sourceRef="S" targetRef="A" />
    <bpmn:adHocSubProcess id="A" ${adHocAttrs}>
      <bpmn:extensionElements>${adHocExt}</bpmn:extensionElements>
      ${inner}
      ${condition ? `<bpmn:completionCondition xsi:type="bpmn:tFormalExpression">${condition}</bpmn:completionCondition>` : ''}
    </bpmn:adHocSubProcess>
    <bpmn:sequenceFlow id="f2" sourceRef="A" targetRef="E" />
    <bpmn:endEvent id="E" />
  </bpmn:process>
</bpmn:definitions>`;
  const result = await compileBpmn(xml, { taskTypes: null });
  const compiled = result.document?.processes[0];
  if (!result.ok || !compiled) throw new Error(result.problems.map((p) => `${p.elementId}: ${p.message}`).join('\n'));
  return compiled;
}

const active = (expr: string) => `<zeebe:adHoc activeElementsCollection="${expr}" />`;
const TASKS = '<bpmn:userTask id="T1" /><bpmn:userTask id="T2" /><bpmn:userTask id="T3" />';

describe('ad-hoc subprocess: activation', () => {
  it('enters the elements of activeElementsCollection and completes when they are done (no condition)', async () => {
    const s = new Sim(await model('', active('=todo'), TASKS));
    s.start({ todo: ['T1', 'T3'] });
    expect(s.active().sort()).toEqual(['A', 'T1', 'T3']);
    s.completeUserTask('T1', { one: 1 });
    expect(s.active().sort()).toEqual(['A', 'T3']);
    s.completeUserTask('T3');
    expect(s.trace('elementCompleted')).toEqual(['S', 'T1', 'T3', 'A', 'E', 'p']);
    expect(s.state.finalVariables).toEqual({ todo: ['T1', 'T3'], one: 1 });
    s.expectClean();
  });

  it('without a collection (or with an empty list) activates nothing and waits', async () => {
    const none = new Sim(await model('', '', TASKS));
    none.start();
    expect(none.active()).toEqual(['A']);
    expect(none.state.status).toBe('active');
    const empty = new Sim(await model('', active('=[]'), TASKS));
    empty.start();
    expect(empty.active()).toEqual(['A']);
    expect(empty.state.status).toBe('active');
  });

  it('an element named twice is activated twice', async () => {
    const s = new Sim(await model('', active('=[&quot;T1&quot;, &quot;T1&quot;]'), TASKS));
    s.start();
    expect(s.active().sort()).toEqual(['A', 'T1', 'T1']);
  });

  it('a collection naming an unknown element, an element with an incoming flow or a non-string is an incident', async () => {
    const inner = `${TASKS}<bpmn:sequenceFlow id="i1" sourceRef="T1" targetRef="T2" />`;
    for (const todo of [['T1', 'Nope'], ['T2'], [1], 'T1']) {
      const s = new Sim(await model('', active('=todo'), inner));
      s.start({ todo });
      expect(s.incidents()).toEqual([{ type: 'EXTRACT_VALUE_ERROR', elementId: 'A' }]);
      expect(s.active()).toEqual(['A']);
    }
  });

  it('resolving the collection incident after fixing the variable enters the elements', async () => {
    const s = new Sim(await model('', active('=todo'), TASKS));
    s.start({ todo: ['Nope'] });
    expect(s.incidents()).toEqual([{ type: 'EXTRACT_VALUE_ERROR', elementId: 'A' }]);
    s.send({ type: 'setVariables', variables: { todo: ['T2'] } });
    s.resolve('A');
    expect(s.active().sort()).toEqual(['A', 'T2']);
    s.completeUserTask('T2');
    s.expectClean();
  });

  it('inner sequence flows run as in any subprocess: the ad-hoc completes when the chain is done', async () => {
    const inner = `${TASKS}<bpmn:sequenceFlow id="i1" sourceRef="T1" targetRef="T2" />`;
    const s = new Sim(await model('', active('=[&quot;T1&quot;]'), inner));
    s.start();
    s.completeUserTask('T1');
    expect(s.active().sort()).toEqual(['A', 'T2']);
    s.completeUserTask('T2');
    expect(s.trace('elementCompleted')).toEqual(['S', 'T1', 'T2', 'A', 'E', 'p']);
    s.expectClean();
  });
});

describe('ad-hoc subprocess: completion condition', () => {
  it('true after an inner element completes terminates the rest (cancelRemainingInstances default true)', async () => {
    const s = new Sim(await model('', active('=todo'), TASKS, '=done = true'));
    s.start({ todo: ['T1', 'T2', 'T3'] });
    s.completeUserTask('T1', { done: false });
    expect(s.active().sort()).toEqual(['A', 'T2', 'T3']);
    s.completeUserTask('T2', { done: true });
    expect(s.trace('elementTerminated')).toEqual(['T3']);
    expect(s.trace('elementCompleted')).toEqual(['S', 'T1', 'T2', 'A', 'E', 'p']);
    s.expectClean();
  });

  it('with cancelRemainingInstances=false it waits for the active elements, then completes', async () => {
    const s = new Sim(await model('cancelRemainingInstances="false"', active('=todo'), TASKS, '=done = true'));
    s.start({ todo: ['T1', 'T2'] });
    s.completeUserTask('T1', { done: true });
    expect(s.active().sort()).toEqual(['A', 'T2']);
    s.completeUserTask('T2', { done: false });
    expect(s.trace('elementTerminated')).toEqual([]);
    expect(s.trace('elementCompleted')).toEqual(['S', 'T1', 'T2', 'A', 'E', 'p']);
    s.expectClean();
  });

  it('false when nothing is left: the subprocess stays active', async () => {
    const s = new Sim(await model('', active('=todo'), TASKS, '=done = true'));
    s.start({ todo: ['T1'] });
    s.completeUserTask('T1', { done: false });
    expect(s.active()).toEqual(['A']);
    expect(s.state.status).toBe('active');
  });

  it('a condition that is not a boolean is an incident at the completing element; resolving re-evaluates it', async () => {
    const s = new Sim(await model('', active('=todo'), TASKS, '=done'));
    s.start({ todo: ['T1', 'T2'] });
    s.completeUserTask('T1', { other: 1 });
    expect(s.incidents()).toEqual([{ type: 'CONDITION_ERROR', elementId: 'T1' }]);
    expect(s.active().sort()).toEqual(['A', 'T1', 'T2']);
    s.send({ type: 'setVariables', variables: { done: true } });
    s.resolve('T1');
    expect(s.trace('elementTerminated')).toEqual(['T2']);
    expect(s.trace('elementCompleted')).toEqual(['S', 'T1', 'A', 'E', 'p']);
    s.expectClean();
  });
});

describe('ad-hoc subprocess served by a job worker (Camunda 8.8)', () => {
  const JOB = '<zeebe:taskDefinition type="agent" />';
  const jobs = (s: Sim) => s.of('executeJob').map((c) => c.elementId);

  it('opens a job on entry with adHocSubProcessElements; the result activates elements with local variables', async () => {
    const s = new Sim(await model('', JOB, '<bpmn:userTask id="T1" name="Call" /><bpmn:userTask id="T2" />'));
    s.start();
    expect(jobs(s)).toEqual(['A']);
    expect(s.of('executeJob')[0]?.variables).toMatchObject({ adHocSubProcessElements: [{ elementId: 'T1', elementName: 'Call' }, { elementId: 'T2', elementName: null }] });
    expect(s.send({ type: 'jobCompleted', key: s.jobKey('A'), variables: { plan: 'p1' }, adHoc: { activateElements: [{ elementId: 'T1', variables: { toolCall: 1 } }] } }).accepted).toBe(true);
    expect(s.active().sort()).toEqual(['A', 'T1']);
    const t1 = Object.values(s.state.instances).find((i) => i.elementId === 'T1');
    expect(t1?.variables).toEqual({ toolCall: 1 });
    expect(s.vars()).toMatchObject({ plan: 'p1' });
  });

  it('asks the worker again after each inner path ends, then completes when it says so', async () => {
    const s = new Sim(await model('', JOB, TASKS));
    s.start();
    s.send({ type: 'jobCompleted', key: s.jobKey('A'), adHoc: { activateElements: [{ elementId: 'T1' }, { elementId: 'T2' }] } });
    expect(s.of('executeJob')).toHaveLength(1);
    s.completeUserTask('T1');
    expect(jobs(s)).toEqual(['A', 'A']);
    s.completeUserTask('T2');
    // one job at a time: the second was withdrawn for a third
    expect(jobs(s)).toEqual(['A', 'A', 'A']);
    expect(s.of('cancelJob').map((c) => c.elementId)).toEqual(['A']);
    expect(s.active()).toEqual(['A']);
    s.send({ type: 'jobCompleted', key: s.jobKey('A'), variables: { answer: 42 }, adHoc: { isCompletionConditionFulfilled: true } });
    expect(s.trace('elementCompleted')).toEqual(['S', 'T1', 'T2', 'A', 'E', 'p']);
    expect(s.state.finalVariables).toMatchObject({ answer: 42 });
    s.expectClean();
  });

  it('fulfilled with isCancelRemainingInstances terminates what is active; without it waits for it', async () => {
    const cancel = new Sim(await model('', JOB, TASKS));
    cancel.start();
    cancel.send({ type: 'jobCompleted', key: cancel.jobKey('A'), adHoc: { activateElements: [{ elementId: 'T1' }, { elementId: 'T3' }] } });
    cancel.completeUserTask('T1');
    cancel.send({ type: 'jobCompleted', key: cancel.jobKey('A'), adHoc: { isCompletionConditionFulfilled: true, isCancelRemainingInstances: true } });
    expect(cancel.trace('elementTerminated')).toEqual(['T3']);
    cancel.expectClean();

    const wait = new Sim(await model('', JOB, TASKS));
    wait.start();
    wait.send({ type: 'jobCompleted', key: wait.jobKey('A'), adHoc: { activateElements: [{ elementId: 'T1' }, { elementId: 'T3' }] } });
    wait.completeUserTask('T1');
    wait.send({ type: 'jobCompleted', key: wait.jobKey('A'), adHoc: { isCompletionConditionFulfilled: true } });
    expect(wait.active().sort()).toEqual(['A', 'T3']);
    wait.completeUserTask('T3');
    expect(wait.of('executeJob')).toHaveLength(2);
    wait.expectClean();
  });

  it('refuses a result naming an unknown element, an element with an incoming flow, or fulfilling while activating; nothing changes', async () => {
    const inner = `${TASKS}<bpmn:sequenceFlow id="i1" sourceRef="T1" targetRef="T2" />`;
    const s = new Sim(await model('', JOB, inner));
    s.start();
    const key = s.jobKey('A');
    const before = JSON.stringify(s.state);
    const r1 = s.send({ type: 'jobCompleted', key, adHoc: { activateElements: [{ elementId: 'Nope' }] } });
    expect(r1).toMatchObject({ accepted: false, reason: expect.stringContaining("'Nope'") });
    expect(s.send({ type: 'jobCompleted', key, adHoc: { activateElements: [{ elementId: 'T2' }] } }).accepted).toBe(false);
    const r3 = s.send({ type: 'jobCompleted', key, adHoc: { activateElements: [{ elementId: 'T1' }], isCompletionConditionFulfilled: true } });
    expect(r3).toMatchObject({ accepted: false, reason: expect.stringContaining('cannot both') });
    expect(JSON.stringify(s.state)).toBe(before);
  });

  it('refuses an ad-hoc result on the job of a service task', async () => {
    const s = new Sim(await model('', active('=[&quot;T&quot;]'), '<bpmn:serviceTask id="T"><bpmn:extensionElements><zeebe:taskDefinition type="x" /></bpmn:extensionElements></bpmn:serviceTask>'));
    s.start();
    expect(s.send({ type: 'jobCompleted', key: s.jobKey('T'), adHoc: { isCompletionConditionFulfilled: true } })).toMatchObject({ accepted: false, reason: expect.stringContaining('not an ad-hoc subprocess') });
  });
});

describe('ad-hoc output collection (Camunda 8.8)', () => {
  const OUT = '<zeebe:adHoc activeElementsCollection="=todo" outputCollection="results" outputElement="={task: taskName, said: said}" />';
  const inner = '<bpmn:userTask id="T1"><bpmn:extensionElements><zeebe:ioMapping><zeebe:input source="=&quot;one&quot;" target="taskName" /></zeebe:ioMapping></bpmn:extensionElements></bpmn:userTask>'
    + '<bpmn:userTask id="T2"><bpmn:extensionElements><zeebe:ioMapping><zeebe:input source="=&quot;two&quot;" target="taskName" /></zeebe:ioMapping></bpmn:extensionElements></bpmn:userTask>';

  it('appends outputElement, evaluated at the element whose path ends, and hands the list to the parent on completion', async () => {
    const s = new Sim(await model('', OUT, inner));
    s.start({ todo: ['T1', 'T2'] });
    const adHocKey = Object.values(s.state.instances).find((i) => i.elementId === 'A')!.key;
    expect(s.vars(adHocKey)).toMatchObject({ results: [] });
    s.completeUserTask('T2', { said: 'b' });
    s.completeUserTask('T1', { said: 'a' });
    expect(s.state.finalVariables).toMatchObject({ results: [{ task: 'two', said: 'b' }, { task: 'one', said: 'a' }] });
    s.expectClean();
  });

  it('an outputElement that fails is an incident at the completing element; resolving appends once', async () => {
    const s = new Sim(await model('', '<zeebe:adHoc activeElementsCollection="=todo" outputCollection="results" outputElement="=assert(said, said != null)" />', TASKS, '=count(results) >= 0 and false'));
    s.start({ todo: ['T1'] });
    s.completeUserTask('T1');
    expect(s.incidents()).toEqual([{ type: 'IO_MAPPING_ERROR', elementId: 'T1' }]);
    s.send({ type: 'setVariables', variables: { said: 'x' } });
    s.resolve('T1');
    const adHocKey = Object.values(s.state.instances).find((i) => i.elementId === 'A')!.key;
    expect(s.vars(adHocKey)).toMatchObject({ results: ['x'] });
  });
});

describe('event subprocesses inside a job-worker ad-hoc subprocess', () => {
  const esp = (interrupting: boolean) => `<bpmn:subProcess id="Esp" triggeredByEvent="true">
      <bpmn:startEvent id="EspStart" isInterrupting="${interrupting}"><bpmn:messageEventDefinition messageRef="Stop" /></bpmn:startEvent>
      <bpmn:sequenceFlow id="e1" sourceRef="EspStart" targetRef="EspEnd" /><bpmn:endEvent id="EspEnd" /></bpmn:subProcess>`;
  async function withEsp(interrupting: boolean): Promise<ProcessModel> {
    const xml = `<?xml version="1.0" encoding="UTF-8"?>
<bpmn:definitions ${NS} id="Defs" targetNamespace="http://example.com/bpmn"><bpmn:message id="Stop" name="stop"><bpmn:extensionElements><zeebe:subscription correlationKey="=k" /></bpmn:extensionElements></bpmn:message>
  <bpmn:process id="p" isExecutable="true">
    <bpmn:startEvent id="S" /><bpmn:sequenceFlow id="f1" sourceRef="S" targetRef="A" />
    <bpmn:adHocSubProcess id="A"><bpmn:extensionElements><zeebe:taskDefinition type="agent" /></bpmn:extensionElements>${TASKS}${esp(interrupting)}</bpmn:adHocSubProcess>
    <bpmn:sequenceFlow id="f2" sourceRef="A" targetRef="E" /><bpmn:endEvent id="E" />
  </bpmn:process>
</bpmn:definitions>`;
    const result = await compileBpmn(xml, { taskTypes: null });
    if (!result.ok || !result.document?.processes[0]) throw new Error(result.problems.map((p) => `${p.elementId}: ${p.message}`).join('\n'));
    return result.document.processes[0];
  }

  it('an interrupting one terminates the inner elements and the job and completes the ad-hoc subprocess', async () => {
    const s = new Sim(await withEsp(true));
    s.start({ k: '1' });
    s.send({ type: 'jobCompleted', key: s.jobKey('A'), adHoc: { activateElements: [{ elementId: 'T1' }] } });
    s.completeUserTask('T1');
    expect(s.of('executeJob')).toHaveLength(2);
    s.message('stop', '1');
    expect(s.of('executeJob')).toHaveLength(2);
    expect(s.of('cancelJob').map((c) => c.elementId)).toEqual(['A']);
    expect(s.trace('elementCompleted')).toEqual(['S', 'T1', 'EspStart', 'EspEnd', 'Esp', 'A', 'E', 'p']);
    s.expectClean();
  });

  it('a non-interrupting one asks the worker again when it ends', async () => {
    const s = new Sim(await withEsp(false));
    s.start({ k: '1' });
    s.send({ type: 'jobCompleted', key: s.jobKey('A'), adHoc: { activateElements: [{ elementId: 'T1' }] } });
    s.message('stop', '1');
    expect(s.of('executeJob')).toHaveLength(2);
    expect(s.active().sort()).toEqual(['A', 'T1']);
  });
});
