/** Compile errors naming the elements this engine does not run; what it ignores silently. */
import { around, compile, doc, errors } from './helpers';

describe('unsupported elements are named', () => {
  const cases: Array<[string, string, RegExp]> = [
    ['conditional catch event', '<bpmn:intermediateCatchEvent id="X"><bpmn:conditionalEventDefinition /></bpmn:intermediateCatchEvent>', /^conditional bpmn:IntermediateCatchEvent is not supported/],
    ['compensation intermediate catch event', '<bpmn:intermediateCatchEvent id="X"><bpmn:compensateEventDefinition /></bpmn:intermediateCatchEvent>', /^compensation bpmn:IntermediateCatchEvent is not supported/],
    ['transaction', '<bpmn:transaction id="X" name="x" />', /^unsupported element bpmn:Transaction: transactions/],
    ['complex gateway', '<bpmn:complexGateway id="X" />', /^unsupported element bpmn:ComplexGateway/],
    ['ad-hoc subprocess with an output collection but no output element', '<bpmn:adHocSubProcess id="X" name="x"><bpmn:extensionElements><zeebe:adHoc outputCollection="results" /></bpmn:extensionElements><bpmn:task id="I" name="i" /></bpmn:adHocSubProcess>', /^zeebe:adHoc outputCollection and outputElement go together/],
    ['standard loop', '<bpmn:task id="X" name="x"><bpmn:standardLoopCharacteristics /></bpmn:task>', /^bpmn:StandardLoopCharacteristics \(loop marker\) is not supported/],
    ['multiple event definitions', '<bpmn:intermediateCatchEvent id="X"><bpmn:timerEventDefinition /><bpmn:messageEventDefinition /></bpmn:intermediateCatchEvent>', /with 2 event definitions \(multiple event\) is not supported/],
    ['user task with task listeners', '<bpmn:userTask id="X" name="x"><bpmn:extensionElements><zeebe:taskListeners><zeebe:taskListener eventType="assigning" type="audit" /></zeebe:taskListeners></bpmn:extensionElements></bpmn:userTask>', /^task listeners \(zeebe:taskListeners\) are not supported$/],
  ];

  it.each(cases)('refuses a %s', async (_what, element, message) => {
    const result = await compile(around(element));
    expect(errors(result).filter((p) => p.elementId === 'X').map((p) => p.message)).toEqual([expect.stringMatching(message)]);
  });

  it('ignores data objects, annotations, associations, groups and lanes silently', async () => {
    const result = await compile(doc(`
      <bpmn:laneSet id="LS"><bpmn:lane id="L" name="desk"><bpmn:flowNodeRef>S</bpmn:flowNodeRef></bpmn:lane></bpmn:laneSet>
      <bpmn:startEvent id="S" /><bpmn:endEvent id="E" />
      <bpmn:sequenceFlow id="F" sourceRef="S" targetRef="E" />
      <bpmn:dataObject id="DO" /><bpmn:dataObjectReference id="DOR" dataObjectRef="DO" />
      <bpmn:textAnnotation id="TA"><bpmn:text>note</bpmn:text></bpmn:textAnnotation>
      <bpmn:association id="AS" sourceRef="S" targetRef="TA" />
      <bpmn:group id="GR" />`));
    expect(result.problems).toEqual([]);
    expect(result.document!.processes[0]!.elements.map((e) => e.id)).toEqual(['S', 'E']);
  });
});
