import type { ElementDef } from '../../../processes/model';
import { JOB, about, allAbout, compile, doc, errors } from './helpers';

const COMP = '<bpmn:compensateEventDefinition />';

/** start -> A -> throwing -> end, A with a compensation boundary `compA` and `extra` inside the process. */
function withHandler(handler: string, extra = '', throwing = `<bpmn:intermediateThrowEvent id="T">${COMP}</bpmn:intermediateThrowEvent>`): string {
  return doc(`
    <bpmn:startEvent id="S" />
    <bpmn:serviceTask id="A">${JOB}</bpmn:serviceTask>
    <bpmn:boundaryEvent id="compA" attachedToRef="A">${COMP}</bpmn:boundaryEvent>
    ${handler}
    ${throwing}
    <bpmn:endEvent id="E" />
    <bpmn:sequenceFlow id="f1" sourceRef="S" targetRef="A" />
    <bpmn:sequenceFlow id="f2" sourceRef="A" targetRef="T" />
    <bpmn:sequenceFlow id="f3" sourceRef="T" targetRef="E" />
    <bpmn:association id="as" sourceRef="compA" targetRef="H" />
    ${extra}`);
}

const HANDLER = `<bpmn:serviceTask id="H" name="undo A" isForCompensation="true">${JOB}</bpmn:serviceTask>`;

function element(result: Awaited<ReturnType<typeof compile>>, id: string): ElementDef | undefined {
  return result.document?.processes[0]?.elements.find((e) => e.id === id);
}

