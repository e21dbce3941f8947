import fs from 'node:fs';
import path from 'node:path';
import type { Api } from '../support/auth';
import { eventually, startStack, type Stack } from '../support/stack';

const fixture = (name: string) => fs.readFileSync(path.join(__dirname, 'fixtures', name), 'utf8');

interface TaskPage { items: Array<{ id: string; instanceId: string; assignee: string | null; state: string }> }

// The review task of support-ticket.bpmn is for the candidate group `after-sales`.
describe('tasks are scoped to the candidate groups of agents and engineers', () => {
  let stack: Stack;
  let taskId: string;
  let instanceId: string;
  let ann: Api;
  let bob: Api;
  let carl: Api;

  beforeAll(async () => {
    stack = await startStack();
    expect((await stack.api('POST', '/api/definitions', fixture('support-ticket.bpmn'), 'application/xml')).status).toBe(201);
    const started = await stack.api<{ instanceId: string }>('POST', '/api/processes/support-ticket/instances', { variables: { amount: 5, ticketId: 'T-S' } });
    instanceId = started.body.instanceId;
    const page = await eventually<TaskPage>(stack, `/api/tasks?instanceId=${instanceId}`, (p) => p.items.length === 1, 'review task');
    taskId = page.items[0]!.id;
    ann = stack.as({ roles: ['agent'], groups: ['after-sales'], staffId: 'S-ann' });
    bob = stack.as({ roles: ['agent'], groups: ['after-sales'], staffId: 'S-bob' });
    carl = stack.as({ roles: ['engineer'], groups: ['field-repairs'], staffId: 'S-carl' });
  });

  afterAll(async () => {
    await stack?.stop();
  });

  const ids = async (api: Api) => (await api<TaskPage>('GET', `/api/tasks?instanceId=${instanceId}`)).body.items.map((t) => t.id);

  it('lists a task to its group and to supervisors, not to other groups', async () => {
    // when / then
    expect(await ids(ann)).toEqual([taskId]);
    expect(await ids(carl)).toEqual([]);
    expect(await ids(stack.as('supervisor'))).toEqual([taskId]);
  });

  it('refuses actions outside the group, and claims for someone else', async () => {
    // when
    const carlClaims = await carl('POST', `/api/tasks/${taskId}/claim`, { assignee: 'S-carl' });
    const carlCompletes = await carl('POST', `/api/tasks/${taskId}/complete`, { variables: {} });
    const annClaimsForBob = await ann('POST', `/api/tasks/${taskId}/claim`, { assignee: 'S-bob' });
    // then
    expect([carlClaims.status, carlCompletes.status, annClaimsForBob.status]).toEqual([403, 403, 403]);
    expect(carlClaims.body).toMatchObject({ error: 'forbidden' });
    const task = await stack.api<TaskPage>('GET', `/api/tasks?instanceId=${instanceId}`);
    expect(task.body.items[0]).toMatchObject({ state: 'open', assignee: null });
  });

  it('refuses transfers and comments outside the group, as it refuses the claim', async () => {
    // when an engineer of another group tries to take the task by transferring it, or comments on it
    const toHimself = await carl('POST', `/api/tasks/${taskId}/transfer`, { toUser: 'S-carl', reason: 'mine now' });
    const toHisGroup = await carl('POST', `/api/tasks/${taskId}/transfer`, { toGroup: 'field-repairs', reason: 'ours now' });
    const comment = await carl('POST', `/api/tasks/${taskId}/comments`, { text: 'peeking' });
    // then all are refused and the task is as it was
    expect([toHimself.status, toHisGroup.status, comment.status]).toEqual([403, 403, 403]);
    expect(toHimself.body).toMatchObject({ error: 'forbidden' });
    const task = await stack.api<{ items: Array<{ assignee: string | null; candidateGroups: string[]; candidateUsers: string[] }> }>('GET', `/api/tasks?instanceId=${instanceId}`);
    expect(task.body.items[0]).toMatchObject({ assignee: null, candidateGroups: ['after-sales'], candidateUsers: [] });
    // and a member of the group may comment
    expect((await ann('POST', `/api/tasks/${taskId}/comments`, { text: 'on it' })).status).toBe(201);
  });

  it('lets a group member claim for themselves; then colleagues may see but not complete it', async () => {
    // when
    const claimed = await ann('POST', `/api/tasks/${taskId}/claim`, { assignee: 'S-ann' });
    await eventually<TaskPage>(stack, `/api/tasks?instanceId=${instanceId}`, (p) => p.items[0]?.assignee === 'S-ann', 'claimed task');
    const bobCompletes = await bob('POST', `/api/tasks/${taskId}/complete`, { variables: {} });
    const annCompletes = await ann('POST', `/api/tasks/${taskId}/complete`, { variables: { resolution: 'refund' } });
    // then
    expect(claimed.status).toBe(204);
    expect(await ids(bob)).toEqual([taskId]);
    expect(bobCompletes).toMatchObject({ status: 403, body: { error: 'forbidden' } });
    expect(annCompletes.status).toBe(200);
  });

  it('answers 404, not 403, for a task nobody knows', async () => {
    // when
    const res = await ann('POST', '/api/tasks/pi-00000000-0000-4000-8000-000000000000.1/claim', { assignee: 'S-ann' });
    // then
    expect(res.status).toBe(404);
  });
});
