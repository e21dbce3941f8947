import type { ElementDef, ProcessModel } from '../../../processes/model';
import { around, compile, doc, fixture, JOB } from './helpers';

async function richModel(): Promise<ProcessModel> {
  const result = await compile(fixture('zeebe-rich.bpmn'));
  expect(result.problems.filter((p) => p.severity === 'error')).toEqual([]);
  expect(result.document?.processes).toHaveLength(1);
  return result.document!.processes[0]!;
}

function element(model: ProcessModel, id: string): ElementDef {
  const found = model.elements.find((e) => e.id === id);
  if (!found) throw new Error(`no element ${id}`);
  return found;
}

const base = { inputs: [], outputs: [], boundaryEventIds: [], parentId: null };

describe('compiling a zeebe-rich diagram', () => {
  it('produces the process header and every element in document order', async () => {
    // given the complaint diagram  // when
    const model = await richModel();
    // then
    expect(model).toMatchObject({ schemaVersion: 1, id: 'complaint', name: 'Complaint handling' });
    expect(model.hash).toMatch(/^[0-9a-f]{64}$/);
    expect(model.elements.map((e) => e.id)).toEqual([
      'Start', 'Register', 'Severity', 'Review', 'Remind', 'Reminder', 'Score', 'Fork', 'Departments',
      'DeptStart', 'Classify', 'DeptEnd', 'RefundFailed', 'AwaitReply', 'Call', 'Join', 'Cooldown', 'Survey',
      'GoClose', 'FromSurvey', 'Archive', 'Closed', 'Failed', 'Withdrawal', 'WithdrawStart', 'WithdrawEnd',
      'SlaWatch', 'SlaStart', 'SlaEnd',
    ]);
    expect(model.flows.map((f) => f.id)).toEqual([
      'D1', 'D2', 'W1', 'S1', 'F1', 'F2', 'F_High', 'F_Normal', 'F3', 'F4', 'F5', 'F6', 'F7', 'F8', 'F9',
      'F10', 'F11', 'F12', 'F13', 'F14', 'F15', 'F16', 'F17',
    ]);
  });

  it('maps service tasks with job, headers, retries and io mappings', async () => {
    const model = await richModel();
    expect(element(model, 'Register')).toEqual({
      ...base,
      id: 'Register', name: 'Register complaint', bpmnType: 'bpmn:ServiceTask', kind: 'serviceTask',
      incoming: ['F1'], outgoing: ['F2'],
      inputs: [
        { source: 'customer.id', target: 'body.customerId' },
        { source: '"web"', target: 'body.channel' },
      ],
      outputs: [{ source: 'response.id', target: 'complaintId' }],
      job: {
        type: 'http.request', retries: 5,
        headers: [{ key: 'url', value: 'https://crm.example/complaints' }, { key: 'method', value: 'POST' }],
      },
    });
    expect(element(model, 'Reminder')).toMatchObject({ kind: 'serviceTask', bpmnType: 'bpmn:SendTask', job: { type: 'http.request', retries: 3, headers: [] } });
    expect(element(model, 'Classify')).toMatchObject({ kind: 'serviceTask', bpmnType: 'bpmn:BusinessRuleTask', parentId: 'Departments', job: { retries: 1 } });
  });

  it('maps gateways, conditions and the default flow', async () => {
    const model = await richModel();
    expect(element(model, 'Severity')).toEqual({
      ...base, id: 'Severity', name: 'Severity?', bpmnType: 'bpmn:ExclusiveGateway', kind: 'exclusiveGateway',
      incoming: ['F2'], outgoing: ['F_High', 'F_Normal'], defaultFlowId: 'F_Normal',
    });
    expect(model.flows.find((f) => f.id === 'F_High')).toEqual({
      id: 'F_High', name: 'high', sourceId: 'Severity', targetId: 'Review', condition: 'triage.severity = "high"',
    });
    expect(model.flows.find((f) => f.id === 'F_Normal')).toEqual({ id: 'F_Normal', name: 'normal', sourceId: 'Severity', targetId: 'Score' });
    expect(element(model, 'Fork')).toMatchObject({ kind: 'parallelGateway', incoming: ['F4', 'F5'], outgoing: ['F6', 'F7', 'F8'] });
  });

  it('maps user task assignment, schedule and form, with its boundary timer', async () => {
    const model = await richModel();
    expect(element(model, 'Review')).toEqual({
      ...base, id: 'Review', name: 'Review complaint', bpmnType: 'bpmn:UserTask', kind: 'userTask',
      incoming: ['F_High'], outgoing: ['F4'], boundaryEventIds: ['Remind'],
      assignee: { feel: 'owner' },
      candidateGroups: { static: 'after-sales, quality' },
      candidateUsers: { feel: 'reviewers' },
      dueDate: { feel: 'now() + duration("P2D")' },
      followUpDate: { static: '2030-01-01T09:00:00Z' },
      formKey: 'review-form',
      formId: 'review-form',
    });
    expect(element(model, 'Remind')).toEqual({
      ...base, id: 'Remind', name: 'Daily reminder', bpmnType: 'bpmn:BoundaryEvent', kind: 'boundaryEvent',
      incoming: [], outgoing: ['F3'], attachedToId: 'Review', interrupting: false,
      trigger: { type: 'timer', timer: { kind: 'cycle', value: { static: 'R3/PT24H' } } },
    });
  });

  it('maps script, receive, manual, plain tasks and the call activity', async () => {
    const model = await richModel();
    expect(element(model, 'Score')).toMatchObject({ kind: 'scriptTask', expression: 'if severity = "high" then 10 else 1', resultVariable: 'urgency' });
    expect(element(model, 'AwaitReply')).toMatchObject({
      kind: 'receiveTask', messageName: { static: 'customer-reply' }, correlationKey: 'complaintId',
    });
    expect(element(model, 'Call')).toMatchObject({ kind: 'manualTask', bpmnType: 'bpmn:ManualTask' });
    expect(element(model, 'Archive')).toMatchObject({ kind: 'task', bpmnType: 'bpmn:Task' });
    expect(element(model, 'Survey')).toMatchObject({
      kind: 'callActivity', calledProcessId: { static: 'survey' },
      propagateAllChildVariables: false, propagateAllParentVariables: true,
    });
  });

  it('maps the multi-instance subprocess, its children and its error boundary', async () => {
    const model = await richModel();
    expect(element(model, 'Departments')).toMatchObject({
      kind: 'subProcess', parentId: null, boundaryEventIds: ['RefundFailed'],
      multiInstance: {
        sequential: false, inputCollection: 'departments', inputElement: 'department',
        outputCollection: 'results', outputElement: 'result', completionCondition: 'numberOfCompletedInstances >= 2',
      },
    });
    expect(element(model, 'DeptStart')).toMatchObject({ kind: 'startEvent', parentId: 'Departments', trigger: { type: 'none' } });
    expect(element(model, 'RefundFailed')).toMatchObject({
      kind: 'boundaryEvent', attachedToId: 'Departments', interrupting: true, trigger: { type: 'error', errorCode: 'REFUND_FAILED' },
    });
  });

  it('maps events: start output mapping, timer catch, links and typed end events', async () => {
    const model = await richModel();
    expect(element(model, 'Start')).toMatchObject({
      kind: 'startEvent', trigger: { type: 'none' }, interrupting: true, outputs: [{ source: 'severity', target: 'triage.severity' }],
    });
    expect(element(model, 'Cooldown')).toMatchObject({ trigger: { type: 'timer', timer: { kind: 'duration', value: { static: 'PT1H' } } } });
    expect(element(model, 'GoClose')).toMatchObject({ kind: 'intermediateThrowEvent', result: { type: 'link', linkName: 'closing' } });
    expect(element(model, 'FromSurvey')).toMatchObject({ kind: 'intermediateCatchEvent', trigger: { type: 'link', linkName: 'closing' } });
    expect(element(model, 'Closed')).toMatchObject({ kind: 'endEvent', result: { type: 'message', job: { type: 'http.request', retries: 2, headers: [] } } });
    expect(element(model, 'Failed')).toMatchObject({ result: { type: 'error', errorCode: 'REFUND_FAILED', errorMessage: 'Refund failed' } });
  });

  it('maps event subprocesses with interrupting message and non-interrupting escalation starts', async () => {
    const model = await richModel();
    expect(element(model, 'Withdrawal')).toMatchObject({ kind: 'eventSubProcess', incoming: [], outgoing: [] });
    expect(element(model, 'WithdrawStart')).toMatchObject({
      parentId: 'Withdrawal', interrupting: true,
      trigger: { type: 'message', messageName: { feel: '"withdraw-" + channel' }, correlationKey: 'complaintId' },
    });
    expect(element(model, 'WithdrawEnd')).toMatchObject({ result: { type: 'terminate' } });
    expect(element(model, 'SlaStart')).toMatchObject({ interrupting: false, trigger: { type: 'escalation', escalationCode: 'SLA_BREACH' } });
    expect(element(model, 'SlaEnd')).toMatchObject({ result: { type: 'escalation', escalationCode: 'SLA_BREACH' } });
  });

  it('reports only the modelling-style warnings this diagram deserves', async () => {
    const result = await compile(fixture('zeebe-rich.bpmn'));
    expect(result.ok).toBe(true);
    expect(result.problems.map((p) => `${p.elementId} ${p.rule}`)).toEqual([
      'Fork no-gateway-join-fork',
      'Reminder no-implicit-end',
      'WithdrawEnd superfluous-termination',
    ]);
  });
});

