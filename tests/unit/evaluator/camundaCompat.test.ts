import { compileBpmn } from '../../../processes/compiler';
import type { ProcessModel } from '../../../processes/model';
import { Sim } from './harness';

// Run-time behaviour of Camunda 8 constructs from public Modeler diagrams (see the compiler's
// tests/unit/compiler/camundaCompat.test.ts for what compiles).

const NS = 'xmlns:bpmn="http://www.omg.org/spec/BPMN/20100524/MODEL" xmlns:zeebe="http://camunda.org/schema/zeebe/1.0"';

async function model(body: string): Promise<ProcessModel> {
  const xml = `<?xml version="1.0" encoding="UTF-8"?>
<bpmn:definitions ${NS} id="D" targetNamespace="http://example.com/bpmn"><bpmn:process id="p" isExecutable="true">${body}</bpmn:process></bpmn:definitions>`;
  const result = await compileBpmn(xml, { taskTypes: new Set(['http.request']) });
  const process = result.document?.processes[0];
  if (!result.ok || !process) throw new Error(JSON.stringify(result.problems));
  return process;
}

function line(task: string): string {
  return `<bpmn:startEvent id="S" />${task}<bpmn:endEvent id="E" />
    <bpmn:sequenceFlow id="f1" sourceRef="S" targetRef="T" /><bpmn:sequenceFlow id="f2" sourceRef="T" targetRef="E" />`;
}

describe('Camunda-compatible constructs at run time', () => {
  it('hands a job the multi-line text of an input mapping with its line breaks', async () => {
    const sim = new Sim(await model(line(`<bpmn:serviceTask id="T"><bpmn:extensionElements>
      <zeebe:taskDefinition type="http.request" />
      <zeebe:ioMapping><zeebe:input source="=&quot;You are a helpful agent.&#10;Hello &quot; + name" target="prompt" /></zeebe:ioMapping>
    </bpmn:extensionElements></bpmn:serviceTask>`)));
    sim.start({ name: 'Ann' });
    const [job] = sim.of('executeJob');
    expect(job?.variables.prompt).toBe('You are a helpful agent.\nHello Ann');
  });

  it('sets an input without a source to null in the task, shadowing the outer value', async () => {
    const sim = new Sim(await model(line(`<bpmn:serviceTask id="T"><bpmn:extensionElements>
      <zeebe:taskDefinition type="http.request" />
      <zeebe:ioMapping><zeebe:input target="threadId" /></zeebe:ioMapping>
    </bpmn:extensionElements></bpmn:serviceTask>`)));
    sim.start({ threadId: 'outer' });
    const [job] = sim.of('executeJob');
    expect(job?.variables).toHaveProperty('threadId', null);
    sim.completeJob('T');
    sim.expectClean();
    expect(sim.vars().threadId).toBe('outer');
  });

  const expressionJob = line(`<bpmn:serviceTask id="T"><bpmn:extensionElements>
      <zeebe:taskDefinition type="=&quot;ticket.&quot; + channel" retries="=tries" />
    </bpmn:extensionElements></bpmn:serviceTask>`);

  it('evaluates a job type and retries given as FEEL when the task activates', async () => {
    const sim = new Sim(await model(expressionJob));
    sim.start({ channel: 'email', tries: 5 });
    expect(sim.of('executeJob').map((j) => [j.taskType, j.retries])).toEqual([['ticket.email', 5]]);
    sim.send({ type: 'setVariables', variables: { channel: 'sms' } });
    sim.send({ type: 'jobFailed', key: sim.jobKey('T'), message: 'busy', retriesLeft: 4 });
    // A retry keeps the type the job was created with, even when the variable changed meanwhile.
    expect(sim.of('executeJob').map((j) => j.taskType)).toEqual(['ticket.email', 'ticket.email']);
    sim.completeJob('T');
    sim.expectClean();
  });

  it('raises an incident when the job type does not evaluate to a string, and retries it on resolve', async () => {
    const sim = new Sim(await model(expressionJob));
    sim.start({ tries: 1 });
    expect(sim.of('executeJob')).toEqual([]);
    expect(sim.incidents()).toEqual([{ type: 'EXTRACT_VALUE_ERROR', elementId: 'T' }]);
    sim.send({ type: 'setVariables', variables: { channel: 'sms' } });
    sim.resolve('T');
    expect(sim.of('executeJob').map((j) => [j.taskType, j.retries])).toEqual([['ticket.sms', 1]]);
  });

  it('raises an incident when the retries are not a whole number', async () => {
    const sim = new Sim(await model(expressionJob));
    sim.start({ channel: 'email', tries: 'many' });
    expect(sim.of('executeJob')).toEqual([]);
    expect(sim.incidents()).toEqual([{ type: 'EXTRACT_VALUE_ERROR', elementId: 'T' }]);
  });
});

describe('a start event without outgoing flows (Camunda Modeler blank diagram)', () => {
  it('ends the instance right after it starts', async () => {
    const sim = new Sim(await model('<bpmn:startEvent id="S" />'));
    sim.start({ a: 1 });
    expect(sim.trace('elementActivated')).toEqual(['p', 'S']);
    expect(sim.trace('elementCompleted')).toEqual(['S', 'p']);
    sim.expectClean();
  });

  it('completes an embedded subprocess at once when its start event leads nowhere, and the process goes on', async () => {
    const sim = new Sim(await model(`<bpmn:startEvent id="S" />
      <bpmn:subProcess id="Sub"><bpmn:startEvent id="Inner" /></bpmn:subProcess>
      <bpmn:serviceTask id="T"><bpmn:extensionElements><zeebe:taskDefinition type="http.request" /></bpmn:extensionElements></bpmn:serviceTask>
      <bpmn:sequenceFlow id="f1" sourceRef="S" targetRef="Sub" /><bpmn:sequenceFlow id="f2" sourceRef="Sub" targetRef="T" />`));
    sim.start();
    expect(sim.trace('elementCompleted')).toEqual(['S', 'Inner', 'Sub']);
    sim.completeJob('T');
    sim.expectClean();
  });

  it('ends the path at an exclusive gateway without outgoing flows, as Zeebe does, instead of raising an incident', async () => {
    const sim = new Sim(await model(`<bpmn:startEvent id="S" /><bpmn:parallelGateway id="Fork" />
      <bpmn:exclusiveGateway id="X" />
      <bpmn:serviceTask id="T"><bpmn:extensionElements><zeebe:taskDefinition type="http.request" /></bpmn:extensionElements></bpmn:serviceTask>
      <bpmn:sequenceFlow id="f1" sourceRef="S" targetRef="Fork" /><bpmn:sequenceFlow id="f2" sourceRef="Fork" targetRef="X" />
      <bpmn:sequenceFlow id="f3" sourceRef="Fork" targetRef="T" />`));
    sim.start();
    expect(sim.trace('elementCompleted')).toEqual(['S', 'Fork', 'X']);
    sim.completeJob('T');
    expect(sim.trace('elementCompleted')).toEqual(['S', 'Fork', 'X', 'T', 'p']);
    sim.expectClean();
  });
});
