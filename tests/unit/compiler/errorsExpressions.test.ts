/**
 * Compile errors in expressions and values: FEEL that does not parse, on the element it sits
 * on; static timer values and user task due dates that are not ISO 8601.
 */
import { about, around, compile, doc, errors } from './helpers';

describe('FEEL expressions that do not parse', () => {
  const cases: Array<[string, string, string, RegExp]> = [
    ['a condition', 'C', `<bpmn:startEvent id="S" /><bpmn:exclusiveGateway id="G" default="D" /><bpmn:endEvent id="E" />
      <bpmn:sequenceFlow id="F" sourceRef="S" targetRef="G" />
      <bpmn:sequenceFlow id="C" name="c" sourceRef="G" targetRef="E"><bpmn:conditionExpression>=x &gt;</bpmn:conditionExpression></bpmn:sequenceFlow>
      <bpmn:sequenceFlow id="D" name="d" sourceRef="G" targetRef="E" />`, /^sequence flow condition is not valid FEEL: FEEL syntax error/],
    ['a static condition', 'C', `<bpmn:startEvent id="S" /><bpmn:exclusiveGateway id="G" default="D" /><bpmn:endEvent id="E" />
      <bpmn:sequenceFlow id="F" sourceRef="S" targetRef="G" />
      <bpmn:sequenceFlow id="C" name="c" sourceRef="G" targetRef="E"><bpmn:conditionExpression>x &gt; 1</bpmn:conditionExpression></bpmn:sequenceFlow>
      <bpmn:sequenceFlow id="D" name="d" sourceRef="G" targetRef="E" />`, /must be a FEEL expression starting with '=' but is the static value 'x > 1'/],
    ['an input mapping', 'T', `<bpmn:startEvent id="S" /><bpmn:task id="T" name="t"><bpmn:extensionElements><zeebe:ioMapping>
      <zeebe:input source="=a +" target="b" /></zeebe:ioMapping></bpmn:extensionElements></bpmn:task>
      <bpmn:sequenceFlow id="F" sourceRef="S" targetRef="T" />`, /^zeebe:input mapping to 'b' is not valid FEEL/],
    ['an output mapping', 'T', `<bpmn:startEvent id="S" /><bpmn:task id="T" name="t"><bpmn:extensionElements><zeebe:ioMapping>
      <zeebe:output source="=(" target="b" /></zeebe:ioMapping></bpmn:extensionElements></bpmn:task>
      <bpmn:sequenceFlow id="F" sourceRef="S" targetRef="T" />`, /^zeebe:output mapping to 'b' is not valid FEEL/],
    // Zeebe refuses a static output source; a static input source stays a string constant.
    ['a static output mapping', 'T', `<bpmn:startEvent id="S" /><bpmn:task id="T" name="t"><bpmn:extensionElements><zeebe:ioMapping>
      <zeebe:input source="plain text" target="a" /><zeebe:output source="total" target="b" /></zeebe:ioMapping></bpmn:extensionElements></bpmn:task>
      <bpmn:sequenceFlow id="F" sourceRef="S" targetRef="T" />`, /^zeebe:output mapping to 'b' source must be a FEEL expression starting with '=' but is the static value 'total'$/],
    ['a script', 'T', `<bpmn:startEvent id="S" /><bpmn:scriptTask id="T" name="t"><bpmn:extensionElements>
      <zeebe:script expression="=1 +* 2" resultVariable="r" /></bpmn:extensionElements></bpmn:scriptTask>
      <bpmn:sequenceFlow id="F" sourceRef="S" targetRef="T" />`, /^zeebe:script expression is not valid FEEL/],
    ['a multi-instance collection', 'T', `<bpmn:startEvent id="S" /><bpmn:task id="T" name="t"><bpmn:multiInstanceLoopCharacteristics>
      <bpmn:extensionElements><zeebe:loopCharacteristics inputCollection="=[1," /></bpmn:extensionElements>
      </bpmn:multiInstanceLoopCharacteristics></bpmn:task><bpmn:sequenceFlow id="F" sourceRef="S" targetRef="T" />`, /^multi-instance inputCollection is not valid FEEL/],
    ['a completion condition', 'T', `<bpmn:startEvent id="S" /><bpmn:task id="T" name="t"><bpmn:multiInstanceLoopCharacteristics>
      <bpmn:extensionElements><zeebe:loopCharacteristics inputCollection="=items" /></bpmn:extensionElements>
      <bpmn:completionCondition>=done and</bpmn:completionCondition>
      </bpmn:multiInstanceLoopCharacteristics></bpmn:task><bpmn:sequenceFlow id="F" sourceRef="S" targetRef="T" />`, /^multi-instance completionCondition is not valid FEEL/],
    ['a timer expression', 'W', `<bpmn:startEvent id="S" /><bpmn:intermediateCatchEvent id="W"><bpmn:timerEventDefinition>
      <bpmn:timeDuration>=duration(</bpmn:timeDuration></bpmn:timerEventDefinition></bpmn:intermediateCatchEvent>
      <bpmn:sequenceFlow id="F" sourceRef="S" targetRef="W" />`, /^timer timeDuration is not valid FEEL/],
    ['a message name', 'W', `<bpmn:startEvent id="S" /><bpmn:intermediateCatchEvent id="W"><bpmn:messageEventDefinition messageRef="M" />
      </bpmn:intermediateCatchEvent><bpmn:sequenceFlow id="F" sourceRef="S" targetRef="W" />`, /^name of message 'M' is not valid FEEL/],
    ['an assignment', 'T', `<bpmn:startEvent id="S" /><bpmn:userTask id="T" name="t"><bpmn:extensionElements>
      <zeebe:assignmentDefinition assignee="=owner." /></bpmn:extensionElements></bpmn:userTask>
      <bpmn:sequenceFlow id="F" sourceRef="S" targetRef="T" />`, /^assignee is not valid FEEL/],
    ['a correlation key', 'T', `<bpmn:startEvent id="S" /><bpmn:receiveTask id="T" name="t" messageRef="K" />
      <bpmn:sequenceFlow id="F" sourceRef="S" targetRef="T" />`, /^correlationKey of message 'K' is not valid FEEL/],
  ];
  const roots = `<bpmn:message id="M" name="=&quot;a&quot; +" />
    <bpmn:message id="K" name="k"><bpmn:extensionElements><zeebe:subscription correlationKey="=a[" /></bpmn:extensionElements></bpmn:message>`;

  it.each(cases)('reports %s on its element', async (_what, elementId, body, message) => {
    // given a diagram with one broken expression  // when
    const result = await compile(doc(body, roots));
    // then
    expect(result.ok).toBe(false);
    expect(errors(result).filter((p) => p.elementId === elementId).map((p) => p.message)).toEqual([expect.stringMatching(message)]);
  });
});

