import { deployShippedProcesses } from '../../server/complaints/shippedProcesses';
import { seedDirectory } from '../../server/domain/seed';
import type { Api } from '../support/auth';
import { eventually, startStack, type Stack } from '../support/stack';
import { complete, intake, openTask, statusIs, type ComplaintDetail } from './complaintSupport';

const ENGINEER_STAFF_ID = 'staff-kettle';
interface StaffItem { id: string; currentLoad: number; satisfaction: { rate: number; count: number } }
const staffOf = (stack: Stack, predicate: (s: StaffItem) => boolean, what: string) =>
  eventually<{ items: StaffItem[] }>(stack, '/api/staff?pageSize=100', (b) => b.items.some((s) => s.id === ENGINEER_STAFF_ID && predicate(s)), what)
    .then((b) => b.items.find((s) => s.id === ENGINEER_STAFF_ID)!);

describe('the complaint lifecycle through the HTTP API', () => {
  let stack: Stack;
  let customer: Api;
  let engineerId: string;
  let engineer: Api;

  beforeAll(async () => {
    stack = await startStack();
    await deployShippedProcesses(stack.services.definitions);
    customer = stack.as({ roles: ['customer'], customerId: 'cust-lifecycle' });
    // a small directory: one on-duty engineer who knows the kettle (the customer is not in it)
    await seedDirectory(stack.mongo, {
      departments: [{ _id: 'dep-after-sales', key: 'after-sales', name: 'After-sales', candidateGroup: 'after-sales' }],
      outlets: [],
      staff: [{
        _id: ENGINEER_STAFF_ID, name: 'Kettle Expert', roles: ['engineer'], skills: ['defect'], products: ['Kettle K2'], outletId: null,
        regions: [], languages: ['English'], home: { lat: 31.23, lon: 121.47 }, currentLoad: 0, maxLoad: 5, onDuty: true,
        satisfaction: { sum: 0, count: 0, rate: 0 },
      }],
      // the customer's tier comes from here, never from the intake
      customers: [{ _id: 'cust-lifecycle', name: 'Gold Customer', tier: 'gold', region: 'Shanghai', language: 'English' }],
    });
    const user = await stack.createUser({ roles: ['engineer'], groups: ['after-sales'], staffId: ENGINEER_STAFF_ID });
    engineerId = ENGINEER_STAFF_ID;
    engineer = (await stack.login(user.email, user.password)).api;
  });

  afterAll(async () => {
    await stack?.stop();
  });

  it('runs intake, department work from intake beside the dispatch, a reopen after 2 stars and closes after 5 stars', async () => {
    // given a gold customer's complaint about a defect (rule table: defect, medium + 1 for gold = high)
    const filed = await customer<ComplaintDetail>('POST', '/api/complaints', intake('cust-lifecycle', { customer: { id: 'cust-lifecycle' } }));
    expect(filed.status).toBe(201);
    const id = filed.body.id;
    expect(id).toMatch(/^cmp-/);
    const classified = await statusIs(stack, id, 'in_progress');
    expect(classified).toMatchObject({ category: 'defect', severity: 'high' });

    // then every department the rule names for a defect has its task from intake, beside the dispatch (decision 0052)
    const dispatch = await openTask(stack, id, 'DispatchRecommended');
    expect(dispatch).toMatchObject({ assignee: ENGINEER_STAFF_ID, candidateGroups: ['dispatch'] });
    for (const elementId of ['AfterSalesContact', 'TechnicalAnalysis', 'FinanceCompensation', 'LogisticsReplacement']) await openTask(stack, id, elementId);
    expect((await stack.api<ComplaintDetail>('GET', `/api/complaints/${id}`)).body.tasks.filter((t) => t.elementId === 'DispatchRecommended').map((t) => t.state)).toEqual(['claimed']);

    // when four different users do the department work in parallel (compensation under the limit: auto-approved)
    await complete(stack, stack.as({ roles: ['agent'], groups: ['after-sales'] }), id, 'AfterSalesContact', { contactOutcome: 'called' });
    await complete(stack, stack.as({ roles: ['engineer'], groups: ['technical'] }), id, 'TechnicalAnalysis', { technicalFinding: 'thermostat' });
    // (a variable the task does not declare, such as the approval limit, is refused with its path and changes nothing)
    const finance = stack.as({ roles: ['agent'], groups: ['finance'] });
    const compensation = await openTask(stack, id, 'FinanceCompensation');
    const raised = await finance<{ error: string; fields: Array<{ path: string }> }>('POST', `/api/tasks/${compensation.id}/complete`,
      { variables: { compensationAmount: 50000, compensationAutoApproveLimit: 100000000 } });
    expect(raised.status).toBe(400);
    expect(raised.body).toMatchObject({ error: 'undeclared_variables', fields: [{ path: 'variables.compensationAutoApproveLimit' }] });
    expect((await openTask(stack, id, 'FinanceCompensation')).id).toBe(compensation.id);
    await complete(stack, finance, id, 'FinanceCompensation', { compensationAmount: 30 });
    await complete(stack, stack.as({ roles: ['agent'], groups: ['logistics'] }), id, 'LogisticsReplacement');
    // and the recommended engineer accepts the dispatch and answers first
    await complete(stack, engineer, id, 'DispatchRecommended');
    expect(await staffOf(stack, (s) => s.currentLoad === 1, 'load 1')).toMatchObject({ currentLoad: 1 });
    await complete(stack, engineer, id, 'FirstResponse');
    await complete(stack, engineer, id, 'ResolutionSummary', { resolutionSummary: 'thermostat replaced, 30 refunded' });

    // then the customer is asked, and 2 stars reopen it with a supervisor escalation
    await statusIs(stack, id, 'awaiting_evaluation');
    expect((await customer('POST', `/api/complaints/${id}/evaluation`, { stars: 2, tags: ['slow'], engineerId: ENGINEER_STAFF_ID })).status).toBe(201);
    await statusIs(stack, id, 'reopened');
    await complete(stack, stack.as('supervisor'), id, 'SupervisorEscalation', { needAfterSales: true, needTechnical: false, needFinance: false, needLogistics: false });

    // and after another round of work, 5 stars close it
    await complete(stack, stack.as({ roles: ['agent'], groups: ['after-sales'] }), id, 'AfterSalesContact', { contactOutcome: 'apologised' });
    await complete(stack, engineer, id, 'ResolutionSummary', { resolutionSummary: 'apology and follow-up call' });
    await statusIs(stack, id, 'awaiting_evaluation');
    expect((await customer('POST', `/api/complaints/${id}/evaluation`, { stars: 5, tags: [], engineerId: ENGINEER_STAFF_ID })).status).toBe(201);
    const closed = await statusIs(stack, id, 'closed');
    expect(closed).toMatchObject({ reopenCount: 1, engineer: engineerId });
    expect(closed.evaluations.map((e) => e.stars)).toEqual([2, 5]);
    expect(closed.timeline.map((e) => e.what)).toEqual(expect.arrayContaining(['dispatched', 'compensation auto-approved', 'reopened', 'closed']));
    // and the engineer's load went back to 0, with both evaluations counted once each
    const staff = await staffOf(stack, (s) => s.currentLoad === 0 && s.satisfaction.count === 2, 'load 0 and two evaluations');
    expect(staff).toMatchObject({ currentLoad: 0, satisfaction: { rate: 3.5, count: 2 } });
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
