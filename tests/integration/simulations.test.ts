/**
 * What-if simulation and diagram coverage over HTTP on the real servers: a process deployed
 * through the API, its recorded history (instances and element events) seeded straight into
 * FerretDB with known durations and branch counts, then simulated and covered.
 */
import { projectionModels, type ElementEventRecord } from '../../server/projections/models';
import { startStack, type Stack } from '../support/stack';

const HOUR = 3_600_000;
const DAY = 24 * HOUR;
const NOW = Date.now();
const NS = 'xmlns:bpmn="http://www.omg.org/spec/BPMN/20100524/MODEL" xmlns:zeebe="http://camunda.org/schema/zeebe/1.0"';
const task = (id: string, group: string) => `<bpmn:userTask id="${id}"><bpmn:extensionElements><zeebe:assignmentDefinition candidateGroups="${group}" /></bpmn:extensionElements></bpmn:userTask>`;

/** start -> Triage -> Route? --Urgent (=urgent)--> Call | default Normal --> Letter [-> Review] -> end */
function diagram(withReview: boolean): string {
  return `<?xml version="1.0" encoding="UTF-8"?>
<bpmn:definitions ${NS} id="Defs" targetNamespace="http://example.com/bpmn">
  <bpmn:process id="what-if" isExecutable="true">
    <bpmn:startEvent id="Start" />
    ${task('Triage', 'after-sales')}
    <bpmn:exclusiveGateway id="Route" default="Normal" />
    ${task('Call', 'after-sales')}
    ${task('Letter', 'finance')}
    ${withReview ? task('Review', 'supervisor') : ''}
    <bpmn:endEvent id="End" />
    <bpmn:sequenceFlow id="s1" sourceRef="Start" targetRef="Triage" />
    <bpmn:sequenceFlow id="s2" sourceRef="Triage" targetRef="Route" />
    <bpmn:sequenceFlow id="Urgent" sourceRef="Route" targetRef="Call"><bpmn:conditionExpression>=urgent = true</bpmn:conditionExpression></bpmn:sequenceFlow>
    <bpmn:sequenceFlow id="Normal" sourceRef="Route" targetRef="Letter" />
    <bpmn:sequenceFlow id="s3" sourceRef="Call" targetRef="End" />
    ${withReview
      ? '<bpmn:sequenceFlow id="s4" sourceRef="Letter" targetRef="Review" /><bpmn:sequenceFlow id="s5" sourceRef="Review" targetRef="End" />'
      : '<bpmn:sequenceFlow id="s4" sourceRef="Letter" targetRef="End" />'}
  </bpmn:process>
</bpmn:definitions>`;
}

/** start -> Work -> end, and any time a message brings in a department (=department -> broughtIn) whose group gets a task */
const BRING_IN = `<?xml version="1.0" encoding="UTF-8"?>
<bpmn:definitions ${NS} id="Defs2" targetNamespace="http://example.com/bpmn">
  <bpmn:message id="Msg" name="department-requested"><bpmn:extensionElements><zeebe:subscription correlationKey="=complaintId" /></bpmn:extensionElements></bpmn:message>
  <bpmn:process id="bring-in" isExecutable="true">
    <bpmn:startEvent id="Start" />
    ${task('Work', 'after-sales')}
    <bpmn:endEvent id="End" />
    <bpmn:sequenceFlow id="w1" sourceRef="Start" targetRef="Work" />
    <bpmn:sequenceFlow id="w2" sourceRef="Work" targetRef="End" />
    <bpmn:subProcess id="BringIn" triggeredByEvent="true">
      <bpmn:startEvent id="Requested" isInterrupting="false">
        <bpmn:extensionElements><zeebe:ioMapping><zeebe:output source="=department" target="broughtIn" /></zeebe:ioMapping></bpmn:extensionElements>
        <bpmn:messageEventDefinition messageRef="Msg" />
      </bpmn:startEvent>
      <bpmn:userTask id="BroughtInWork"><bpmn:extensionElements><zeebe:assignmentDefinition candidateGroups="=[broughtIn]" /></bpmn:extensionElements></bpmn:userTask>
      <bpmn:endEvent id="BroughtInDone" />
      <bpmn:sequenceFlow id="b1" sourceRef="Requested" targetRef="BroughtInWork" />
      <bpmn:sequenceFlow id="b2" sourceRef="BroughtInWork" targetRef="BroughtInDone" />
    </bpmn:subProcess>
  </bpmn:process>
</bpmn:definitions>`;

interface Figures { elementId: string; count: number; p90Ms: number | null }
interface Result { completed: number; elements: Figures[]; departments: Array<{ group: string; tasks: number; hours: number }>; estimated: string[]; overall: { p90Ms: number | null } }
interface Answer { processId: string; history: { version: number | null; instances: number }; draft: Result; current: Result | null }

