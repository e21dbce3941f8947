import { allAbout, compile, doc, warnings } from './helpers';

describe('warnings', () => {
  it('reports unreachable elements but still compiles', async () => {
    // given a task nothing flows into
    const xml = doc(`<bpmn:startEvent id="S" /><bpmn:endEvent id="E" /><bpmn:task id="Orphan" name="o" />
      <bpmn:sequenceFlow id="F" sourceRef="S" targetRef="E" /><bpmn:sequenceFlow id="G" sourceRef="Orphan" targetRef="E" />`);
    // when
    const result = await compile(xml);
    // then
    expect(result.ok).toBe(true);
    expect(allAbout(result, 'Orphan')).toEqual(["warning: bpmn:Task 'Orphan' is unreachable: no path leads to it from a start or boundary event"]);
  });

  it('does not call elements after a link catch, a boundary event or in an event subprocess unreachable', async () => {
    const xml = doc(`<bpmn:startEvent id="S" /><bpmn:task id="T" name="t" />
      <bpmn:boundaryEvent id="B" attachedToRef="T"><bpmn:timerEventDefinition><bpmn:timeDuration>PT1H</bpmn:timeDuration></bpmn:timerEventDefinition></bpmn:boundaryEvent>
      <bpmn:intermediateThrowEvent id="Jump"><bpmn:linkEventDefinition name="l" /></bpmn:intermediateThrowEvent>
      <bpmn:intermediateCatchEvent id="Land"><bpmn:linkEventDefinition name="l" /></bpmn:intermediateCatchEvent>
      <bpmn:endEvent id="E" /><bpmn:endEvent id="Late" />
      <bpmn:subProcess id="Ev" triggeredByEvent="true">
        <bpmn:startEvent id="EvS" isInterrupting="false"><bpmn:timerEventDefinition><bpmn:timeCycle>R/PT1H</bpmn:timeCycle></bpmn:timerEventDefinition></bpmn:startEvent>
        <bpmn:endEvent id="EvE" /><bpmn:sequenceFlow id="EvF" sourceRef="EvS" targetRef="EvE" />
      </bpmn:subProcess>
      <bpmn:sequenceFlow id="F1" sourceRef="S" targetRef="T" /><bpmn:sequenceFlow id="F2" sourceRef="T" targetRef="Jump" />
      <bpmn:sequenceFlow id="F3" sourceRef="Land" targetRef="E" /><bpmn:sequenceFlow id="F4" sourceRef="B" targetRef="Late" />`);
    const result = await compile(xml);
    expect(result.ok).toBe(true);
    expect(warnings(result).filter((p) => /unreachable/.test(p.message))).toEqual([]);
  });

  it('warns about a condition on a flow out of a parallel gateway', async () => {
    const xml = doc(`<bpmn:startEvent id="S" /><bpmn:parallelGateway id="P" /><bpmn:endEvent id="E1" /><bpmn:endEvent id="E2" />
      <bpmn:sequenceFlow id="F" sourceRef="S" targetRef="P" />
      <bpmn:sequenceFlow id="Cond" sourceRef="P" targetRef="E1"><bpmn:conditionExpression>=x</bpmn:conditionExpression></bpmn:sequenceFlow>
      <bpmn:sequenceFlow id="Plain" sourceRef="P" targetRef="E2" />`);
    const result = await compile(xml);
    expect(result.ok).toBe(true);
    expect(allAbout(result, 'Cond')).toEqual([
      "warning: Condition on a flow out of bpmn:ParallelGateway 'P' is never evaluated; only exclusive and inclusive gateways evaluate conditions",
    ]);
  });

  it('warns about a condition on a flow out of a task', async () => {
    const xml = doc(`<bpmn:startEvent id="S" /><bpmn:task id="T" name="t" /><bpmn:endEvent id="E" />
      <bpmn:sequenceFlow id="F" sourceRef="S" targetRef="T" />
      <bpmn:sequenceFlow id="Cond" sourceRef="T" targetRef="E"><bpmn:conditionExpression>=x</bpmn:conditionExpression></bpmn:sequenceFlow>`);
    const result = await compile(xml);
    expect(allAbout(result, 'Cond')).toEqual([expect.stringMatching(/^warning: Condition on a flow out of bpmn:Task 'T' is never evaluated/)]);
  });

  it('warns when the default flow of an exclusive gateway also has a condition', async () => {
    const xml = doc(`<bpmn:startEvent id="S" /><bpmn:exclusiveGateway id="G" default="D" /><bpmn:endEvent id="E1" /><bpmn:endEvent id="E2" />
      <bpmn:sequenceFlow id="F" sourceRef="S" targetRef="G" />
      <bpmn:sequenceFlow id="C" name="c" sourceRef="G" targetRef="E1"><bpmn:conditionExpression>=x</bpmn:conditionExpression></bpmn:sequenceFlow>
      <bpmn:sequenceFlow id="D" name="d" sourceRef="G" targetRef="E2"><bpmn:conditionExpression>=not(x)</bpmn:conditionExpression></bpmn:sequenceFlow>`);
    const result = await compile(xml);
    expect(result.ok).toBe(true);
    expect(allAbout(result, 'D')).toEqual(["warning: Default flow of 'G' has a condition that is never evaluated"]);
  });

  it('warns about unlabelled gateway branches and unnamed tasks', async () => {
    const xml = doc(`<bpmn:startEvent id="S" /><bpmn:exclusiveGateway id="G" default="D" /><bpmn:task id="T" /><bpmn:endEvent id="E" />
      <bpmn:sequenceFlow id="F" sourceRef="S" targetRef="G" />
      <bpmn:sequenceFlow id="C" sourceRef="G" targetRef="T"><bpmn:conditionExpression>=x</bpmn:conditionExpression></bpmn:sequenceFlow>
      <bpmn:sequenceFlow id="D" name="otherwise" sourceRef="G" targetRef="E" /><bpmn:sequenceFlow id="F2" sourceRef="T" targetRef="E" />`);
    const result = await compile(xml);
    expect(result.ok).toBe(true);
    expect(allAbout(result, 'C')).toEqual(["warning: Flow out of gateway 'G' has no label"]);
    expect(allAbout(result, 'T')).toEqual(['warning: bpmn:Task has no name']);
  });

  it('warns with document-level scope when a string declares a non-UTF-8 encoding', async () => {
    const xml = doc('<bpmn:startEvent id="S" /><bpmn:endEvent id="E" /><bpmn:sequenceFlow id="F" sourceRef="S" targetRef="E" />')
      .replace('encoding="UTF-8"', 'encoding="ISO-8859-1"');
    const result = await compile(xml);
    expect(result.ok).toBe(true);
    expect(allAbout(result, null)).toEqual(['warning: document-level: the XML declaration names encoding ISO-8859-1; the text was taken as already decoded']);
  });

  it('decodes bytes with the declared encoding', async () => {
    const xml = doc('<bpmn:startEvent id="S" name="Réclamation" /><bpmn:endEvent id="E" /><bpmn:sequenceFlow id="F" sourceRef="S" targetRef="E" />')
      .replace('encoding="UTF-8"', 'encoding="ISO-8859-1"');
    const result = await compile(Buffer.from(xml, 'latin1'));
    expect(result.document!.processes[0]!.elements[0]!.name).toBe('Réclamation');
  });
});

