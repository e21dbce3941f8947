/**
 * The Temporal worker: bundles workflows/ for the deterministic sandbox and serves the
 * activities on the service's task queue.
 */
import { Worker, type InjectedSinks, type NativeConnection, type WorkerOptions } from '@temporalio/worker';
import type { ProjectionSinks } from '../workflows/sinks';
import { createActivities, type ActivityDeps } from '../activities';

export interface WorkerSetup {
  connection: NativeConnection;
  namespace: string;
  taskQueue: string;
  deps: ActivityDeps;
  /** Where the workflows' projection records go. */
  sinks?: InjectedSinks<ProjectionSinks>;
  /** Pre-built bundle (tests share one); otherwise workflows/ is bundled at start. */
  workflowBundle?: WorkerOptions['workflowBundle'];
}

export function workflowsPath(): string {
  return require.resolve('../workflows');
}

export async function createWorker(setup: WorkerSetup): Promise<Worker> {
  return Worker.create({
    connection: setup.connection,
    namespace: setup.namespace,
    taskQueue: setup.taskQueue,
    activities: createActivities(setup.deps),
    ...(setup.sinks ? { sinks: setup.sinks } : {}),
    ...(setup.workflowBundle ? { workflowBundle: setup.workflowBundle } : { workflowsPath: workflowsPath() }),
    shutdownGraceTime: '3 seconds',
  });
}