describe('compensation in the compiler', () => {
  it('links the boundary event to its activity and handler; the boundary is not an element of the model', async () => {
    const result = await compile(withHandler(HANDLER));
    expect(errors(result)).toEqual([]);
    expect(element(result, 'A')).toMatchObject({ compensation: { boundaryEventId: 'compA', handlerId: 'H' }, boundaryEventIds: [] });
    expect(element(result, 'H')).toMatchObject({ isForCompensation: true, incoming: [], outgoing: [] });
    expect(element(result, 'compA')).toBeUndefined();
    expect(element(result, 'T')).toMatchObject({ kind: 'intermediateThrowEvent', result: { type: 'compensation' } });
    // a handler has no incoming flow by design: no "unreachable" warning
    expect(allAbout(result, 'H')).toEqual([]);
  });

  it('compiles an end event with an activityRef to an activity of its scope', async () => {
    const result = await compile(withHandler(HANDLER, '', `<bpmn:endEvent id="T"><bpmn:compensateEventDefinition activityRef="A" /></bpmn:endEvent>`)
      .replace('<bpmn:sequenceFlow id="f3" sourceRef="T" targetRef="E" />', '').replace('<bpmn:endEvent id="E" />', ''));
    expect(errors(result)).toEqual([]);
    expect(element(result, 'T')).toMatchObject({ kind: 'endEvent', result: { type: 'compensation', activityRef: 'A' } });
  });

  it('refuses waitForCompletion="false", as Zeebe does', async () => {
    const result = await compile(withHandler(HANDLER, '', '<bpmn:intermediateThrowEvent id="T"><bpmn:compensateEventDefinition waitForCompletion="false" /></bpmn:intermediateThrowEvent>'));
    expect(about(result, 'T')).toEqual([expect.stringMatching(/must wait for completion/)]);
  });

  it('refuses a handler with sequence flows', async () => {
    const result = await compile(withHandler(HANDLER, '<bpmn:sequenceFlow id="f4" sourceRef="H" targetRef="E" />'));
    expect(about(result, 'H')).toEqual(['error: a compensation handler must not have incoming or outgoing sequence flows; a compensation boundary event starts it']);
  });

  it('refuses a handler with a boundary event', async () => {
    const result = await compile(withHandler(HANDLER, `<bpmn:boundaryEvent id="onT" attachedToRef="H"><bpmn:timerEventDefinition><bpmn:timeDuration>PT1H</bpmn:timeDuration></bpmn:timerEventDefinition></bpmn:boundaryEvent>
      <bpmn:sequenceFlow id="f5" sourceRef="onT" targetRef="E" />`));
    expect(about(result, 'H')).toEqual(['error: a compensation handler cannot have boundary events']);
  });

  it('refuses a boundary event without a handler, and one associated with an ordinary activity', async () => {
    const none = await compile(withHandler(HANDLER).replace('<bpmn:association id="as" sourceRef="compA" targetRef="H" />', ''));
    expect(about(none, 'compA')).toEqual([expect.stringMatching(/^error: compensation boundary event has no compensation handler/)]);
    expect(allAbout(none, 'H')).toEqual([expect.stringMatching(/^warning: compensation handler 'H' is not associated/)]);
    const ordinary = await compile(withHandler(`<bpmn:serviceTask id="H">${JOB}</bpmn:serviceTask>`));
    expect(about(ordinary, 'compA')).toEqual([expect.stringMatching(/associated with 'H', which is not a compensation handler/)]);
  });

  it('refuses a compensation boundary event with an outgoing sequence flow', async () => {
    const result = await compile(withHandler(HANDLER, '<bpmn:sequenceFlow id="f6" sourceRef="compA" targetRef="E" />'));
    expect(about(result, 'compA')).toEqual([expect.stringMatching(/must not have outgoing sequence flows/)]);
  });

  it('refuses an activityRef outside the scope of the throw event', async () => {
    const result = await compile(doc(`
      <bpmn:startEvent id="S" />
      <bpmn:subProcess id="Sub">
        <bpmn:startEvent id="S2" />
        <bpmn:serviceTask id="Inner" name="inner">${JOB}</bpmn:serviceTask>
        <bpmn:boundaryEvent id="compInner" attachedToRef="Inner">${COMP}</bpmn:boundaryEvent>
        <bpmn:task id="undoInner" name="undo" isForCompensation="true" />
        <bpmn:association id="ai" sourceRef="compInner" targetRef="undoInner" />
        <bpmn:sequenceFlow id="g1" sourceRef="S2" targetRef="Inner" />
      </bpmn:subProcess>
      <bpmn:endEvent id="T"><bpmn:compensateEventDefinition activityRef="Inner" /></bpmn:endEvent>
      <bpmn:sequenceFlow id="f1" sourceRef="S" targetRef="Sub" />
      <bpmn:sequenceFlow id="f2" sourceRef="Sub" targetRef="T" />`));
    expect(about(result, 'T')).toEqual(["error: compensation activityRef 'Inner' must name an activity in the scope where compensation is thrown (the process)"]);
  });

  it('refuses an activityRef to an activity without a compensation boundary event (a subprocess is fine)', async () => {
    const result = await compile(withHandler(HANDLER, `<bpmn:serviceTask id="B" name="b">${JOB}</bpmn:serviceTask><bpmn:sequenceFlow id="f7" sourceRef="S" targetRef="B" />`,
      '<bpmn:intermediateThrowEvent id="T"><bpmn:compensateEventDefinition activityRef="B" /></bpmn:intermediateThrowEvent>'));
    expect(about(result, 'T')).toEqual(["error: compensation activityRef 'B' must name an activity with a compensation boundary event or an embedded subprocess"]);
  });

  it('refuses receive tasks as handlers (Camunda 8 accepts tasks, subprocesses and call activities)', async () => {
    const result = await compile(withHandler('<bpmn:receiveTask id="H" name="h" isForCompensation="true" messageRef="M" />', '', undefined)
      .replace('<bpmn:process', '<bpmn:message id="M" name="m"><bpmn:extensionElements><zeebe:subscription correlationKey="=k" /></bpmn:extensionElements></bpmn:message><bpmn:process'));
    expect(about(result, 'H')).toContainEqual(expect.stringMatching(/^error: a bpmn:ReceiveTask cannot be a compensation handler/));
  });

  it('refuses a compensation event subprocess (not supported by Camunda 8.5)', async () => {
    const result = await compile(doc(`
      <bpmn:startEvent id="S" /><bpmn:endEvent id="E" />
      <bpmn:sequenceFlow id="f1" sourceRef="S" targetRef="E" />
      <bpmn:subProcess id="Esp" triggeredByEvent="true">
        <bpmn:startEvent id="X">${COMP}</bpmn:startEvent>
        <bpmn:endEvent id="E2" />
        <bpmn:sequenceFlow id="g1" sourceRef="X" targetRef="E2" />
      </bpmn:subProcess>`));
    expect(about(result, 'X')).toEqual([expect.stringMatching(/^error: compensation bpmn:StartEvent is not supported/)]);
  });

  it('keeps models without compensation unchanged (no new fields)', async () => {
    const result = await compile(doc(`
      <bpmn:startEvent id="S" /><bpmn:serviceTask id="A">${JOB}</bpmn:serviceTask><bpmn:endEvent id="E" />
      <bpmn:sequenceFlow id="f1" sourceRef="S" targetRef="A" /><bpmn:sequenceFlow id="f2" sourceRef="A" targetRef="E" />`));
    expect(element(result, 'A')).not.toHaveProperty('compensation');
    expect(element(result, 'A')).not.toHaveProperty('isForCompensation');
  });
});