describe('what-if simulation and diagram coverage', () => {
  let stack: Stack;

  beforeAll(async () => {
    stack = await startStack({ worker: false });
    expect((await stack.api('POST', '/api/definitions', diagram(false), 'application/xml')).status).toBe(201);
    // 30 urgent complaints (Call, 2 h) in the last days, 10 normal ones (Letter, 5 h) 20 days ago; Triage 1 h
    const { instances, elementEvents } = projectionModels(stack.mongo);
    const events: ElementEventRecord[] = [];
    for (let i = 0; i < 40; i++) {
      const id = `pi-what-if-${i}`;
      const urgent = i < 30;
      let t = urgent ? NOW - (i + 1) * HOUR : NOW - 20 * DAY - i * HOUR;
      await instances.create({ _id: id, definitionKey: 'what-if', definitionVersion: 1, businessKey: null, status: 'completed', activeElements: [], variables: { urgent }, incidents: [], timers: [], subscriptionKeys: [], openTaskCount: 0, sequence: 1, startedAt: new Date(t), updatedAt: new Date(NOW) });
      let index = 0;
      const pass = (elementId: string, elementType: string, ms: number) => {
        events.push({ _id: `${id}:${index}`, instanceId: id, index: index++, elementId, elementType, event: 'activated', time: new Date(t) });
        t += ms;
        events.push({ _id: `${id}:${index}`, instanceId: id, index: index++, elementId, elementType, event: 'completed', time: new Date(t) });
      };
      pass('Start', 'bpmn:StartEvent', 0);
      pass('Triage', 'bpmn:UserTask', HOUR);
      pass('Route', 'bpmn:ExclusiveGateway', 0);
      pass(urgent ? 'Call' : 'Letter', 'bpmn:UserTask', urgent ? 2 * HOUR : 5 * HOUR);
      pass('End', 'bpmn:EndEvent', 0);
    }
    // bring-in: 20 complaints, each brought in a department by message (15 legal, 5 warehouse), recorded as broughtIn
    expect((await stack.api('POST', '/api/definitions', BRING_IN, 'application/xml')).status).toBe(201);
    for (let i = 0; i < 20; i++) {
      const id = `pi-bring-in-${i}`;
      const t = NOW - (i + 1) * DAY;
      await instances.create({ _id: id, definitionKey: 'bring-in', definitionVersion: 1, businessKey: null, status: 'completed', activeElements: [], variables: { complaintId: `c-${i}`, broughtIn: i < 15 ? 'legal' : 'warehouse' }, incidents: [], timers: [], subscriptionKeys: [], openTaskCount: 0, sequence: 1, startedAt: new Date(t), updatedAt: new Date(NOW) });
      const path: Array<[string, string]> = [['Start', 'bpmn:StartEvent'], ['Requested', 'bpmn:StartEvent'], ['BroughtInWork', 'bpmn:UserTask'], ['Work', 'bpmn:UserTask'], ['End', 'bpmn:EndEvent']];
      // Work lasts 10 h: the message (within the default 4 h of a start) comes while it runs
      path.forEach(([elementId, elementType], n) => {
        const ms = elementId === 'Work' ? 10 * HOUR : 60_000;
        events.push({ _id: `${id}:a${n}`, instanceId: id, index: 2 * n, elementId, elementType, event: 'activated', time: new Date(t) });
        events.push({ _id: `${id}:c${n}`, instanceId: id, index: 2 * n + 1, elementId, elementType, event: 'completed', time: new Date(t + ms) });
      });
    }
    await elementEvents.insertMany(events);
  });
  afterAll(async () => {
    await stack?.stop();
  });

  const simulate = (body: object) => stack.api<Answer>('POST', '/api/simulations', body);

  it('simulates the draft and the deployed version side by side with the recorded durations and shares', async () => {
    // when
    const res = await simulate({ xml: diagram(true), seed: 7, count: 2000 });
    // then
    expect(res.status).toBe(200);
    expect(res.body.processId).toBe('what-if');
    expect(res.body.history).toMatchObject({ version: 1, instances: 40 });
    const { draft, current } = res.body;
    if (!current) throw new Error('no current version simulated');
    const count = (r: Result, id: string) => r.elements.find((e) => e.elementId === id)?.count ?? 0;
    expect(current.completed).toBe(2000);
    expect(count(current, 'Call') / 2000).toBeGreaterThan(0.7);
    expect(count(current, 'Call') / 2000).toBeLessThan(0.8);
    expect(current.elements.find((e) => e.elementId === 'Call')?.p90Ms).toBe(2 * HOUR);
    expect(current.elements.find((e) => e.elementId === 'Letter')?.p90Ms).toBe(5 * HOUR);
    expect(current.estimated).toEqual([]);
    // the draft's new Review task has no history: the default wait (4 h), and the supervisors get its load
    expect(draft.estimated).toEqual(['Review']);
    expect(count(draft, 'Review')).toBe(count(draft, 'Letter'));
    expect(draft.departments.find((d) => d.group === 'supervisor')?.tasks).toBe(count(draft, 'Review'));
    expect(current.departments.find((d) => d.group === 'supervisor')).toBeUndefined();
    expect(draft.overall.p90Ms).toBe(HOUR + 5 * HOUR + 4 * HOUR);
    expect(current.overall.p90Ms).toBe(HOUR + 5 * HOUR);
  });

  it('gives each simulated message the payloads recorded for its element, as the engine hands them to an event subprocess', async () => {
    // when
    const res = await simulate({ xml: BRING_IN, seed: 3, count: 400 });
    // then: the brought-in tasks go to the departments the recorded messages named, three to one
    expect(res.status).toBe(200);
    const { draft } = res.body;
    const tasks = (group: string) => draft.departments.find((d) => d.group === group)?.tasks ?? 0;
    expect(draft.elements.find((e) => e.elementId === 'BroughtInWork')?.count).toBe(tasks('legal') + tasks('warehouse'));
    expect(tasks('legal') + tasks('warehouse')).toBeGreaterThan(300);
    expect(tasks('legal') / (tasks('legal') + tasks('warehouse'))).toBeGreaterThan(0.65);
    expect(tasks('legal') / (tasks('legal') + tasks('warehouse'))).toBeLessThan(0.85);
    expect(draft.departments.map((d) => d.group).sort()).toEqual(['after-sales', 'legal', 'warehouse']);
    expect(draft.estimated).not.toContain('Requested');
  });

  it('gives the same answer for the same seed', async () => {
    // when
    const first = await simulate({ xml: diagram(true), seed: 99, count: 300 });
    const again = await simulate({ xml: diagram(true), seed: 99, count: 300, startAt: undefined });
    // then
    expect(first.status).toBe(200);
    expect(again.body.draft).toEqual(first.body.draft);
    expect(again.body.current).toEqual(first.body.current);
  });

  it('simulates a process that is not deployed with the defaults only', async () => {
    // when
    const res = await simulate({ xml: diagram(true).replace('id="what-if"', 'id="brand-new"'), count: 10 });
    // then
    expect(res.status).toBe(200);
    expect(res.body.history).toMatchObject({ version: null, instances: 0 });
    expect(res.body.current).toBeNull();
    expect(res.body.draft.estimated).toEqual(['Triage', 'Route', 'Call', 'Letter', 'Review']);
  });

  it('refuses bad input with the field or the element at fault', async () => {
    // when
    const noCount = await stack.api<{ fields: Array<{ path: string }> }>('POST', '/api/simulations', { xml: diagram(true), count: 0 });
    const empty = await stack.api<{ fields: Array<{ path: string }> }>('POST', '/api/simulations', {});
    const broken = await stack.api<{ error: string; errors: Array<{ elementId: string | null }> }>('POST', '/api/simulations', { xml: diagram(true).replace('targetRef="Review" />', 'targetRef="Nowhere" />') });
    const otherProcess = await stack.api<{ fields: Array<{ path: string }> }>('POST', '/api/simulations', { xml: diagram(true), processId: 'nope' });
    // then
    expect(noCount.status).toBe(400);
    expect(noCount.body.fields.map((f) => f.path)).toEqual(['count']);
    expect(empty.status).toBe(400);
    expect(empty.body.fields.map((f) => f.path)).toEqual(['xml']);
    expect(broken.status).toBe(422);
    expect(broken.body.error).toBe('invalid_bpmn');
    expect(broken.body.errors.map((e) => e.elementId)).toContain('s4');
    expect(otherProcess.status).toBe(400);
    expect(otherProcess.body.fields.map((f) => f.path)).toEqual(['processId']);
  });

  it('reports the coverage of the production instances in a period, with the untaken elements and flows', async () => {
    // when
    const all = await stack.api<{ elements: { percent: number; untaken: string[] }; flows: { percent: number; untaken: string[] }; instances: number }>(
      'GET', `/api/definitions/what-if/coverage?since=${new Date(NOW - 30 * DAY).toISOString()}`);
    const recent = await stack.api<{ elements: { untaken: string[] }; flows: { untaken: string[] }; instances: number }>(
      'GET', `/api/definitions/what-if/coverage?since=${new Date(NOW - 10 * DAY).toISOString()}`);
    const unknown = await stack.api('GET', '/api/definitions/no-such-process/coverage');
    const badSince = await stack.api<{ fields: Array<{ path: string }> }>('GET', '/api/definitions/what-if/coverage?since=yesterday');
    // then
    expect(all.status).toBe(200);
    expect(all.body).toMatchObject({ instances: 40, elements: { percent: 100, untaken: [] }, flows: { percent: 100, untaken: [] } });
    expect(recent.body).toMatchObject({ instances: 30, elements: { untaken: ['Letter'] }, flows: { untaken: ['Normal', 's4'] } });
    expect(unknown.status).toBe(404);
    expect(badSince.status).toBe(400);
    expect(badSince.body.fields.map((f) => f.path)).toEqual(['since']);
  });
});
