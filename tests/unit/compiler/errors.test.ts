import { CATALOG_TASK_TYPES } from '../../../processes/catalogTaskTypes';
import { about, allAbout, around, compile, doc, errors, JOB } from './helpers';

const withJob = (attrs: string) => `<bpmn:extensionElements><zeebe:taskDefinition ${attrs} /></bpmn:extensionElements>`;

describe('document-level errors', () => {
  it('rejects XML that does not parse', async () => {
    // given
    const xml = '<bpmn:definitions xmlns:bpmn="http://www.omg.org/spec/BPMN/20100524/MODEL"><bpmn:process id="p">';
    // when
    const result = await compile(xml);
    // then
    expect(result.ok).toBe(false);
    expect(result.document).toBeUndefined();
    expect(about(result, null)).toEqual([expect.stringMatching(/^error: document-level: XML cannot be read: /)]);
  });

  it('rejects a document whose root is not bpmn:definitions', async () => {
    const result = await compile('<?xml version="1.0"?><html><body/></html>');
    expect(result.ok).toBe(false);
    expect(errors(result)[0]?.message).toMatch(/document-level: XML cannot be read/);
  });

  it('rejects a document with no executable process, naming each process', async () => {
    const xml = doc('<bpmn:startEvent id="S" />').replace('isExecutable="true"', 'isExecutable="false"');
    const result = await compile(xml);
    expect(about(result, 'p')).toContain(`error: no executable process: process 'p' is not marked isExecutable="true"`);
  });

  it('rejects a document without any process', async () => {
    const xml = `<bpmn:definitions xmlns:bpmn="http://www.omg.org/spec/BPMN/20100524/MODEL" id="D"><bpmn:message id="M" name="x" /></bpmn:definitions>`;
    const result = await compile(xml);
    expect(about(result, null)).toEqual(['error: document-level: the document contains no process']);
  });

  it('refuses documents over maxBytes before parsing', async () => {
    const xml = around('<bpmn:task id="X" name="x" />');
    const result = await compile(xml, { maxBytes: 100 });
    expect(about(result, null)).toEqual(['error: document-level: document is larger than the limit of 100 bytes; it was not parsed']);
  });

  it('rejects bytes that are not valid in the declared encoding', async () => {
    const bytes = Buffer.concat([Buffer.from('<?xml version="1.0" encoding="UTF-8"?><a>'), Buffer.from([0xff, 0xfe]), Buffer.from('</a>')]);
    const result = await compile(bytes);
    expect(errors(result)[0]?.message).toMatch(/cannot be decoded as UTF-8/);
  });
});

describe('moddle import warnings are errors on the element', () => {
  const xml = doc(`
    <bpmn:startEvent id="S" name="s" />
    <bpmn:task id="T" name="t" foo="1">
      <bpmn:extensionElements>
        <zeebe:bogus a="b"/>
      </bpmn:extensionElements>
    </bpmn:task>
    <bpmn:bogus id="B" />
    <bpmn:sequenceFlow id="F" sourceRef="S" targetRef="Nope" />
    <bpmn:sequenceFlow id="G" sourceRef="S" targetRef="T" />`);

  it('reports unknown attributes', async () => {
    const result = await compile(xml);
    expect(about(result, 'T')).toContain('error: unknown attribute <foo>');
  });

  it('reports unknown extension elements on the element that contains them', async () => {
    const result = await compile(xml);
    expect(about(result, 'T')).toContain('error: unparsable content <zeebe:bogus> detected at line 7: unknown type <zeebe:Bogus>');
  });

  it('reports unknown BPMN elements by their own id and tag', async () => {
    const result = await compile(xml);
    expect(result.problems.filter((p) => p.elementId === 'B')).toEqual([{
      elementId: 'B', elementType: 'bpmn:bogus', severity: 'error',
      message: 'unparsable content <bpmn:bogus> detected at line 10: unknown type <bpmn:Bogus>',
    }]);
  });

  it('reports unresolved references and the flow target they leave missing', async () => {
    const result = await compile(xml);
    expect(about(result, 'F')).toEqual([
      'error: unresolved reference <Nope>',
      "error: sequence flow 'F' has no target element (targetRef missing or unresolved)",
    ]);
  });

  it('reports a missing flow source', async () => {
    const result = await compile(doc(`<bpmn:startEvent id="S" /><bpmn:endEvent id="E" />
      <bpmn:sequenceFlow id="F" targetRef="E" /><bpmn:sequenceFlow id="G" sourceRef="S" targetRef="E" />`));
    expect(about(result, 'F')).toEqual(["error: sequence flow 'F' has no source element (sourceRef missing or unresolved)"]);
  });

  it('names the duplicated id when moddle aborts', async () => {
    const result = await compile(doc('<bpmn:task id="Twice" /><bpmn:task id="Twice" />'));
    expect(result.problems[0]).toMatchObject({ elementId: 'Twice', severity: 'error', message: expect.stringMatching(/duplicate ID <Twice>/) });
  });
});

