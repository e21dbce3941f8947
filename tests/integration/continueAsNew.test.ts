/**
 * A BPMN loop of 5,000 iterations runs across many workflow runs: the adapter continues as new
 * when Temporal suggests it and hands the evaluator state to the next run. Driven directly with
 * the Temporal client (the HTTP layer is not the point), on the dev server, which the global
 * setup configures to suggest continue-as-new after 1,000 history events. Not on the
 * time-skipping server: it never sets continueAsNewSuggested. Not with a timer per iteration:
 * the dev server fires a 1 ms timer after ~1 s.
 */
import fs from 'node:fs';
import path from 'node:path';
import type { Client, WorkflowExecutionInfo } from '@temporalio/client';
import type { InjectedSinks } from '@temporalio/worker';
import { compileBpmn } from '../../processes/compiler';
import { waitUntil } from '../../server/infra/ports';
import type { ProjectionSinks } from '../../workflows/sinks';
import type { ProcessInstanceInput, ProcessInstanceResult } from '../../workflows/processInstance/types';
import { startTestWorker, testClient, uniqueName } from '../support/servers';

const ITERATIONS = 5000;
/** Projections are not under test here: snapshots are counted, not written. */
const counting = () => {
  let snapshots = 0;
  const sinks: InjectedSinks<ProjectionSinks> = { projection: { instanceChanged: { fn: () => { snapshots += 1; } } } };
  return { sinks, count: () => snapshots };
};

describe('a long BPMN loop continues as new and keeps its state', () => {
  let client: Client;
  let worker: Awaited<ReturnType<typeof startTestWorker>>;
  const taskQueue = uniqueName('loop');
  const projection = counting();

  beforeAll(async () => {
    client = await testClient();
    worker = await startTestWorker(taskQueue, {}, projection.sinks);
  });

  afterAll(async () => {
    await worker?.stop();
    await client?.connection.close();
  });

  it(`runs ${ITERATIONS} iterations (one variables.set job each) across several runs`, async () => {
    // given a loop whose every iteration runs a job, counting in a variable. The job is a local
    // activity (decision 0061): one marker event per iteration, and the loop runs on inside one
    // workflow task until the worker heartbeats it (at 80 % of the task timeout, so 2 s here
    // keeps a run's overshoot past the suggestion small); each new task sees the suggestion.
    const compiled = await compileBpmn(fs.readFileSync(path.join(__dirname, 'fixtures', 'counter-loop.bpmn'), 'utf8'));
    const model = compiled.document?.processes[0];
    if (!model) throw new Error(`compile failed: ${JSON.stringify(compiled.problems)}`);
    const input: ProcessInstanceInput = { definition: { key: 'counter-loop', version: 1 }, model, variables: { counter: 0, limit: ITERATIONS } };
    const workflowId = uniqueName('pi-loop');
    const begun = Date.now();

    // when it runs to the end (the handle follows the chain of runs)
    const handle = await client.workflow.start('processInstance', { taskQueue, workflowId, args: [input], workflowTaskTimeout: '2 seconds' });
    const result = (await handle.result()) as ProcessInstanceResult;
    const seconds = (Date.now() - begun) / 1000;

    // then the counter survived every hand-over
    expect(result).toEqual({ status: 'completed', variables: { counter: ITERATIONS, limit: ITERATIONS } });

    // and the workflow really continued as new: several runs, all but the last ContinuedAsNew
    let runs: WorkflowExecutionInfo[] = [];
    await waitUntil('every run visible', async () => {
      runs = [];
      for await (const run of client.workflow.list({ query: `WorkflowId = '${workflowId}'` })) runs.push(run);
      return runs.some((r) => r.status.name === 'COMPLETED');
    }, 20_000, 200);
    const statuses = runs.map((r) => r.status.name);
    expect(statuses.filter((s) => s === 'COMPLETED')).toHaveLength(1);
    expect(statuses.filter((s) => s === 'CONTINUED_AS_NEW').length).toBeGreaterThanOrEqual(2);
    expect(statuses).toHaveLength(statuses.filter((s) => s === 'CONTINUED_AS_NEW').length + 1);

    // and the last run's history stays small, and its input counts the runs before it
    const last = await client.workflow.getHandle(workflowId).fetchHistory();
    expect(last.events?.length ?? 0).toBeLessThan(2500);
    const payload = last.events?.[0]?.workflowExecutionStartedEventAttributes?.input?.payloads?.[0]?.data;
    const lastInput = JSON.parse(Buffer.from(payload ?? []).toString('utf8')) as ProcessInstanceInput;
    expect(lastInput.carried?.runs).toBe(runs.length - 1);
    expect(projection.count()).toBeGreaterThan(ITERATIONS);
    process.stdout.write(`continue-as-new: ${ITERATIONS} iterations in ${seconds.toFixed(1)} s over ${runs.length} runs\n`);
  }, 400_000);
});
