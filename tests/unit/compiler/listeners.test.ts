/**
 * Execution listeners in the compiler (decision 0055): where Camunda 8 accepts them they compile
 * into the element's jobs, in diagram order, with the element's headers; placements Zeebe's
 * deploy validation refuses are refused here with the element id, as are duplicates, listeners
 * without a type and unknown event types; the process's own compile onto its model.
 */
import { around, compile, doc, errors } from './helpers';

const ext = (inner: string) => `<bpmn:extensionElements>${inner}</bpmn:extensionElements>`;
const el = (...l: string[]) => `<zeebe:executionListeners>${l.join('')}</zeebe:executionListeners>`;
const start = (type: string, extra = '') => `<zeebe:executionListener eventType="start" type="${type}"${extra} />`;
const end = (type: string, extra = '') => `<zeebe:executionListener eventType="end" type="${type}"${extra} />`;

async function problemsAt(xml: string, id: string): Promise<string[]> {
  return errors(await compile(xml)).filter((p) => p.elementId === id).map((p) => p.message);
}

describe('execution listeners compile', () => {
  it('into start and end jobs in diagram order, the element headers with the listener headers winning', async () => {
    const result = await compile(around(`<bpmn:task id="X">${ext(`
      <zeebe:taskHeaders><zeebe:header key="channel" value="mail" /><zeebe:header key="team" value="a" /></zeebe:taskHeaders>
      ${el(start('second.start'), end('audit', ' retries="5"'), `<zeebe:executionListener eventType="start" type="first" retries="=tries"><zeebe:taskHeaders><zeebe:header key="team" value="b" /></zeebe:taskHeaders></zeebe:executionListener>`)}`)}</bpmn:task>`), { taskTypes: new Set(['second.start']) });
    expect(errors(result)).toEqual([]);
    const task = result.document!.processes[0]!.elements.find((e) => e.id === 'X')!;
    expect(task.executionListeners).toEqual({
      start: [
        { type: 'second.start', retries: 3, headers: [{ key: 'channel', value: 'mail' }, { key: 'team', value: 'a' }] },
        { type: 'first', retries: 3, retriesExpression: 'tries', worker: 'external', headers: [{ key: 'channel', value: 'mail' }, { key: 'team', value: 'b' }] },
      ],
      end: [{ type: 'audit', retries: 5, worker: 'external', headers: [{ key: 'channel', value: 'mail' }, { key: 'team', value: 'a' }] }],
    });
    // an external listener type is pointed out like an external task type
    expect(result.problems.filter((p) => p.elementId === 'X' && p.message.includes('served by an external worker')).map((p) => p.message))
      .toEqual([expect.stringContaining("'audit'"), expect.stringContaining("'first'")]);
  });

  it('leaves elements without listeners as they were (no field, same model hash)', async () => {
    const a = await compile(around('<bpmn:task id="X" />'));
    const b = await compile(around(`<bpmn:task id="X">${ext(el())}</bpmn:task>`));
    expect(a.document!.processes[0]!.elements.find((e) => e.id === 'X')).not.toHaveProperty('executionListeners');
    expect(b.document!.processes[0]!.hash).toBe(a.document!.processes[0]!.hash);
  });

  it('on gateways (start), boundary events (end), start events (end), catch and throw events, subprocesses and call activities', async () => {
    const result = await compile(doc(`
      <bpmn:startEvent id="S">${ext(el(end('s.end')))}</bpmn:startEvent>
      <bpmn:parallelGateway id="G">${ext(el(start('g.start')))}</bpmn:parallelGateway>
      <bpmn:serviceTask id="W">${ext(`<zeebe:taskDefinition type="work" />${el(start('w.start'), end('w.end'))}`)}</bpmn:serviceTask>
      <bpmn:boundaryEvent id="B" attachedToRef="W">${ext(el(end('b.end')))}<bpmn:timerEventDefinition><bpmn:timeDuration>PT1H</bpmn:timeDuration></bpmn:timerEventDefinition></bpmn:boundaryEvent>
      <bpmn:subProcess id="P">${ext(el(start('p.start'), end('p.end')))}
        <bpmn:startEvent id="PS" /><bpmn:endEvent id="PE">${ext(el(start('pe.start'), end('pe.end')))}</bpmn:endEvent>
        <bpmn:sequenceFlow id="pf" sourceRef="PS" targetRef="PE" />
      </bpmn:subProcess>
      <bpmn:endEvent id="E" /><bpmn:endEvent id="BE" />
      <bpmn:sequenceFlow id="f1" sourceRef="S" targetRef="G" /><bpmn:sequenceFlow id="f2" sourceRef="G" targetRef="W" />
      <bpmn:sequenceFlow id="f3" sourceRef="G" targetRef="P" /><bpmn:sequenceFlow id="f4" sourceRef="W" targetRef="E" />
      <bpmn:sequenceFlow id="f5" sourceRef="P" targetRef="E" /><bpmn:sequenceFlow id="f6" sourceRef="B" targetRef="BE" />`));
    expect(errors(result)).toEqual([]);
    const byId = new Map(result.document!.processes[0]!.elements.map((e) => [e.id, e.executionListeners]));
    const types = (id: string) => { const l = byId.get(id)!; return [...l.start.map((j) => `start:${j.type}`), ...l.end.map((j) => `end:${j.type}`)]; };
    expect(types('S')).toEqual(['end:s.end']);
    expect(types('G')).toEqual(['start:g.start']);
    expect(types('B')).toEqual(['end:b.end']);
    expect(types('P')).toEqual(['start:p.start', 'end:p.end']);
    expect(types('PE')).toEqual(['start:pe.start', 'end:pe.end']);
  });
});

