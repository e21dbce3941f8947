/**
 * Token modification over HTTP on the real stack (decision 0040): an operator moves a token
 * (terminate + activate with variables), starts one before a long timer, and every refusal
 * names the element and changes nothing; the instance history says who did it and why.
 */
import fs from 'node:fs';
import path from 'node:path';
import { eventually, startStack, type Stack } from '../support/stack';

const fixture = (name: string) => fs.readFileSync(path.join(__dirname, 'fixtures', name), 'utf8');

interface TaskPage { items: Array<{ id: string; elementId: string; state: string }> }
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
});
