/**
 * A task listed from the inbox can be read at once: the projection writes a new task and its
 * inbox copy in separate commands, so for a moment only the inbox copy may exist (a low-score
 * alert test got 404 for the form of a task it had just listed).
 */
import { randomUUID } from 'node:crypto';
import { startStack, type Stack } from '../support/stack';

describe('a task only the inbox knows yet', () => {
  let stack: Stack;

  beforeAll(async () => {
    stack = await startStack();
  });

  afterAll(async () => {
    await stack?.stop();
  });

  it('answers its form and its scope check from the inbox copy, and 404 when neither has it', async () => {
    // given a task in the inbox collection only, for the reviewers group
    const instanceId = `pi-${randomUUID()}`;
    const id = `${instanceId}.7`;
    await stack.services.projections.openTasks.create({
      _id: id, instanceId, taskKey: '7', elementId: 'Review', name: 'Review', definitionKey: 'inbox-only', state: 'open',
      assignee: null, candidateGroups: ['reviewers'], candidateUsers: [], dueAt: null, followUpAt: null, formKey: null,
      createdAt: new Date(), closedAt: null, sequence: 1,
    });
    const reviewer = await stack.createUser({ roles: ['agent'], groups: ['reviewers'] });
    const outsider = await stack.createUser({ roles: ['agent'], groups: ['logistics'] });
    const { api: asReviewer } = await stack.login(reviewer.email, reviewer.password);
    const { api: asOutsider } = await stack.login(outsider.email, outsider.password);

    // when its group and another group read its form, and someone reads a task nobody has
    const form = await asReviewer('GET', `/api/tasks/${id}/form`);
    const refused = await asOutsider('GET', `/api/tasks/${id}/form`);
    const missing = await asReviewer('GET', `/api/tasks/pi-${randomUUID()}.1/form`);

    // then the inbox copy answers, with its scope, and a missing task is 404
    expect(form).toMatchObject({ status: 200, body: { formKey: null, schema: null } });
    expect(refused.status).toBe(403);
    expect(missing.status).toBe(404);
  });
});