describe('diagram interchange problems are warnings (Camunda ignores the DI)', () => {
  const withDi = (inner: string) => `<?xml version="1.0" encoding="UTF-8"?>
<bpmn:definitions xmlns:bpmn="http://www.omg.org/spec/BPMN/20100524/MODEL" xmlns:bpmndi="http://www.omg.org/spec/BPMN/20100524/DI" xmlns:dc="http://www.omg.org/spec/DD/20100524/DC" xmlns:di="http://www.omg.org/spec/DD/20100524/DI" id="Defs" targetNamespace="http://example.com/bpmn">
  <bpmn:process id="p" isExecutable="true"><bpmn:startEvent id="S" name="s" /><bpmn:endEvent id="E" name="e" /><bpmn:sequenceFlow id="F" sourceRef="S" targetRef="E" /></bpmn:process>
  <bpmndi:BPMNDiagram id="D"><bpmndi:BPMNPlane id="Plane" bpmnElement="p">${inner}</bpmndi:BPMNPlane></bpmndi:BPMNDiagram>
</bpmn:definitions>`;

  it.each([
    ['a shape pointing at a missing element', '<bpmndi:BPMNShape id="Ghost_di" bpmnElement="Ghost"><dc:Bounds x="1" y="1" width="1" height="1" /></bpmndi:BPMNShape>', 'Ghost_di', /^warning: unresolved reference <Ghost> \(diagram interchange only/],
    ['an edge pointing at a missing flow', '<bpmndi:BPMNEdge id="Edge_di" bpmnElement="Nope"><di:waypoint x="1" y="1" /><di:waypoint x="2" y="2" /></bpmndi:BPMNEdge>', 'Edge_di', /^warning: unresolved reference <Nope> \(diagram interchange only/],
    ['an unknown attribute on a shape', '<bpmndi:BPMNShape id="S_di" bpmnElement="S" foo="bar"><dc:Bounds x="1" y="1" width="1" height="1" /></bpmndi:BPMNShape>', 'S_di', /^warning: unknown attribute <foo> \(diagram interchange only/],
  ])('compiles with %s, warned about on the DI element', async (_what, inner, elementId, message) => {
    const result = await compile(withDi(inner));
    expect(result.ok).toBe(true);
    expect(allAbout(result, elementId)).toEqual([expect.stringMatching(message)]);
  });

  it('still refuses a DI element that reuses a process element id', async () => {
    const result = await compile(withDi('<bpmndi:BPMNShape id="S" bpmnElement="S"><dc:Bounds x="1" y="1" width="1" height="1" /></bpmndi:BPMNShape>'));
    expect(result.ok).toBe(false);
    expect(allAbout(result, 'S')).toEqual([expect.stringMatching(/^error: unparsable content <bpmndi:BPMNShape> .*duplicate ID <S>/)]);
  });

  it('keeps a process-side unresolved reference an error', async () => {
    const result = await compile(withDi('').replace('targetRef="E"', 'targetRef="Missing"'));
    expect(result.ok).toBe(false);
  });
});
