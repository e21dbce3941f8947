/** Runs runJob inside a real activity Context (MockActivityEnvironment), capturing SDK logs. */
import { ApplicationFailure } from '@temporalio/common';
import { MockActivityEnvironment } from '@temporalio/testing';
import { DefaultLogger, type LogEntry } from '@temporalio/worker';
import { integrationDeps } from '../../../../activities/catalog/deps';
import type { IntegrationDeps } from '../../../../activities/catalog/types';
import type { JobActivityOptions, JobRequest, JobResult } from '../../../../activities/runJob';
import { createJobActivities } from '../../../../activities/runJob';

export function jobHarness(deps: Partial<IntegrationDeps> = {}, options: JobActivityOptions = {}) {
  const logs: LogEntry[] = [];
  const env = new MockActivityEnvironment({}, { logger: new DefaultLogger('TRACE', (entry) => logs.push(entry)) });
  const { runJob } = createJobActivities(integrationDeps(deps), options);
  return {
    env,
    logs,
    /** Everything logged, errors included, as one string (to look for leaked secrets). */
    logText: () =>
      JSON.stringify(logs, (_key, value: unknown) =>
        value instanceof Error
          ? { message: value.message, stack: value.stack, cause: value.cause }
          : typeof value === 'bigint' ? String(value) : value),
    run: (request: Partial<JobRequest> & Pick<JobRequest, 'taskType'>): Promise<JobResult> =>
      env.run(runJob, { elementId: 'Task_1', jobKey: 'job-1', workflowId: 'wf-1', variables: {}, headers: {}, ...request }),
  };
}

/** The ApplicationFailure a promise rejected with (fails the test if it resolved or threw something else). */
export async function failureOf(promise: Promise<unknown>): Promise<ApplicationFailure> {
  const error: unknown = await promise.then(
    () => new Error('expected a failure, but the job succeeded'),
    (e: unknown) => e,
  );
  if (!(error instanceof ApplicationFailure)) throw error;
  return error;
}
