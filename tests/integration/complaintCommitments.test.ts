import { deployShippedProcesses } from '../../server/complaints/shippedProcesses';
import { eventually, startStack, type Stack } from '../support/stack';
import { complete, completeDepartmentWork, intake, openTask, statusIs, type ComplaintDetail } from './complaintSupport';

describe('commitments made to a customer', () => {
  let stack: Stack;

  beforeAll(async () => {
    stack = await startStack();
    await deployShippedProcesses(stack.services.definitions);
  });

  afterAll(async () => {
    await stack?.stop();
  });

  it('refuse a closing evaluation while one is open, and allow it once fulfilled', async () => {
    // given a resolved complaint with a call-back promised by after-sales
    const { body } = await stack.api<{ id: string }>('POST', '/api/complaints', intake('cust-promise'));
    const id = body.id;
    const promised = await stack.api<{ id: string; instanceId: string }>('POST', `/api/complaints/${id}/commitments`, {
      kind: 'call-back', description: 'Call back on Monday', dueAt: '2030-01-07T09:00:00+01:00', ownerDepartment: 'after-sales',
    });
    expect(promised.status).toBe(201);
    await complete(stack, stack.api, id, 'Dispatch', { assignee: 'eng-2' });
    await complete(stack, stack.api, id, 'FirstResponse');
    await completeDepartmentWork(stack, stack.api, id);
    await complete(stack, stack.api, id, 'ResolutionSummary', {});
    await statusIs(stack, id, 'awaiting_evaluation');

    // when the customer gives 5 stars
    const refused = await stack.api<{ error: string; commitments: string[] }>('POST', `/api/complaints/${id}/evaluation`, { stars: 5 });

    // then closing is refused, naming the open commitment, and nothing changed
    expect(refused.status).toBe(409);
    expect(refused.body).toMatchObject({ error: 'open_commitments', commitments: [promised.body.id] });
    expect((await stack.api<ComplaintDetail>('GET', `/api/complaints/${id}`)).body).toMatchObject({ status: 'awaiting_evaluation', evaluations: [] });

    // and once after-sales fulfils the commitment's task, the same evaluation closes the complaint
    const task = await openTask(stack, id, 'FulfilCommitment');
    expect(task.candidateGroups).toEqual(['after-sales']);
    await complete(stack, stack.api, id, 'FulfilCommitment');
    await eventually<ComplaintDetail>(stack, `/api/complaints/${id}`, (c) => c.commitments[0]?.status === 'fulfilled', 'commitment fulfilled');
    expect((await stack.api('POST', `/api/complaints/${id}/evaluation`, { stars: 5 })).status).toBe(201);
    await statusIs(stack, id, 'closed');
  });
});
