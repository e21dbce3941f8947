/** Compiling bpmn:adHocSubProcess (decision 0046): what is kept in the model and what is refused with its element id. */
import { about, compile, doc } from './helpers';

function adHoc(attrs: string, ext: string, inner: string, condition = ''): string {
  return doc(`
    <bpmn:startEvent id="S" /><bpmn:sequenceFlow id="f1" sourceRef="S" targetRef="A" />
    <bpmn:adHocSubProcess id="A" ${attrs}>
      ${ext ? `<bpmn:extensionElements>${ext}</bpmn:extensionElements>` : ''}
      ${inner}
      ${condition ? `<bpmn:completionCondition xsi:type="bpmn:tFormalExpression">${condition}</bpmn:completionCondition>` : ''}
    </bpmn:adHocSubProcess>
    <bpmn:sequenceFlow id="f2" sourceRef="A" targetRef="E" />
    <bpmn:endEvent id="E" />`);
}

const TASKS = '<bpmn:userTask id="T1" /><bpmn:userTask id="T2" /><bpmn:sequenceFlow id="i1" sourceRef="T1" targetRef="T2" />';

describe('ad-hoc subprocess compilation', () => {
  it('keeps the collection, condition and cancelRemainingInstances; inner elements need no incoming flow and are not unreachable', async () => {
    const r = await compile(adHoc('cancelRemainingInstances="false"', '<zeebe:adHoc activeElementsCollection="=todo" />', TASKS, '=done'), { taskTypes: null });
    expect(r.problems.filter((p) => p.severity === 'error' || p.message.includes('unreachable'))).toEqual([]);
    const a = r.document?.processes[0]?.elements.find((e) => e.id === 'A');
    expect(a).toMatchObject({ kind: 'subProcess', bpmnType: 'bpmn:AdHocSubProcess', adHoc: { activeElements: 'todo', completionCondition: 'done', cancelRemainingInstances: false } });
  });

  it('defaults: no collection, no condition, cancelRemainingInstances true', async () => {
    const r = await compile(adHoc('', '', TASKS), { taskTypes: null });
    expect(r.ok).toBe(true);
    const a = r.document?.processes[0]?.elements.find((e) => e.id === 'A');
    expect(a).toMatchObject({ adHoc: { cancelRemainingInstances: true } });
    expect(a && 'adHoc' in a ? Object.keys(a.adHoc ?? {}) : []).toEqual(['cancelRemainingInstances']);
  });

  it('refuses start and end events inside, naming them', async () => {
    const r = await compile(adHoc('', '', `${TASKS}<bpmn:startEvent id="IS" /><bpmn:endEvent id="IE" />`), { taskTypes: null });
    expect(r.ok).toBe(false);
    expect(about(r, 'IS')).toContain("error: an ad-hoc subprocess ('A') must not contain start events");
    expect(about(r, 'IE')).toEqual(["error: an ad-hoc subprocess ('A') must not contain end events"]);
  });

  it('refuses an ad-hoc subprocess without an activity', async () => {
    const r = await compile(adHoc('', '', '<bpmn:intermediateThrowEvent id="X" />'), { taskTypes: null });
    expect(about(r, 'A')).toEqual(["error: ad-hoc subprocess 'A' must contain at least one activity"]);
  });

  it('refuses a static collection or condition, and FEEL that does not parse', async () => {
    const r1 = await compile(adHoc('', '<zeebe:adHoc activeElementsCollection="T1" />', TASKS), { taskTypes: null });
    expect(about(r1, 'A')).toEqual([expect.stringContaining("zeebe:adHoc activeElementsCollection must be a FEEL expression starting with '='")]);
    const r2 = await compile(adHoc('', '', TASKS, '=done ='), { taskTypes: null });
    expect(about(r2, 'A')).toEqual([expect.stringContaining('ad-hoc completionCondition')]);
  });

  it('keeps the job of the job-worker mode (zeebe:taskDefinition); takes a FEEL job type as service tasks do (evaluated on activation); refuses a lone outputCollection, naming the subprocess', async () => {
    const r0 = await compile(adHoc('', '<zeebe:taskDefinition type="agent" retries="5" />', TASKS), { taskTypes: null });
    expect(about(r0, 'A')).toEqual([]);
    expect(r0.document?.processes[0]?.elements.find((e) => e.id === 'A')).toMatchObject({ adHoc: { job: { type: 'agent', retries: 5 } } });
    const r1 = await compile(adHoc('', '<zeebe:taskDefinition type="=kind" />', TASKS), { taskTypes: null });
    expect(about(r1, 'A')).toEqual([]);
    expect(r1.document?.processes[0]?.elements.find((e) => e.id === 'A')).toMatchObject({ adHoc: { job: { typeExpression: expect.stringContaining('kind') } } });
    const r2 = await compile(adHoc('', '<zeebe:adHoc outputCollection="results" />', TASKS), { taskTypes: null });
    expect(about(r2, 'A')).toEqual([expect.stringContaining('outputCollection and outputElement go together')]);
    const r3 = await compile(adHoc('', '<zeebe:adHoc outputCollection="results" outputElement="=r" />', TASKS), { taskTypes: null });
    expect(r3.document?.processes[0]?.elements.find((e) => e.id === 'A')).toMatchObject({ adHoc: { outputCollection: 'results', outputElement: 'r' } });
  });

  it('an inner element with an incoming flow but no path to it is still reported unreachable', async () => {
    const r = await compile(adHoc('', '', `${TASKS}<bpmn:userTask id="T3" /><bpmn:userTask id="T4" /><bpmn:sequenceFlow id="i2" sourceRef="T4" targetRef="T3" /><bpmn:sequenceFlow id="i3" sourceRef="T3" targetRef="T4" />`), { taskTypes: null });
    expect(r.problems.filter((p) => p.message.includes('unreachable')).map((p) => p.elementId).sort()).toEqual(['T3', 'T4']);
  });
});