describe('compiling smaller constructs', () => {
  it('maps message and timer start events at process level', async () => {
    // given
    const xml = doc(`
      <bpmn:startEvent id="ByMessage" name="m"><bpmn:messageEventDefinition messageRef="M" /></bpmn:startEvent>
      <bpmn:startEvent id="ByTimer" name="t"><bpmn:timerEventDefinition><bpmn:timeCycle>R/P1D</bpmn:timeCycle></bpmn:timerEventDefinition></bpmn:startEvent>
      <bpmn:endEvent id="E" name="e" />
      <bpmn:sequenceFlow id="A" sourceRef="ByMessage" targetRef="E" />
      <bpmn:sequenceFlow id="B" sourceRef="ByTimer" targetRef="E" />`, '<bpmn:message id="M" name="complaint-filed" />');
    // when
    const result = await compile(xml);
    // then
    expect(result.ok).toBe(true);
    const [first, second] = result.document!.processes[0]!.elements;
    expect(first).toMatchObject({ trigger: { type: 'message', messageName: { static: 'complaint-filed' } } });
    expect(second).toMatchObject({ trigger: { type: 'timer', timer: { kind: 'cycle', value: { static: 'R/P1D' } } } });
  });

  it('maps sequential multi-instance on a task and an inclusive gateway default', async () => {
    const xml = around(`<bpmn:serviceTask id="X" name="x">${JOB.replace('</bpmn:extensionElements>', '')}</bpmn:extensionElements>
      <bpmn:multiInstanceLoopCharacteristics isSequential="true"><bpmn:extensionElements>
        <zeebe:loopCharacteristics inputCollection="=items" /></bpmn:extensionElements></bpmn:multiInstanceLoopCharacteristics>
    </bpmn:serviceTask>`);
    const result = await compile(xml);
    expect(result.ok).toBe(true);
    expect(result.document!.processes[0]!.elements[1]).toMatchObject({ multiInstance: { sequential: true, inputCollection: 'items' } });
  });

  it('compiles each executable participant of a collaboration and skips the others', async () => {
    const xml = `<?xml version="1.0"?><bpmn:definitions ${'xmlns:bpmn="http://www.omg.org/spec/BPMN/20100524/MODEL"'} id="D">
      <bpmn:collaboration id="C">
        <bpmn:participant id="P1" name="Service desk" processRef="desk" />
        <bpmn:participant id="P2" name="Customer" processRef="customer" />
      </bpmn:collaboration>
      <bpmn:process id="desk" isExecutable="true">
        <bpmn:startEvent id="S" /><bpmn:endEvent id="E" /><bpmn:sequenceFlow id="F" sourceRef="S" targetRef="E" />
      </bpmn:process>
      <bpmn:process id="customer" isExecutable="false"><bpmn:task id="Unnamed" /></bpmn:process>
    </bpmn:definitions>`;
    const result = await compile(xml);
    expect(result.problems).toEqual([]);
    expect(result.document!.processes.map((p) => [p.id, p.name])).toEqual([['desk', 'Service desk']]);
  });
});