describe('execution listeners of the process itself', () => {
  const withListeners = (inner: string) => doc('<bpmn:startEvent id="S" />').replace('<bpmn:process id="p" isExecutable="true">', `<bpmn:process id="p" isExecutable="true">${ext(inner)}`);

  it('compile onto the process model', async () => {
    const result = await compile(withListeners(el(start('opened'), end('closed'))));
    expect(errors(result)).toEqual([]);
    const model = result.document!.processes[0]!;
    expect(model.executionListeners).toEqual({ start: [expect.objectContaining({ type: 'opened' })], end: [expect.objectContaining({ type: 'closed' })] });
  });

  it('are refused with the process id when duplicated', async () => {
    expect(await problemsAt(withListeners(el(end('closed'), end('closed'))), 'p')).toEqual([expect.stringMatching(/defined twice/)]);
  });
});

describe('execution listeners are refused with the element id', () => {
  const cases: Array<[string, string, RegExp]> = [
    ['end listener on a gateway', `<bpmn:exclusiveGateway id="X">${ext(el(end('a')))}</bpmn:exclusiveGateway>`, /^execution listeners of type 'end' are not supported by gateways/],
    ['end listener on an error end event', `<bpmn:endEvent id="X">${ext(el(end('a')))}<bpmn:errorEventDefinition errorRef="Err" /></bpmn:endEvent>`, /^execution listeners of type 'end' are not supported by error end events/],
    ['the same event type and type twice', `<bpmn:task id="X">${ext(el(start('a'), end('a'), start('a')))}</bpmn:task>`, /^execution listener of eventType 'start' and type 'a' is defined twice/],
    ['a listener without a type', `<bpmn:task id="X">${ext(el('<zeebe:executionListener eventType="end" />'))}</bpmn:task>`, /^end execution listener needs a type$/],
    ['an unknown event type', `<bpmn:task id="X">${ext(el('<zeebe:executionListener eventType="take" type="a" />'))}</bpmn:task>`, /^execution listener eventType must be 'start' or 'end', not 'take'$/],
    ['bad retries', `<bpmn:task id="X">${ext(el(start('a', ' retries="many"')))}</bpmn:task>`, /^start execution listener retries must be a whole number, not 'many'$/],
    ['empty retries', `<bpmn:task id="X">${ext(el(start('a', ' retries=""')))}</bpmn:task>`, /^start execution listener retries must not be empty; leave the attribute out for the default of 3$/],
  ];

  it.each(cases)('%s', async (_what, element, message) => {
    expect(await problemsAt(around(element, '<bpmn:error id="Err" errorCode="E" />'), 'X')).toEqual([expect.stringMatching(message)]);
  });

  it('a start listener on a start event', async () => {
    const xml = doc(`<bpmn:startEvent id="X">${ext(el(start('a')))}</bpmn:startEvent><bpmn:endEvent id="E" /><bpmn:sequenceFlow id="f" sourceRef="X" targetRef="E" />`);
    expect(await problemsAt(xml, 'X')).toEqual([expect.stringMatching(/^execution listeners of type 'start' are not supported by start events/)]);
  });

  it('a start listener on a boundary event and any listener on a compensation boundary event', async () => {
    const xml = doc(`
      <bpmn:startEvent id="S" /><bpmn:task id="W" /><bpmn:endEvent id="E" /><bpmn:endEvent id="BE" />
      <bpmn:boundaryEvent id="X" attachedToRef="W">${ext(el(start('a')))}<bpmn:timerEventDefinition><bpmn:timeDuration>PT1H</bpmn:timeDuration></bpmn:timerEventDefinition></bpmn:boundaryEvent>
      <bpmn:boundaryEvent id="C" attachedToRef="W">${ext(el(end('a')))}<bpmn:compensateEventDefinition /></bpmn:boundaryEvent>
      <bpmn:task id="H" isForCompensation="true" />
      <bpmn:association id="A" associationDirection="One" sourceRef="C" targetRef="H" />
      <bpmn:sequenceFlow id="f1" sourceRef="S" targetRef="W" /><bpmn:sequenceFlow id="f2" sourceRef="W" targetRef="E" /><bpmn:sequenceFlow id="f3" sourceRef="X" targetRef="BE" />`);
    expect(await problemsAt(xml, 'X')).toEqual([expect.stringMatching(/^execution listeners of type 'start' are not supported by boundary events/)]);
    expect(await problemsAt(xml, 'C')).toEqual([expect.stringMatching(/^execution listeners of type 'start' and 'end' are not supported by compensation boundary events/)]);
  });

  it('task listeners stay refused', async () => {
    expect(await problemsAt(around(`<bpmn:userTask id="X">${ext('<zeebe:taskListeners><zeebe:taskListener eventType="completing" type="a" /></zeebe:taskListeners>')}</bpmn:userTask>`), 'X'))
      .toEqual(['task listeners (zeebe:taskListeners) are not supported']);
  });
});
