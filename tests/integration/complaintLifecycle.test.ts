import { deployShippedProcesses } from '../../server/complaints/shippedProcesses';
import type { Api } from '../support/auth';
import { startStack, type Stack } from '../support/stack';
import { complete, intake, statusIs, type ComplaintDetail } from './complaintSupport';

describe('the complaint lifecycle through the HTTP API', () => {
  let stack: Stack;
  let customer: Api;
  let engineerId: string;
  let engineer: Api;

  beforeAll(async () => {
    stack = await startStack();
    await deployShippedProcesses(stack.services.definitions);
    customer = stack.as({ roles: ['customer'], customerId: 'cust-lifecycle' });
    const user = await stack.createUser({ roles: ['engineer'], groups: ['after-sales'] });
    engineerId = user.id;
    engineer = (await stack.login(user.email, user.password)).api;
  });

  afterAll(async () => {
    await stack?.stop();
  });

  it('runs intake, dispatch, parallel department work, a reopen after 2 stars and closes after 5 stars', async () => {
    // given a gold customer's complaint about a defect (rule table: defect, medium + 1 for gold = high)
    const filed = await customer<ComplaintDetail>('POST', '/api/complaints', intake('cust-lifecycle', { customer: { id: 'cust-lifecycle', tier: 'gold' } }));
    expect(filed.status).toBe(201);
    const id = filed.body.id;
    expect(id).toMatch(/^cmp-/);
    const classified = await statusIs(stack, id, 'in_progress');
    expect(classified).toMatchObject({ category: 'defect', severity: 'high' });

    // when a dispatcher assigns the engineer, who answers first and asks three departments
    await complete(stack, stack.as({ roles: ['agent'], groups: ['dispatch'] }), id, 'Dispatch', { assignee: engineerId });
    await complete(stack, engineer, id, 'FirstResponse', { needAfterSales: true, needTechnical: true, needFinance: true, needLogistics: false });
    // and three different users complete the parallel department work (compensation under the limit: auto-approved)
    await complete(stack, stack.as({ roles: ['agent'], groups: ['after-sales'] }), id, 'AfterSalesContact', { contactOutcome: 'called' });
    await complete(stack, stack.as({ roles: ['engineer'], groups: ['technical'] }), id, 'TechnicalAnalysis', { technicalFinding: 'thermostat' });
    await complete(stack, stack.as({ roles: ['agent'], groups: ['finance'] }), id, 'FinanceCompensation', { compensationAmount: 30 });
    await complete(stack, engineer, id, 'ResolutionSummary', { resolutionSummary: 'thermostat replaced, 30 refunded' });

    // then the customer is asked, and 2 stars reopen it with a supervisor escalation
    await statusIs(stack, id, 'awaiting_evaluation');
    expect((await customer('POST', `/api/complaints/${id}/evaluation`, { stars: 2, tags: ['slow'] })).status).toBe(201);
    await statusIs(stack, id, 'reopened');
    await complete(stack, stack.as('supervisor'), id, 'SupervisorEscalation', { needAfterSales: true, needTechnical: false, needFinance: false });

    // and after another round of work, 5 stars close it
    await complete(stack, stack.as({ roles: ['agent'], groups: ['after-sales'] }), id, 'AfterSalesContact', { contactOutcome: 'apologised' });
    await complete(stack, engineer, id, 'ResolutionSummary', { resolutionSummary: 'apology and follow-up call' });
    await statusIs(stack, id, 'awaiting_evaluation');
    expect((await customer('POST', `/api/complaints/${id}/evaluation`, { stars: 5, tags: [] })).status).toBe(201);
    const closed = await statusIs(stack, id, 'closed');
    expect(closed).toMatchObject({ reopenCount: 1, engineer: engineerId });
    expect(closed.evaluations.map((e) => e.stars)).toEqual([2, 5]);
    expect(closed.timeline.map((e) => e.what)).toEqual(expect.arrayContaining(['dispatched', 'compensation auto-approved', 'reopened', 'closed']));
  });

  it('shows a customer only their own complaints', async () => {
    // given another customer's complaint
    const other = stack.as({ roles: ['customer'], customerId: 'cust-other' });
    const { body } = await other<ComplaintDetail>('POST', '/api/complaints', intake('cust-other'));
    // when the first customer asks for it, or files in someone else's name
    const read = await customer('GET', `/api/complaints/${body.id}`);
    const filedForOther = await customer('POST', '/api/complaints', intake('cust-other'));
    // then it does not exist for them, and filing is refused
    expect(read.status).toBe(404);
    expect(filedForOther.status).toBe(403);
  });
});
