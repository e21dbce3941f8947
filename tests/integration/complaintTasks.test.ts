import { deployShippedProcesses } from '../../server/complaints/shippedProcesses';
import { eventually, startStack, type Stack } from '../support/stack';
import { intake, openTask, type ComplaintDetail } from './complaintSupport';

describe('working on complaint tasks together', () => {
  let stack: Stack;

  beforeAll(async () => {
    stack = await startStack();
    await deployShippedProcesses(stack.services.definitions);
  });

  afterAll(async () => {
    await stack?.stop();
  });

  it('comments on a task and transfers it to another group, on the timeline', async () => {
    // given a new complaint waiting for dispatch
    const { body } = await stack.api<{ id: string }>('POST', '/api/complaints', intake('cust-tasks'));
    const task = await openTask(stack, body.id, 'Dispatch');

    // when a dispatcher comments and hands the task to the supervisors
    expect((await stack.api('POST', `/api/tasks/${task.id}/comments`, { text: 'customer prefers mornings' })).status).toBe(201);
    expect((await stack.api('POST', `/api/tasks/${task.id}/transfer`, { toGroup: 'supervisor', reason: 'VIP customer' })).status).toBe(204);

    // then the task belongs to the new group, unassigned, with its comment, and the timeline says so
    const after = await eventually<ComplaintDetail>(stack, `/api/complaints/${body.id}`,
      (c) => c.tasks.some((t) => t.id === task.id && t.candidateGroups.includes('supervisor')), 'task transferred');
    const moved = after.tasks.find((t) => t.id === task.id) as ComplaintDetail['tasks'][number] & { comments: Array<{ text: string }> };
    expect(moved).toMatchObject({ candidateGroups: ['supervisor'], assignee: null, comments: [{ text: 'customer prefers mornings' }] });
    expect(after.timeline.map((e) => e.what)).toEqual(expect.arrayContaining(["transferred 'Dispatch to an engineer' to group supervisor: VIP customer"]));
  });

  it('refuses a transfer without exactly one target, with the field path, and changes nothing', async () => {
    const { body } = await stack.api<{ id: string }>('POST', '/api/complaints', intake('cust-tasks'));
    const task = await openTask(stack, body.id, 'Dispatch');
    const both = await stack.api<{ fields: Array<{ path: string }> }>('POST', `/api/tasks/${task.id}/transfer`, { toGroup: 'a', toUser: 'b', reason: 'x' });
    const unknown = await stack.api('POST', `/api/tasks/${task.id.replace(/\.\d+$/, '.99999')}/transfer`, { toUser: 'b', reason: 'x' });
    expect(both.status).toBe(400);
    expect(both.body.fields.map((f) => f.path)).toEqual(['toGroup']);
    expect(unknown.status).toBe(404);
    expect((await openTask(stack, body.id, 'Dispatch')).candidateGroups).toEqual(['dispatch']);
  });

  it('takes task ids of called processes as the rest of /api/tasks does (docs/api.md), answering 404 for an unknown one', async () => {
    // given a task id shaped like one in a called instance that does not exist
    const called = 'pi-0b8f3c1e-2a4d-4c6b-9d7e-1f2a3b4c5d6e.call-1.7';
    // when
    const comment = await stack.api<{ error: string }>('POST', `/api/tasks/${called}/comments`, { text: 'anyone?' });
    const transfer = await stack.api<{ error: string }>('POST', `/api/tasks/${called}/transfer`, { toGroup: 'supervisor', reason: 'x' });
    const malformed = await stack.api<{ fields: Array<{ path: string }> }>('POST', '/api/tasks/pi-nope.7/comments', { text: 'anyone?' });
    // then
    expect([comment.status, comment.body.error]).toEqual([404, 'not_found']);
    expect([transfer.status, transfer.body.error]).toEqual([404, 'not_found']);
    expect(malformed.status).toBe(400);
    expect(malformed.body.fields.map((f) => f.path)).toEqual(['id']);
  });
});
