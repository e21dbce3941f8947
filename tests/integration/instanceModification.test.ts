/**
 * Token modification over HTTP on the real stack (decision 0040): an operator moves a token
 * (terminate + activate with variables), starts one before a long timer, and every refusal
 * names the element and changes nothing; the instance history says who did it and why.
 */
import fs from 'node:fs';
import path from 'node:path';
import { eventually, startStack, type Stack } from '../support/stack';

const fixture = (name: string) => fs.readFileSync(path.join(__dirname, 'fixtures', name), 'utf8');

interface TaskPage { items: Array<{ id: string; elementId: string; state: string; candidateGroups: string[] }> }

/** received -> triage -> review (in subprocess 'sub'; its candidate group is the variable team) -> wrapUp -> done */
const SCOPED = `<?xml version="1.0" encoding="UTF-8"?>
<bpmn:definitions xmlns:bpmn="http://www.omg.org/spec/BPMN/20100524/MODEL" xmlns:zeebe="http://camunda.org/schema/zeebe/1.0" id="d" targetNamespace="http://example.com/bpmn">
  <bpmn:process id="scoped-review" isExecutable="true">
    <bpmn:startEvent id="received" />
    <bpmn:userTask id="triage"><bpmn:extensionElements><zeebe:assignmentDefinition candidateGroups="claims" /></bpmn:extensionElements></bpmn:userTask>
    <bpmn:subProcess id="sub">
      <bpmn:startEvent id="subStart" />
      <bpmn:userTask id="review"><bpmn:extensionElements><zeebe:assignmentDefinition candidateGroups="=[team]" /></bpmn:extensionElements></bpmn:userTask>
      <bpmn:endEvent id="subEnd" />
      <bpmn:sequenceFlow id="s0" sourceRef="subStart" targetRef="review" />
      <bpmn:sequenceFlow id="s1" sourceRef="review" targetRef="subEnd" />
    </bpmn:subProcess>
    <bpmn:userTask id="wrapUp"><bpmn:extensionElements><zeebe:assignmentDefinition candidateGroups="claims" /></bpmn:extensionElements></bpmn:userTask>
    <bpmn:endEvent id="done" />
    <bpmn:sequenceFlow id="f0" sourceRef="received" targetRef="triage" />
    <bpmn:sequenceFlow id="f1" sourceRef="triage" targetRef="sub" />
    <bpmn:sequenceFlow id="f2" sourceRef="sub" targetRef="wrapUp" />
    <bpmn:sequenceFlow id="f3" sourceRef="wrapUp" targetRef="done" />
  </bpmn:process>
</bpmn:definitions>`;
interface Instance {
  status: string; activeElements: string[]; variables: Record<string, unknown>;
  timers: Array<{ key: string; elementId: string; dueAt: number | string }>;
  tasks: Array<{ key: string; elementId: string }>;
}
interface HistoryEvent { elementId: string; event: string; message?: string }

