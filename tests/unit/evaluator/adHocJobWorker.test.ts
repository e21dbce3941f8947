/**
 * Ad-hoc subprocesses served by a job worker, as Camunda 8.8 runs them (decision 0046): a job
 * on entry and after each inner path ends, its result activating elements or fulfilling the
 * condition, refused results; event subprocesses inside one.
 */
import { compileBpmn } from '../../../processes/compiler';
import type { ProcessModel } from '../../../processes/model';
import { active, model, TASKS } from './adHocModel';
import { Sim } from './harness';
import { NS } from '../compiler/helpers';

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
