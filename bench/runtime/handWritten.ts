/**
 * The benchmark process written by hand as a Temporal workflow: the same `runJob` activity
 * calls (same task type, same input) and the same timer as bench/runtime.ts's BPMN, with no
 * evaluator, no inbox and no projections. Twice: with activities, and with local activities,
 * as the BPMN runs a job its integration marks `local` (decision 0061), `variables.set` among
 * them — the like-for-like baseline since then.
 */
import { proxyActivities, proxyLocalActivities, sleep, workflowInfo } from '@temporalio/workflow';
import { jobActivityOptions, type JobActivities } from '../../activities/jobContract';

type RunJob = JobActivities['runJob'];

async function task(runJob: RunJob, elementId: string, vars: Record<string, unknown>): Promise<Record<string, unknown>> {
  const { variables } = await runJob({
    taskType: 'variables.set',
    elementId,
    jobKey: elementId,
    workflowId: workflowInfo().workflowId,
    variables: { variables: { [elementId]: true } },
    headers: {},
  });
  return { ...vars, ...variables };
}

async function run(runJob: RunJob, input: Record<string, unknown>): Promise<Record<string, unknown>> {
  let vars = { ...input };
  for (const id of ['s1', 's2', 's3']) vars = await task(runJob, id, vars);
  const branches = await Promise.all(['p1', 'p2', 'p3'].map((id) => task(runJob, id, vars)));
  for (const b of branches) vars = { ...vars, ...b };
  await sleep(1000);
  for (const id of ['s4', 's5', 's6', 's7']) vars = await task(runJob, id, vars);
  return vars;
}

export async function handWritten(input: Record<string, unknown>): Promise<Record<string, unknown>> {
  return run(proxyActivities<JobActivities>(jobActivityOptions('variables.set')).runJob, input);
}

export async function handWrittenLocal(input: Record<string, unknown>): Promise<Record<string, unknown>> {
  return run(proxyLocalActivities<JobActivities>(jobActivityOptions('variables.set')).runJob, input);
}
