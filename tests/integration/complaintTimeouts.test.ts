/**
 * The shipped complaint process's time-driven exception paths, on the time-skipping test
 * server, so the suite's diagram coverage (docs/operations.md) reaches them: the first-response
 * and resolution deadlines (warning and breach boundary events on the task and the Resolve
 * subprocess), and an auto-close that finds a commitment still open (COMMITMENTS_OPEN boundary).
 */
import { deployShippedProcesses } from '../../server/complaints/shippedProcesses';
import { startScenarioStack, type ScenarioStack } from '../support/scenarioStack';
import { complete, completeDepartmentWork, intake, openTask, statusIs } from './complaintSupport';

const HOUR = 3600_000;
const DAY = 24 * HOUR;

describe('complaint deadlines and auto-close with open commitments (time skipping)', () => {
  let stack: ScenarioStack;

  beforeAll(async () => {
    stack = await startScenarioStack({ temporal: 'timeSkipping' });
    await deployShippedProcesses(stack.services.definitions);
  });

  afterAll(async () => {
    await stack?.stop();
  });

  it('warns and escalates a late first response and a late resolution, and still closes', async () => {
    // given a dispatched complaint whose first response nobody gives
    const { body } = await stack.api<{ id: string }>('POST', '/api/complaints', intake('cust-late'));
    const id = body.id;
    await complete(stack, stack.api, id, 'Dispatch', { assignee: 'eng-1' });
    await openTask(stack, id, 'FirstResponse');

    // when more than a day passes: both first-response boundaries fire (whatever the severity)
    await stack.sleep(DAY + HOUR);
    await complete(stack, stack.api, id, 'EscalateFirstResponse');
    await complete(stack, stack.api, id, 'FirstResponse');

    // and the departments' work (Resolve, open since intake) takes more than five days: both resolution boundaries fire
    await openTask(stack, id, 'AfterSalesContact');
    await stack.sleep(5 * DAY + HOUR);
    await complete(stack, stack.api, id, 'EscalateResolution');
    await completeDepartmentWork(stack, stack.api, id);
    await complete(stack, stack.api, id, 'ResolutionSummary', { resolutionSummary: 'late but done' });
    await statusIs(stack, id, 'awaiting_evaluation');

    // then the complaint still closes on a good evaluation, with both escalation tasks done
    expect((await stack.api('POST', `/api/complaints/${id}/evaluation`, { stars: 4 })).status).toBe(201);
    const closed = await statusIs(stack, id, 'closed');
    const done = closed.tasks.filter((t) => t.state === 'completed').map((t) => t.elementId);
    expect(done).toEqual(expect.arrayContaining(['EscalateFirstResponse', 'EscalateResolution']));
  });

  it('auto-closes only after a supervisor sees the open commitment fulfilled', async () => {
    // given a resolved complaint with a promised call-back, and nobody evaluates it
    const { body } = await stack.api<{ id: string }>('POST', '/api/complaints', intake('cust-promised'));
    const id = body.id;
    const promised = await stack.api('POST', `/api/complaints/${id}/commitments`, {
      kind: 'call-back', description: 'Call back on Monday', dueAt: '2030-01-07T09:00:00+01:00', ownerDepartment: 'after-sales',
    });
    expect(promised.status).toBe(201);
    await complete(stack, stack.api, id, 'Dispatch', { assignee: 'eng-2' });
    await complete(stack, stack.api, id, 'FirstResponse');
    await completeDepartmentWork(stack, stack.api, id);
    await complete(stack, stack.api, id, 'ResolutionSummary', { resolutionSummary: 'call-back promised' });
    await statusIs(stack, id, 'awaiting_evaluation');

    // when a week passes: the auto-close finds the commitment open and asks a supervisor
    await stack.sleep(7 * DAY + 60_000);
    await openTask(stack, id, 'FulfilOpenCommitments');
    await complete(stack, stack.api, id, 'FulfilCommitment');
    await complete(stack, stack.api, id, 'FulfilOpenCommitments');

    // then the complaint closes
    const closed = await statusIs(stack, id, 'closed');
    expect(closed.timeline.map((e) => e.what)).toContain('no evaluation within 7 days: auto-closing');
  });
});
