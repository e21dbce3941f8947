import { TestWorkflowEnvironment } from '@temporalio/testing';
import { Worker } from '@temporalio/worker';
import { quietRuntime, testEnv } from '../support/servers';

describe('time-skipping test server', () => {
  let env: TestWorkflowEnvironment;

  beforeAll(async () => {
    quietRuntime();
    env = await TestWorkflowEnvironment.createTimeSkipping({
      server: { executable: { type: 'existing-path', path: testEnv.testServerBinary } },
    });
  });

  afterAll(async () => {
    await env?.teardown();
  });

  it('completes a workflow that sleeps 30 days', async () => {
    // given a worker on the time-skipping server
    const worker = await Worker.create({
      connection: env.nativeConnection,
      taskQueue: 'sleepers',
      workflowBundle: { codePath: testEnv.workflowBundle },
    });
    // when a workflow sleeps for 30 days
    const result = await worker.runUntil(
      env.client.workflow.execute('sleepDays', { taskQueue: 'sleepers', workflowId: 'sleep-30-days', args: [30] }),
    );
    // then its clock moved by 30 days (plus the real milliseconds the workflow tasks took)
    const { before, after } = result as { before: number; after: number };
    const thirtyDays = 30 * 24 * 60 * 60 * 1000;
    expect(after - before).toBeGreaterThanOrEqual(thirtyDays);
    expect(after - before).toBeLessThan(thirtyDays + 60_000);
  });
});
