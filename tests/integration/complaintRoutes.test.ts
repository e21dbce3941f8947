/**
 * The less common routes of the shipped complaint process, through the HTTP API on the real
 * servers, so the suite's diagram coverage (docs/operations.md) reaches them: compensation
 * above the auto-approve limit (supervisor approval), a replacement shipped by logistics, a
 * reopen requested by the customer while the evaluation is pending, and the third reopen going
 * to the department head instead of a supervisor.
 */
import { deployShippedProcesses } from '../../server/complaints/shippedProcesses';
import { seedDirectory } from '../../server/domain/seed';
import type { Api } from '../support/auth';
import { startStack, type Stack } from '../support/stack';
import { complete, intake, statusIs, type ComplaintDetail } from './complaintSupport';

const ENGINEER = 'staff-routes';
const FLAGS = { needAfterSales: true, needTechnical: false, needFinance: false, needLogistics: false };

describe('less common complaint routes', () => {
  let stack: Stack;
  let customer: Api;
  let engineer: Api;

  beforeAll(async () => {
    stack = await startStack();
    await deployShippedProcesses(stack.services.definitions);
    customer = stack.as({ roles: ['customer'], customerId: 'cust-routes' });
    await seedDirectory(stack.mongo, {
      departments: [{ _id: 'dep-after-sales', key: 'after-sales', name: 'After-sales', candidateGroup: 'after-sales' }],
      outlets: [],
      staff: [{
        _id: ENGINEER, name: 'Kettle Expert', roles: ['engineer'], skills: ['defect'], products: ['Kettle K2'], outletId: null,
        regions: [], languages: ['English'], home: { lat: 31.23, lon: 121.47 }, currentLoad: 0, maxLoad: 5, onDuty: true,
        satisfaction: { sum: 0, count: 0, rate: 0 },
      }],
      customers: [{ _id: 'cust-routes', name: 'Route Customer', tier: 'standard', region: 'Shanghai', language: 'English' }],
    });
    const user = await stack.createUser({ roles: ['engineer'], groups: ['after-sales'], staffId: ENGINEER });
    engineer = (await stack.login(user.email, user.password)).api;
  });

  afterAll(async () => {
    await stack?.stop();
  });

  const resolve = async (id: string, summary: string) => {
    await complete(stack, engineer, id, 'ResolutionSummary', { resolutionSummary: summary });
    await statusIs(stack, id, 'awaiting_evaluation');
  };

  it('approves compensation above the limit, ships a replacement, and sends the third reopen to the department head', async () => {
    // given a complaint the recommended engineer takes, with finance and logistics work
    const filed = await customer<ComplaintDetail>('POST', '/api/complaints', intake('cust-routes', { customer: { id: 'cust-routes' } }));
    expect(filed.status).toBe(201);
    const id = filed.body.id;
    await statusIs(stack, id, 'in_progress');
    await complete(stack, engineer, id, 'DispatchRecommended');
    await complete(stack, engineer, id, 'FirstResponse');

    // when compensation is above the auto-approve limit (100): a supervisor approves it; logistics ships a replacement
    // (a defect: all four departments must act, from intake)
    await complete(stack, stack.as({ roles: ['agent'], groups: ['after-sales'] }), id, 'AfterSalesContact', { contactOutcome: 'called' });
    await complete(stack, stack.as({ roles: ['engineer'], groups: ['technical'] }), id, 'TechnicalAnalysis', { technicalFinding: 'seal' });
    await complete(stack, stack.as({ roles: ['agent'], groups: ['finance'] }), id, 'FinanceCompensation', { compensationAmount: 500 });
    await complete(stack, stack.as('supervisor'), id, 'ApproveCompensation', { compensationApproved: true });
    await complete(stack, stack.as({ roles: ['agent'], groups: ['logistics'] }), id, 'LogisticsReplacement');
    await resolve(id, 'compensation approved, replacement shipped');

    // and the customer asks to reopen three times while the evaluation is pending
    for (let round = 1; round <= 3; round++) {
      const reopened = await customer('POST', `/api/complaints/${id}/reopen`, { reason: `still broken (${round})` });
      expect(reopened.status).toBe(202);
      await statusIs(stack, id, 'reopened');
      // (the second round needs no department: Resolve takes "none needed" straight to the summary)
      const flags = round === 2 ? { ...FLAGS, needAfterSales: false } : FLAGS;
      if (round < 3) await complete(stack, stack.as('supervisor'), id, 'SupervisorEscalation', flags);
      else await complete(stack, stack.as({ roles: ['department_head'], groups: ['department-head'] }), id, 'EscalateToDepartmentHead', flags);
      if (round !== 2) await complete(stack, stack.as({ roles: ['agent'], groups: ['after-sales'] }), id, 'AfterSalesContact', { contactOutcome: `call ${round}` });
      await resolve(id, `round ${round}`);
    }

    // then 5 stars close it after three reopens
    expect((await customer('POST', `/api/complaints/${id}/evaluation`, { stars: 5, tags: [], engineerId: ENGINEER })).status).toBe(201);
    const closed = await statusIs(stack, id, 'closed');
    expect(closed).toMatchObject({ reopenCount: 3 });
    // and the customer's view shows their three reopen requests (appended beside the complaint, decision 0060), in order
    const seen = (await customer<{ timeline: Array<{ who: string; what: string; when: string }> }>('GET', `/api/complaints/${id}`)).body.timeline;
    expect(seen.filter((e) => e.what.startsWith('reopen requested: ')))
      .toEqual([1, 2, 3].map((round) => ({ who: 'customer', what: `reopen requested: still broken (${round})`, when: expect.any(String) })));
    const tasks = closed.tasks.map((t) => t.elementId);
    expect(tasks.filter((t) => t === 'SupervisorEscalation')).toHaveLength(2);
    expect(tasks.filter((t) => t === 'EscalateToDepartmentHead')).toHaveLength(1);
    // after-sales at intake and in rounds 1 and 3; round 2 went through Resolve without department work
    expect(tasks.filter((t) => t === 'AfterSalesContact')).toHaveLength(3);
    expect(tasks).toEqual(expect.arrayContaining(['ApproveCompensation', 'LogisticsReplacement']));
  });
});
