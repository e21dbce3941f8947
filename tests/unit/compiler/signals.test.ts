/** Signal event definitions in the compiler: what compiles, and element-precise problems. */
import { about, around, compile, doc } from './helpers';

const SIGNAL = '<bpmn:signal id="Sig" name="alarm" />';

describe('signal events compile', () => {
  it('on every element kind Camunda 8 supports, with static and FEEL names', async () => {
    const result = await compile(doc(`
      <bpmn:startEvent id="S">
        <bpmn:signalEventDefinition signalRef="Sig" />
      </bpmn:startEvent>
      <bpmn:sequenceFlow id="f1" sourceRef="S" targetRef="C" />
      <bpmn:intermediateCatchEvent id="C"><bpmn:signalEventDefinition signalRef="Dyn" /></bpmn:intermediateCatchEvent>
      <bpmn:sequenceFlow id="f2" sourceRef="C" targetRef="T" />
      <bpmn:userTask id="T" name="t" />
      <bpmn:boundaryEvent id="B1" attachedToRef="T"><bpmn:signalEventDefinition signalRef="Sig" /></bpmn:boundaryEvent>
      <bpmn:boundaryEvent id="B2" attachedToRef="T" cancelActivity="false"><bpmn:signalEventDefinition signalRef="Sig" /></bpmn:boundaryEvent>
      <bpmn:sequenceFlow id="f3" sourceRef="T" targetRef="Th" />
      <bpmn:sequenceFlow id="f4" sourceRef="B1" targetRef="E0" />
      <bpmn:sequenceFlow id="f5" sourceRef="B2" targetRef="E0" />
      <bpmn:endEvent id="E0" />
      <bpmn:intermediateThrowEvent id="Th"><bpmn:signalEventDefinition signalRef="Sig" /></bpmn:intermediateThrowEvent>
      <bpmn:sequenceFlow id="f6" sourceRef="Th" targetRef="E" />
      <bpmn:endEvent id="E"><bpmn:signalEventDefinition signalRef="Dyn" /></bpmn:endEvent>
      <bpmn:subProcess id="Esp" triggeredByEvent="true">
        <bpmn:startEvent id="EspS" isInterrupting="false"><bpmn:signalEventDefinition signalRef="Sig" /></bpmn:startEvent>
        <bpmn:sequenceFlow id="f7" sourceRef="EspS" targetRef="EspE" />
        <bpmn:endEvent id="EspE" />
      </bpmn:subProcess>`, `${SIGNAL}<bpmn:signal id="Dyn" name="=&quot;alarm-&quot; + region" />`), { taskTypes: null });
    expect(result.problems.filter((p) => p.severity === 'error')).toEqual([]);
    const byId = new Map(result.document!.processes[0]!.elements.map((e) => [e.id, e]));
    expect(byId.get('S')).toMatchObject({ kind: 'startEvent', trigger: { type: 'signal', signalName: { static: 'alarm' } } });
    expect(byId.get('C')).toMatchObject({ trigger: { type: 'signal', signalName: { feel: '"alarm-" + region' } } });
    expect(byId.get('B1')).toMatchObject({ interrupting: true, trigger: { type: 'signal' } });
    expect(byId.get('B2')).toMatchObject({ interrupting: false, trigger: { type: 'signal' } });
    expect(byId.get('Th')).toMatchObject({ kind: 'intermediateThrowEvent', result: { type: 'signal', signalName: { static: 'alarm' } } });
    expect(byId.get('E')).toMatchObject({ kind: 'endEvent', result: { type: 'signal', signalName: { feel: '"alarm-" + region' } } });
    expect(byId.get('EspS')).toMatchObject({ kind: 'startEvent', interrupting: false, trigger: { type: 'signal' } });
  });

  it('a signal catch is a wait state, so a loop through it is not refused', async () => {
    const result = await compile(doc(`
      <bpmn:startEvent id="S" /><bpmn:sequenceFlow id="f1" sourceRef="S" targetRef="G" />
      <bpmn:exclusiveGateway id="G" /><bpmn:sequenceFlow id="f2" sourceRef="G" targetRef="C" />
      <bpmn:intermediateCatchEvent id="C"><bpmn:signalEventDefinition signalRef="Sig" /></bpmn:intermediateCatchEvent>
      <bpmn:sequenceFlow id="f3" sourceRef="C" targetRef="G" />`, SIGNAL), { taskTypes: null });
    expect(about(result, 'G').filter((m) => /loop/.test(m))).toEqual([]);
    expect(about(result, 'C')).toEqual([]);
  });
});

describe('malformed signal events are named', () => {
  it.each([
    ['catch', '<bpmn:intermediateCatchEvent id="X"><bpmn:signalEventDefinition /></bpmn:intermediateCatchEvent>', 'error: bpmn:IntermediateCatchEvent references no bpmn:Signal (signalRef missing)'],
    ['throw', '<bpmn:intermediateThrowEvent id="X"><bpmn:signalEventDefinition /></bpmn:intermediateThrowEvent>', 'error: bpmn:IntermediateThrowEvent references no bpmn:Signal (signalRef missing)'],
    ['nameless', '<bpmn:intermediateCatchEvent id="X"><bpmn:signalEventDefinition signalRef="NoName" /></bpmn:intermediateCatchEvent>', "error: signal 'NoName' has no name"],
    ['bad FEEL', '<bpmn:intermediateThrowEvent id="X"><bpmn:signalEventDefinition signalRef="Bad" /></bpmn:intermediateThrowEvent>', expect.stringMatching(/^error: name of signal 'Bad' is not valid FEEL/)],
  ])('%s', async (_what, element, message) => {
    const result = await compile(around(element, '<bpmn:signal id="NoName" /><bpmn:signal id="Bad" name="=1 +" />'), { taskTypes: null });
    expect(about(result, 'X')).toEqual([message]);
  });

  it('a signal boundary on something that is not an activity is refused as before', async () => {
    const result = await compile(around('<bpmn:task id="X" name="x" /><bpmn:boundaryEvent id="B"><bpmn:signalEventDefinition signalRef="Sig" /></bpmn:boundaryEvent>', SIGNAL), { taskTypes: null });
    expect(about(result, 'B')).toEqual(['error: boundary event is not attached to an activity (attachedToRef missing)']);
  });
});
