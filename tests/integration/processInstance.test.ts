import fs from 'node:fs';
import path from 'node:path';
import { eventually, startStack, type Stack } from '../support/stack';

const fixture = (name: string) => fs.readFileSync(path.join(__dirname, 'fixtures', name), 'utf8');

interface TaskPage { items: Array<{ id: string; elementId: string; state: string; assignee: string | null; candidateGroups: string[] }> }
interface Instance { status: string; activeElements: string[]; variables: Record<string, unknown>; tasks: unknown[] }

describe('a deployed BPMN process running on Temporal, through the HTTP API', () => {
  let stack: Stack;

  beforeAll(async () => {
    stack = await startStack();
    const deployed = await stack.api('POST', '/api/definitions', fixture('support-ticket.bpmn'), 'application/xml');
    expect(deployed.status).toBe(201);
  });

  afterAll(async () => {
    await stack?.stop();
  });

  it('runs service task, user task and message wait to the end', async () => {
    // given a started instance
    const started = await stack.api<{ instanceId: string; version: number }>('POST', '/api/processes/support-ticket/instances', {
      variables: { amount: 250, ticketId: 'T-1' },
    });
    expect(started.status).toBe(201);
    expect(started.body.version).toBe(1);
    const id = started.body.instanceId;

    // when the review task shows up in the after-sales inbox
    const inbox = await eventually<TaskPage>(stack, `/api/tasks?instanceId=${id}&candidateGroup=after-sales&state=open`,
      (page) => page.items.length === 1, 'review task in the inbox');
    const task = inbox.items[0]!;
    expect(task.elementId).toBe('review');

    // the service task's output is already in the variables
    const live = await stack.api<Instance>('GET', `/api/instances/${id}`);
    expect(live.body).toMatchObject({ status: 'active', activeElements: ['review'], variables: { amount: 250, severity: 'high' } });

    // and an agent claims and completes it
    expect((await stack.api('POST', `/api/tasks/${task.id}/claim`, { assignee: 'agent-7' })).status).toBe(204);
    const claimed = await eventually<TaskPage>(stack, `/api/tasks?instanceId=${id}`, (p) => p.items[0]?.state === 'claimed', 'claimed task');
    expect(claimed.items[0]!.assignee).toBe('agent-7');
    const completed = await stack.api('POST', `/api/tasks/${task.id}/complete`, { variables: { resolution: 'refund' } });
    expect(completed.status).toBe(200);

    // then completing it again is a conflict
    await eventually<TaskPage>(stack, `/api/tasks?instanceId=${id}`, (p) => p.items[0]?.state === 'completed', 'completed task');
    expect((await stack.api('POST', `/api/tasks/${task.id}/complete`, { variables: {} })).status).toBe(409);

    // and the customer's confirmation reaches exactly this instance
    await eventually<Instance>(stack, `/api/instances/${id}`, (i) => i.activeElements.includes('wait-for-customer'), 'waiting for the customer');
    await eventually<{ items: Array<{ activeElements: string[] }> }>(stack, `/api/instances?key=support-ticket&status=active`,
      (p) => p.items.some((i) => i.activeElements.includes('wait-for-customer')), 'subscription projected');
    const wrongKey = await stack.api('POST', '/api/messages', { name: 'customer-confirmed', correlationKey: 'T-999' });
    expect(wrongKey.status).toBe(404);
    const delivered = await stack.api<{ instanceId: string }>('POST', '/api/messages', { name: 'customer-confirmed', correlationKey: 'T-1', variables: { confirmed: true } });
    expect(delivered.status).toBe(200);
    expect(delivered.body).toEqual(expect.objectContaining({ instanceId: id, correlated: [{ instanceId: id, processKey: 'support-ticket' }], started: [], expiresAt: null }));

    const done = await eventually<Instance>(stack, `/api/instances/${id}`, (i) => i.status === 'completed', 'completed instance');
    expect(done.variables).toMatchObject({ amount: 250, severity: 'high', resolution: 'refund', confirmed: true });

    // and the history lists every element in order
    const history = await eventually<Array<{ elementId: string; event: string }>>(stack, `/api/instances/${id}/history`,
      (events) => events.some((e) => e.elementId === 'done' && e.event === 'completed'), 'complete history');
    expect(history.filter((e) => e.event === 'activated').map((e) => e.elementId))
      .toEqual(['support-ticket', 'received', 'classify', 'review', 'wait-for-customer', 'done']);
    // derived by replaying the Temporal history, it equals what the projection recorded
    const projected = await eventually<Array<{ elementId: string; event: string }>>(stack, `/api/instances/${id}/history?source=projection`,
      (events) => events.length === history.length, 'projected history');
    expect(projected).toEqual(history);
  });

  it('rejects bad task actions with precise status codes and changes nothing', async () => {
    // given an instance waiting in the review task
    const { body } = await stack.api<{ instanceId: string }>('POST', '/api/processes/support-ticket/instances', { variables: { amount: 5, ticketId: 'T-2' } });
    const inbox = await eventually<TaskPage>(stack, `/api/tasks?instanceId=${body.instanceId}`, (p) => p.items.length === 1, 'task');
    const taskId = inbox.items[0]!.id;
    // when variables are malformed, a task does not exist, or the body is wrong
    const badVariables = await stack.api<{ fields: Array<{ path: string }> }>('POST', `/api/tasks/${taskId}/complete`, { variables: { 'not a name': 1 } });
    const unknownTask = await stack.api('POST', `/api/tasks/${body.instanceId}.99999/complete`, { variables: {} });
    const badId = await stack.api('POST', '/api/tasks/nonsense/claim', { assignee: 'x' });
    const noAssignee = await stack.api<{ fields: Array<{ path: string }> }>('POST', `/api/tasks/${taskId}/claim`, {});
    // then
    expect(badVariables.status).toBe(400);
    expect(badVariables.body.fields[0]!.path).toBe('variables.not a name');
    expect(unknownTask.status).toBe(404);
    expect(badId.status).toBe(400);
    expect(noAssignee.status).toBe(400);
    expect(noAssignee.body.fields[0]!.path).toBe('assignee');
    // and the task is still open, unclaimed
    const live = await stack.api<Instance>('GET', `/api/instances/${body.instanceId}`);
    expect(live.body.activeElements).toEqual(['review']);
    expect(live.body.tasks).toEqual([expect.objectContaining({ state: 'open', assignee: null })]);
  });

  it('answers 404 for unknown processes and instances, and 409 for a running business key', async () => {
    expect((await stack.api('POST', '/api/processes/nope/instances', {})).status).toBe(404);
    expect((await stack.api('GET', '/api/instances/pi-00000000-0000-0000-0000-000000000000')).status).toBe(404);
    const first = await stack.api<{ instanceId: string }>('POST', '/api/processes/support-ticket/instances', { businessKey: 'C-42', variables: { amount: 1, ticketId: 'T-3' } });
    const second = await stack.api<{ instanceId: string; error: string }>('POST', '/api/processes/support-ticket/instances', { businessKey: 'C-42', variables: { amount: 1, ticketId: 'T-3' } });
    expect(first.status).toBe(201);
    expect(second.status).toBe(409);
    expect(second.body.instanceId).toBe(first.body.instanceId);
  });

  it('cancels an instance and closes its tasks', async () => {
    const { body } = await stack.api<{ instanceId: string }>('POST', '/api/processes/support-ticket/instances', { variables: { amount: 1, ticketId: 'T-4' } });
    await eventually<TaskPage>(stack, `/api/tasks?instanceId=${body.instanceId}`, (p) => p.items.length === 1, 'task');
    expect((await stack.api('DELETE', `/api/instances/${body.instanceId}`)).status).toBe(202);
    await eventually<Instance>(stack, `/api/instances/${body.instanceId}`, (i) => i.status === 'canceled', 'canceled');
    await eventually<TaskPage>(stack, `/api/tasks?instanceId=${body.instanceId}`, (p) => p.items[0]?.state === 'canceled', 'task canceled');
    expect((await stack.api('DELETE', `/api/instances/${body.instanceId}`)).status).toBe(409);
  });
});