describe('timer values', () => {
  const timer = (field: string, value: string) =>
    `<bpmn:intermediateCatchEvent id="X"><bpmn:timerEventDefinition><bpmn:${field}>${value}</bpmn:${field}></bpmn:timerEventDefinition></bpmn:intermediateCatchEvent>`;
  const boundary = (value: string) => `<bpmn:task id="X" name="x" />
    <bpmn:boundaryEvent id="Bnd" attachedToRef="X" cancelActivity="false"><bpmn:timerEventDefinition><bpmn:timeCycle>${value}</bpmn:timeCycle></bpmn:timerEventDefinition></bpmn:boundaryEvent>`;

  it.each([
    ['a duration', 'X', timer('timeDuration', 'PT1X'), /^timer timeDuration is not valid ISO 8601: 'PT1X' is not an ISO 8601 duration/],
    ['a date without offset', 'X', timer('timeDate', '2030-01-01T10:00:00'), /^timer timeDate is not valid ISO 8601: .*zone offset/],
    ['a cycle', 'Bnd', boundary('R3/1H'), /^timer timeCycle is not valid ISO 8601: '1H' is not an ISO 8601 duration/],
    ['an empty value', 'X', timer('timeDuration', ' '), /^timer timeDuration is empty$/],
    ['a cycle on an intermediate catch', 'X', timer('timeCycle', 'R/PT1H'), /^a timeCycle timer is not allowed on this bpmn:IntermediateCatchEvent \(allowed: timeDuration, timeDate\)$/],
  ])('refuses %s', async (_what, id, element, message) => {
    const result = await compile(around(element));
    expect(errors(result).filter((p) => p.elementId === id).map((p) => p.message)).toEqual([expect.stringMatching(message)]);
  });

  it('refuses a static user task due date that is not an ISO 8601 date-time', async () => {
    const result = await compile(around('<bpmn:userTask id="X" name="x"><bpmn:extensionElements><zeebe:taskSchedule dueDate="tomorrow" /></bpmn:extensionElements></bpmn:userTask>'));
    expect(about(result, 'X')).toEqual([expect.stringMatching(/^error: zeebe:taskSchedule dueDate is not an ISO 8601 date-time: 'tomorrow'/)]);
  });

  it('accepts valid static values and FEEL timers', async () => {
    for (const element of [timer('timeDuration', 'P1DT2H'), timer('timeDate', '2030-01-01T10:00:00+01:00'), boundary('R/2030-01-01T00:00:00Z/P1W'), timer('timeDuration', '=sla.duration')]) {
      const result = await compile(around(element));
      expect(errors(result)).toEqual([]);
    }
  });
});
