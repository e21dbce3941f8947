import { ConfigError, loadConfig } from '../../../server/config';
import { concurrencyOptions } from '../../../server/worker';

describe('worker concurrency settings', () => {
  it("leave the Temporal SDK's defaults alone when unset", () => {
    const config = loadConfig({});
    expect(concurrencyOptions({ workflowTasks: config.WORKER_MAX_WORKFLOW_TASKS, jobs: config.WORKER_MAX_JOBS })).toEqual({});
  });

  it('bound workflow tasks, and activities and local activities alike', () => {
    // given both set
    const config = loadConfig({ WORKER_MAX_WORKFLOW_TASKS: '4', WORKER_MAX_JOBS: '8' });
    // then the worker gets the SDK's three slot counts
    expect(concurrencyOptions({ workflowTasks: config.WORKER_MAX_WORKFLOW_TASKS, jobs: config.WORKER_MAX_JOBS })).toEqual({
      maxConcurrentWorkflowTaskExecutions: 4, maxConcurrentActivityTaskExecutions: 8, maxConcurrentLocalActivityExecutions: 8,
    });
  });

  it('refuse values the worker cannot run with, naming the variable', () => {
    // one workflow task slot would leave none for sticky execution; zero jobs would run nothing
    let error: unknown;
    try {
      loadConfig({ WORKER_MAX_WORKFLOW_TASKS: '1', WORKER_MAX_JOBS: '0' });
    } catch (err) {
      error = err;
    }
    expect(error).toBeInstanceOf(ConfigError);
    expect((error as ConfigError).issues.map((i) => i.variable).sort()).toEqual(['WORKER_MAX_JOBS', 'WORKER_MAX_WORKFLOW_TASKS']);
  });
});
