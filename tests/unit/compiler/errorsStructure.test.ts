/**
 * Compile errors in the shape of a process: start events, flows that lead nowhere or cross a
 * subprocess boundary, gateway conditions and defaults, event-based gateway targets and links,
 * boundary events.
 */
import { about, allAbout, around, compile, doc, errors } from './helpers';

describe('structural errors', () => {
  it('refuses an executable process without an id, naming the definitions around it', async () => {
    const xml = doc('<bpmn:startEvent id="S" /><bpmn:endEvent id="E" /><bpmn:sequenceFlow id="F" sourceRef="S" targetRef="E" />')
      .replace('<bpmn:process id="p" isExecutable="true">', '<bpmn:process name="Intake" isExecutable="true">');
    const result = await compile(xml);
    expect(result.ok).toBe(false);
    expect(about(result, 'Defs')).toEqual(["error: a bpmn:Process ('Intake') has no id; Camunda 8 needs one: it is the BPMN process id instances are started by"]);
    expect(errors(result).map((p) => p.elementType)).toEqual(['bpmn:Definitions']);
  });

  it('requires a start event in an executable process', async () => {
    const result = await compile(doc('<bpmn:task id="T" name="t" />'));
    expect(about(result, 'p')).toEqual(["error: process 'p' has no start event"]);
  });

  it('requires a none start event in an embedded subprocess', async () => {
    const result = await compile(around('<bpmn:subProcess id="X" name="x"><bpmn:task id="Inner" name="i" /></bpmn:subProcess>'));
    expect(about(result, 'X')).toEqual(["error: subprocess 'X' has no start event"]);
  });

  it('refuses a typed start event in an embedded subprocess', async () => {
    const result = await compile(around(`<bpmn:subProcess id="X" name="x">
      <bpmn:startEvent id="Typed"><bpmn:timerEventDefinition><bpmn:timeDuration>PT1H</bpmn:timeDuration></bpmn:timerEventDefinition></bpmn:startEvent>
    </bpmn:subProcess>`));
    expect(about(result, 'Typed')).toEqual(['error: timer bpmn:StartEvent is not supported (supported here: none)']);
  });

  it('refuses a none start event in an event subprocess', async () => {
    const result = await compile(around(`<bpmn:task id="X" name="x" />
      <bpmn:subProcess id="Ev" triggeredByEvent="true"><bpmn:startEvent id="Blank" /></bpmn:subProcess>`));
    expect(about(result, 'Blank')).toEqual(['error: none bpmn:StartEvent is not supported (supported here: message, timer, error, escalation, signal)']);
  });

  it('accepts exclusive, inclusive and parallel gateways without outgoing flows as implicit ends, with a warning (Zeebe deploys them)', async () => {
    const result = await compile(doc(`<bpmn:startEvent id="S" /><bpmn:parallelGateway id="Fork" />
      <bpmn:exclusiveGateway id="X" /><bpmn:inclusiveGateway id="I" /><bpmn:parallelGateway id="P" />
      <bpmn:sequenceFlow id="F0" sourceRef="S" targetRef="Fork" /><bpmn:sequenceFlow id="F1" sourceRef="Fork" targetRef="X" />
      <bpmn:sequenceFlow id="F2" sourceRef="Fork" targetRef="I" /><bpmn:sequenceFlow id="F3" sourceRef="Fork" targetRef="P" />`));
    expect(errors(result)).toEqual([]);
    expect(allAbout(result, 'X')).toContain("warning: bpmn:ExclusiveGateway 'X' has no outgoing sequence flow: the path ends at the gateway (an implicit end, as in Camunda 8)");
    expect(allAbout(result, 'I')).toContain("warning: bpmn:InclusiveGateway 'I' has no outgoing sequence flow: the path ends at the gateway (an implicit end, as in Camunda 8)");
    expect(allAbout(result, 'P')).toContain("warning: bpmn:ParallelGateway 'P' has no outgoing sequence flow: the path ends at the gateway (an implicit end, as in Camunda 8)");
  });

  it('still refuses an event-based gateway without outgoing flows', async () => {
    const result = await compile(doc(`<bpmn:startEvent id="S" /><bpmn:eventBasedGateway id="G" />
      <bpmn:sequenceFlow id="F" sourceRef="S" targetRef="G" />`));
    expect(about(result, 'G')).toEqual(['error: an event-based gateway needs at least two outgoing sequence flows']);
  });

  it('accepts a start event without outgoing flow as an implicit end, with a warning (Zeebe deploys it)', async () => {
    const result = await compile(doc('<bpmn:startEvent id="S" />'));
    expect(result.ok).toBe(true);
    expect(allAbout(result, 'S')).toEqual([
      "warning: bpmn:StartEvent 'S' has no outgoing sequence flow: its path ends right after it starts (an implicit end, as in Camunda 8)",
      'warning: Element is an implicit end',
    ]);
  });

  it('accepts an activity without outgoing flow as an implicit end, with a lint warning', async () => {
    const result = await compile(doc(`<bpmn:startEvent id="S" /><bpmn:task id="T" name="t" />
      <bpmn:sequenceFlow id="F" sourceRef="S" targetRef="T" />`));
    expect(result.ok).toBe(true);
    expect(allAbout(result, 'T')).toEqual(['warning: Element is an implicit end']);
  });

  it('refuses flows into a start event and flows across a subprocess boundary', async () => {
    const result = await compile(around(`<bpmn:subProcess id="X" name="x"><bpmn:startEvent id="In2" /><bpmn:endEvent id="E2" />
      <bpmn:sequenceFlow id="Inner" sourceRef="In2" targetRef="E2" /></bpmn:subProcess>
      <bpmn:sequenceFlow id="Cross" sourceRef="Start" targetRef="E2" />
      <bpmn:sequenceFlow id="Back" sourceRef="X" targetRef="Start" />`));
    expect(about(result, 'Cross')).toEqual(["error: sequence flow connects 'Start' and 'E2' across a subprocess boundary"]);
    expect(about(result, 'Start')).toContain("error: bpmn:StartEvent 'Start' must not have incoming sequence flows");
  });

  it('refuses exclusive gateway flows without condition that are not the default', async () => {
    const result = await compile(doc(`<bpmn:startEvent id="S" /><bpmn:exclusiveGateway id="G" default="D" />
      <bpmn:endEvent id="E1" /><bpmn:endEvent id="E2" /><bpmn:endEvent id="E3" />
      <bpmn:sequenceFlow id="F" sourceRef="S" targetRef="G" />
      <bpmn:sequenceFlow id="C" name="c" sourceRef="G" targetRef="E1"><bpmn:conditionExpression>=x &gt; 1</bpmn:conditionExpression></bpmn:sequenceFlow>
      <bpmn:sequenceFlow id="Bare" name="b" sourceRef="G" targetRef="E2" />
      <bpmn:sequenceFlow id="D" name="d" sourceRef="G" targetRef="E3" />`));
    expect(result.problems.filter((p) => p.severity === 'error')).toEqual([{
      elementId: 'Bare', elementType: 'bpmn:SequenceFlow', severity: 'error', rule: 'complaint/gateway-flow-conditions',
      message: "Flow out of gateway 'G' has no condition and is not the default flow",
    }]);
  });

  it('refuses the same on an inclusive gateway', async () => {
    const result = await compile(doc(`<bpmn:startEvent id="S" /><bpmn:inclusiveGateway id="G" />
      <bpmn:endEvent id="E1" /><bpmn:endEvent id="E2" />
      <bpmn:sequenceFlow id="F" sourceRef="S" targetRef="G" />
      <bpmn:sequenceFlow id="A" name="a" sourceRef="G" targetRef="E1" />
      <bpmn:sequenceFlow id="B" name="b" sourceRef="G" targetRef="E2" />`));
    expect(errors(result).map((p) => p.elementId)).toEqual(['A', 'B']);
  });

  it('checks event-based gateway targets and link pairs', async () => {
    const result = await compile(doc(`<bpmn:startEvent id="S" /><bpmn:eventBasedGateway id="G" />
      <bpmn:task id="T" name="t" /><bpmn:endEvent id="E" />
      <bpmn:intermediateThrowEvent id="L"><bpmn:linkEventDefinition name="nowhere" /></bpmn:intermediateThrowEvent>
      <bpmn:sequenceFlow id="F" sourceRef="S" targetRef="G" />
      <bpmn:sequenceFlow id="A" sourceRef="G" targetRef="T" /><bpmn:sequenceFlow id="B" sourceRef="T" targetRef="L" />`));
    expect(about(result, 'G')).toEqual([
      'error: an event-based gateway needs at least two outgoing sequence flows',
      "error: event-based gateway flow 'A' leads to bpmn:Task 'T'; it must lead to a message, timer or signal catch event or a receive task",
    ]);
    expect(about(result, 'L')).toEqual(["error: link throw event 'L' has no link catch event named 'nowhere' in its scope"]);
  });

  it('refuses a boundary event attached to something that is not an activity', async () => {
    const result = await compile(around(`<bpmn:task id="X" name="x" />
      <bpmn:boundaryEvent id="Bad" attachedToRef="End"><bpmn:timerEventDefinition><bpmn:timeDuration>PT1H</bpmn:timeDuration></bpmn:timerEventDefinition></bpmn:boundaryEvent>`));
    expect(about(result, 'Bad')).toEqual(["error: boundary event is attached to bpmn:EndEvent 'End', which is not an activity"]);
  });

  it('refuses a non-interrupting error boundary event', async () => {
    const result = await compile(around(`<bpmn:task id="X" name="x" />
      <bpmn:boundaryEvent id="Bad" attachedToRef="X" cancelActivity="false"><bpmn:errorEventDefinition /></bpmn:boundaryEvent>`));
    expect(about(result, 'Bad')).toContain('error: an error boundary event must be interrupting (cancelActivity="true")');
  });
});
