import { deployShippedProcesses } from '../../server/complaints/shippedProcesses';
import { startScenarioStack, type ScenarioStack } from '../support/scenarioStack';
import { complete, completeDepartmentWork, intake, statusIs } from './complaintSupport';

const DAY = 24 * 3600_000;

describe('a resolved complaint nobody evaluates (time skipping)', () => {
  let stack: ScenarioStack;

  beforeAll(async () => {
    stack = await startScenarioStack({ temporal: 'timeSkipping' });
    await deployShippedProcesses(stack.services.definitions);
  });

  afterAll(async () => {
    await stack?.stop();
  });

  it('closes itself 7 days after the customer was notified', async () => {
    // given a complaint resolved without department work, waiting for the customer
    const { body } = await stack.api<{ id: string }>('POST', '/api/complaints', intake('cust-silent'));
    await complete(stack, stack.api, body.id, 'Dispatch', { assignee: 'eng-1' });
    await complete(stack, stack.api, body.id, 'FirstResponse');
    await completeDepartmentWork(stack, stack.api, body.id);
    await complete(stack, stack.api, body.id, 'ResolutionSummary', { resolutionSummary: 'explained the warranty' });
    await statusIs(stack, body.id, 'awaiting_evaluation');

    // when a week passes without an evaluation
    await stack.sleep(7 * DAY + 60_000);

    // then the complaint is closed, and says why
    const closed = await statusIs(stack, body.id, 'closed');
    expect(closed.timeline.map((e) => e.what)).toContain('no evaluation within 7 days: auto-closing');
    expect(closed.evaluations).toEqual([]);
  });
});
