/**
 * The Temporal worker of a SERVICE_ROLE=all process: made anew when it fails (Temporal gone
 * too long; its workflows replay from history), with the reconciler that repairs the read
 * models from the engine (decision 0025). Stopped before the projection writes drain.
 */
import type { DataConverter } from '@temporalio/common';
import type { Worker, WorkflowBundleWithSourceMap } from '@temporalio/worker';
import type { Config } from '../config';
import { connectWorker, type TemporalTarget } from '../temporal/connection';
import { createWorker } from '../worker';
import type { Services } from '../wiring';
import type { Parts } from './parts';

export interface WorkerInputs {
  target: TemporalTarget;
  services: Services;
  workflowBundle: WorkflowBundleWithSourceMap;
  dataConverter: DataConverter;
}

export async function startWorker(parts: Parts, config: Config, { target, services, workflowBundle, dataConverter }: WorkerInputs, listening: string[]): Promise<void> {
  const workerConnection = await connectWorker(target);
  const makeWorker = (): Promise<Worker> => createWorker({
    connection: workerConnection,
    namespace: config.TEMPORAL_NAMESPACE,
    taskQueue: config.TEMPORAL_TASK_QUEUE,
    deps: services.activityDeps,
    sinks: services.sinks,
    concurrency: { workflowTasks: config.WORKER_MAX_WORKFLOW_TASKS, jobs: config.WORKER_MAX_JOBS },
    workflowBundle,
    dataConverter,
  });
  let worker: Worker = await makeWorker();
  let workerDone: Promise<void> = Promise.resolve();
  const runWorker = () => {
    workerDone = worker.run();
    workerDone.then(
      () => { if (!parts.isStopping) workerDied('stopped'); },
      (err: unknown) => workerDied(err instanceof Error ? err.message : String(err)),
    );
  };
  // A worker that fails (Temporal gone too long) is made anew; its workflows replay from history.
  const workerDied = parts.restartOnDeath('Temporal worker', async () => {
    worker = await makeWorker();
    runWorker();
    void services.reconciler.full().catch(() => undefined);
  });
  runWorker();
  parts.own('Temporal worker', async () => {
    await services.reconciler.stop();
    if (worker.getState() === 'RUNNING') worker.shutdown();
    await workerDone.catch(() => undefined);
    await workerConnection.close();
  });
  // Read models repaired from the engine: what an unclean stop left stale (decision 0025).
  services.reconciler.start();
  listening.push(`Temporal worker      task queue "${config.TEMPORAL_TASK_QUEUE}" in namespace "${config.TEMPORAL_NAMESPACE}"`);
}
