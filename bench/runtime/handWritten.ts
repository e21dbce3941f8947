/**
 * The benchmark process written by hand as a Temporal workflow: the same `runJob` activity
 * calls (same task type, same input) and the same timer as bench/runtime.ts's BPMN, with no
 * evaluator, no inbox and no projections.
 */
import { proxyActivities, sleep, workflowInfo } from '@temporalio/workflow';
import { jobActivityOptions, type JobActivities } from '../../activities/jobContract';

const { runJob } = proxyActivities<JobActivities>(jobActivityOptions('variables.set'));

async function task(elementId: string, vars: Record<string, unknown>): Promise<Record<string, unknown>> {
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

export async function handWritten(input: Record<string, unknown>): Promise<Record<string, unknown>> {
  let vars = { ...input };
  for (const id of ['s1', 's2', 's3']) vars = await task(id, vars);
  const branches = await Promise.all(['p1', 'p2', 'p3'].map((id) => task(id, vars)));
  for (const b of branches) vars = { ...vars, ...b };
  await sleep(1000);
  for (const id of ['s4', 's5', 's6', 's7']) vars = await task(id, vars);
  return vars;
}