describe('token modification of a running instance', () => {
  let stack: Stack;
  let adminId: string;

  beforeAll(async () => {
    stack = await startStack();
    expect((await stack.api('POST', '/api/definitions', fixture('claim-review-v1.bpmn'), 'application/xml')).status).toBe(201);
    adminId = (await stack.api<{ id: string }>('GET', '/api/auth/me')).body.id;
  });

  afterAll(async () => {
    await stack?.stop();
  });

  const startAtTriage = async () => {
    const started = await stack.api<{ instanceId: string }>('POST', '/api/processes/claim-review/instances', { variables: { claim: 'C-1' } });
    expect(started.status).toBe(201);
    const id = started.body.instanceId;
    await eventually<TaskPage>(stack, `/api/tasks?instanceId=${id}&state=open`, (p) => p.items.some((t) => t.elementId === 'triage'), 'triage open');
    return id;
  };

  it('moves the token from triage to decide with a variable; the task inbox and the history follow', async () => {
    // given an instance waiting in triage
    const id = await startAtTriage();

    // when an operator moves the token to decide (terminate triage, activate decide) with a variable
    const res = await stack.api<{ activeElements: string[]; tasks: Array<{ elementId: string }> }>('POST', `/api/instances/${id}/modifications`, {
      instructions: [
        { type: 'terminate', elementId: 'triage' },
        { type: 'activate', elementId: 'decide', variables: { skippedBecause: 'duplicate' } },
      ],
      reason: 'duplicate claim, triaged by phone',
    });

    // then the instance stands at decide, with the variable, and triage's task is gone from the inbox
    expect(res.status).toBe(200);
    expect(res.body.activeElements).toEqual(['decide']);
    expect(res.body.tasks.map((t) => t.elementId)).toEqual(['decide']);
    const open = await eventually<TaskPage>(stack, `/api/tasks?instanceId=${id}&state=open`,
      (p) => p.items.length === 1 && p.items[0]?.elementId === 'decide', 'decide open, triage closed');
    expect(open.items.map((t) => t.elementId)).toEqual(['decide']);
    const live = (await stack.api<Instance>('GET', `/api/instances/${id}`)).body;
    expect(live.variables).toEqual({ claim: 'C-1', skippedBecause: 'duplicate' });
    // and the authoritative history (replayed from Temporal) records what happened, who and why
    const history = (await stack.api<HistoryEvent[]>('GET', `/api/instances/${id}/history`)).body;
    const modified = history.filter((e) => e.event === 'modified');
    expect(modified).toHaveLength(1);
    expect(modified[0]?.message).toContain(`by ${adminId}: duplicate claim, triaged by phone`);
    expect(modified[0]?.message).toContain("terminate 'triage', activate 'decide' with skippedBecause variables");
    expect(history.map((e) => `${e.event}:${e.elementId}`)).toEqual(expect.arrayContaining(['terminated:triage', 'activated:decide']));

    // and completing decide finishes the instance on the model's path
    expect((await stack.api('POST', `/api/tasks/${open.items[0]?.id}/complete`, { variables: {} })).status).toBe(200);
    await eventually<Instance>(stack, `/api/instances/${id}`, (i) => i.status === 'completed', 'completed');
  });

  it('starts a token before a three-day timer, next to the one in triage', async () => {
    const id = await startAtTriage();
    const before = Date.now();
    const res = await stack.api<{ activeElements: string[] }>('POST', `/api/instances/${id}/modifications`, {
      instructions: [{ type: 'activate', elementId: 'cooling' }], reason: 'start the objection period now',
    });
    expect(res.status).toBe(200);
    expect(res.body.activeElements.sort()).toEqual(['cooling', 'triage']);
    const live = (await stack.api<Instance>('GET', `/api/instances/${id}`)).body;
    expect(live.timers.map((t) => t.elementId)).toEqual(['cooling']);
    const due = new Date(live.timers[0]?.dueAt ?? 0).getTime();
    expect(due).toBeGreaterThanOrEqual(before + 3 * 24 * 3600_000 - 5000);
    expect(due).toBeLessThanOrEqual(Date.now() + 3 * 24 * 3600_000);
  });

  it('refuses what the model does not allow, naming the elements, and changes nothing', async () => {
    const id = await startAtTriage();
    const refused = await stack.api<{ error: string; problems: Array<{ path: string; elementId?: string; message: string }> }>('POST', `/api/instances/${id}/modifications`, {
      instructions: [
        { type: 'activate', elementId: 'nowhere' },
        { type: 'activate', elementId: 'received' },
        { type: 'terminate', elementId: 'decide' },
      ],
      reason: 'try',
    });
    expect(refused.status).toBe(400);
    expect(refused.body.error).toBe('invalid_modification');
    expect(refused.body.problems.map((p) => [p.path, p.elementId])).toEqual([
      ['instructions[0]', 'nowhere'], ['instructions[1]', 'received'], ['instructions[2]', 'decide'],
    ]);
    // a malformed body: field paths
    const malformed = await stack.api<{ fields: Array<{ path: string }> }>('POST', `/api/instances/${id}/modifications`, { instructions: [], reason: '' });
    expect(malformed.status).toBe(400);
    expect(malformed.body.fields.map((f) => f.path).sort()).toEqual(['instructions', 'reason']);
    // nothing changed, and nothing was recorded
    const live = (await stack.api<Instance>('GET', `/api/instances/${id}`)).body;
    expect(live.activeElements).toEqual(['triage']);
    const history = (await stack.api<HistoryEvent[]>('GET', `/api/instances/${id}/history`)).body;
    expect(history.some((e) => e.event === 'modified')).toBe(false);
    // and only operators may modify
    const agent = await stack.as({ roles: ['agent'] })('POST', `/api/instances/${id}/modifications`, { instructions: [{ type: 'terminate', elementId: 'triage' }], reason: 'no' });
    expect(agent.status).toBe(403);
    const operator = await stack.as({ roles: ['operator'] })<{ status: string }>('POST', `/api/instances/${id}/modifications`, {
      instructions: [{ type: 'terminate', elementId: 'triage' }], reason: 'opened by mistake',
    });
    // terminating the last token terminates the instance (Zeebe)
    expect(operator.status).toBe(200);
    expect(operator.body.status).toBe('terminated');
  });

  it('creates variables in the scope each variable instruction names: the subprocess, the element, the process', async () => {
    // given an instance of scoped-review waiting in triage
    expect((await stack.api('POST', '/api/definitions', SCOPED, 'application/xml')).status).toBe(201);
    const started = await stack.api<{ instanceId: string }>('POST', '/api/processes/scoped-review/instances', { variables: { claim: 'C-2' } });
    const id = started.body.instanceId;
    await eventually<TaskPage>(stack, `/api/tasks?instanceId=${id}&state=open`, (p) => p.items.some((t) => t.elementId === 'triage'), 'triage open');

    // when an operator moves the token into the subprocess's review, with the team local to the subprocess
    const res = await stack.api('POST', `/api/instances/${id}/modifications`, {
      instructions: [
        { type: 'terminate', elementId: 'triage' },
        { type: 'activate', elementId: 'review', variableInstructions: [
          { variables: { team: 'legal' }, scopeId: 'sub' },
          { variables: { draft: true }, scopeId: 'review' },
          { variables: { movedBy: 'operations' } },
        ] },
      ],
      reason: 'legal must review this one',
    });

    // then the review task went to the team set in the subprocess scope, which the process scope does not have
    expect(res.status).toBe(200);
    const review = await eventually<TaskPage>(stack, `/api/tasks?instanceId=${id}&state=open`, (p) => p.items.some((t) => t.elementId === 'review'), 'review open');
    expect(review.items.map((t) => [t.elementId, t.candidateGroups])).toEqual([['review', ['legal']]]);
    const live = (await stack.api<Instance>('GET', `/api/instances/${id}`)).body;
    expect(live.variables).toEqual({ claim: 'C-2', movedBy: 'operations' });
    const history = (await stack.api<HistoryEvent[]>('GET', `/api/instances/${id}/history`)).body;
    expect(history.find((e) => e.event === 'modified')?.message).toContain("activate 'review' with team variables in 'sub' with draft variables in 'review' with movedBy variables in 'the process'");

    // and the local variables end with their scopes: after review, the process still has no team
    expect((await stack.api('POST', `/api/tasks/${review.items[0]?.id}/complete`, { variables: {} })).status).toBe(200);
    await eventually<TaskPage>(stack, `/api/tasks?instanceId=${id}&state=open`, (p) => p.items.some((t) => t.elementId === 'wrapUp'), 'wrapUp open');
    expect((await stack.api<Instance>('GET', `/api/instances/${id}`)).body.variables).toEqual({ claim: 'C-2', movedBy: 'operations' });

    // a scope that does not enclose the element is refused with its path and element, and nothing changes
    const refused = await stack.api<{ error: string; problems: Array<{ path: string; elementId?: string }> }>('POST', `/api/instances/${id}/modifications`, {
      instructions: [{ type: 'activate', elementId: 'wrapUp', variableInstructions: [{ variables: { team: 'x' }, scopeId: 'sub' }] }],
      reason: 'wrong scope',
    });
    expect(refused.status).toBe(400);
    expect(refused.body.error).toBe('invalid_modification');
    expect(refused.body.problems.map((p) => [p.path, p.elementId])).toEqual([['instructions[0].variableInstructions[0].scopeId', 'sub']]);
    const malformed = await stack.api<{ fields: Array<{ path: string }> }>('POST', `/api/instances/${id}/modifications`, {
      instructions: [{ type: 'activate', elementId: 'wrapUp', variableInstructions: [{ scopeId: 'sub' }] }], reason: 'no variables',
    });
    expect(malformed.status).toBe(400);
    expect(malformed.body.fields.map((f) => f.path)).toEqual(['instructions.0']);
  });
});