describe('structural errors', () => {
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

  it('reports a gateway that leads nowhere', async () => {
    const result = await compile(doc(`<bpmn:startEvent id="S" /><bpmn:exclusiveGateway id="G" />
      <bpmn:sequenceFlow id="F" sourceRef="S" targetRef="G" />`));
    expect(about(result, 'G')).toContain("error: bpmn:ExclusiveGateway 'G' has no outgoing sequence flow; the path leads nowhere");
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

describe('job types', () => {
  const cases: Array<[string, string, RegExp]> = [
    ['service task without taskDefinition', '<bpmn:serviceTask id="X" name="x" />', /^bpmn:ServiceTask needs zeebe:taskDefinition with a type$/],
    ['send task with an empty type', `<bpmn:sendTask id="X" name="x">${withJob('type=""')}</bpmn:sendTask>`, /^bpmn:SendTask needs zeebe:taskDefinition with a type$/],
    ['business rule task with a type expression that is not FEEL', `<bpmn:businessRuleTask id="X" name="x">${withJob('type="=kind("')}</bpmn:businessRuleTask>`, /zeebe:taskDefinition type is not valid FEEL/],
    ['message throw event without taskDefinition', '<bpmn:intermediateThrowEvent id="X"><bpmn:messageEventDefinition /></bpmn:intermediateThrowEvent>', /^bpmn:IntermediateThrowEvent needs zeebe:taskDefinition/],
    ['retries that are not a number', `<bpmn:serviceTask id="X" name="x">${withJob('type="http.request" retries="many"')}</bpmn:serviceTask>`, /retries must be a whole number, not 'many'/],
  ];

  it.each(cases)('refuses a %s', async (_what, element, message) => {
    const result = await compile(around(element));
    expect(errors(result).filter((p) => p.elementId === 'X').map((p) => p.message)).toEqual([expect.stringMatching(message)]);
  });

  it('compiles a type outside the catalog as a job for external workers, with a warning on the element', async () => {
    const xml = around(`<bpmn:serviceTask id="X" name="x">${withJob('type="fax.send"')}</bpmn:serviceTask>`);
    const result = await compile(xml, { taskTypes: CATALOG_TASK_TYPES });
    expect(result.ok).toBe(true);
    expect(allAbout(result, 'X')).toEqual([expect.stringMatching(/^warning: task type 'fax\.send' is served by an external worker/)]);
    const job = (r: typeof result) => r.document?.processes[0]?.elements.find((e) => e.id === 'X');
    expect(job(result)).toMatchObject({ kind: 'serviceTask', job: { type: 'fax.send', worker: 'external' } });
    // a message end event's job too
    const end = await compile(around('<bpmn:endEvent id="X"><bpmn:extensionElements><zeebe:taskDefinition type="sms" /></bpmn:extensionElements><bpmn:messageEventDefinition /></bpmn:endEvent>'));
    expect(end.ok).toBe(true);
    expect(allAbout(end, 'X')).toEqual([expect.stringMatching(/^warning: task type 'sms' is served by an external worker/)]);
  });

  it('checks against options.taskTypes, or not at all with null', async () => {
    const xml = around(`<bpmn:serviceTask id="X" name="x">${withJob('type="fax.send"')}</bpmn:serviceTask>`);
    const known = await compile(xml, { taskTypes: new Set(['fax.send']) });
    expect(allAbout(known, 'X')).toEqual([]);
    expect(known.document?.processes[0]?.elements.find((e) => e.id === 'X')).not.toHaveProperty('job.worker');
    expect(allAbout(await compile(xml, { taskTypes: null }), 'X')).toEqual([]);
  });

  it('requires zeebe:script with a result variable on script tasks', async () => {
    const missing = await compile(around('<bpmn:scriptTask id="X" name="x" />'));
    expect(about(missing, 'X')).toEqual(['error: script task needs zeebe:script with a FEEL expression and a resultVariable']);
    const noResult = await compile(around('<bpmn:scriptTask id="X" name="x"><bpmn:extensionElements><zeebe:script expression="=1" /></bpmn:extensionElements></bpmn:scriptTask>'));
    expect(about(noResult, 'X')).toEqual(['error: zeebe:script resultVariable is missing']);
  });

  it('requires a called process id on call activities', async () => {
    const result = await compile(around('<bpmn:callActivity id="X" name="x" />'));
    expect(about(result, 'X')).toEqual(['error: call activity needs zeebe:calledElement with a processId']);
  });
});

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

it('uses the job fixture constant as a valid task', async () => {
  // Guards the helper itself: a valid service task compiles, so the refusals above are meaningful.
  const result = await compile(around(`<bpmn:serviceTask id="X" name="x">${JOB}</bpmn:serviceTask>`));
  expect(result.ok).toBe(true);
});
