/**
 * The Temporal worker: bundles workflows/ for the deterministic sandbox and serves the
 * activities on the service's task queue.
 */
import { Worker, type InjectedSinks, type NativeConnection, type WorkerOptions } from '@temporalio/worker';
import type { DataConverter } from '@temporalio/common';
import type { ProjectionSinks } from '../workflows/sinks';
import type { Logger } from './log';
import { createActivities, type ActivityDeps } from '../activities';
import { SHARED_WORKFLOW_MODULES } from './workflowBundle';

export interface WorkerSetup {
  connection: NativeConnection;
  namespace: string;
  taskQueue: string;
  deps: ActivityDeps;
  /** Where the workflows' projection records go. */
  sinks?: InjectedSinks<ProjectionSinks>;
  /** Pre-built bundle (tests share one; build it with workflowBundleOptions); otherwise workflows/ is bundled at start. */
  workflowBundle?: WorkerOptions['workflowBundle'];
  /** The encrypting data converter (payloadCodec.ts); the clients of the same namespace use the same keys. */
  dataConverter?: DataConverter;
  /** WORKER_MAX_WORKFLOW_TASKS / WORKER_MAX_JOBS: how much this worker takes on at once (unset: the SDK's defaults). */
  concurrency?: WorkerConcurrency;
}

export interface WorkerConcurrency {
  /** Workflow tasks run at once. */
  workflowTasks?: number;
  /** Jobs (activities, and local activities) run at once, each kind. */
  jobs?: number;
}

/**
 * The SDK's slots for what the settings name (decision 0064): a bound on what one worker takes on
 * at once keeps the API of the same process answering when the work outruns the machine; the
 * excess waits in Temporal's task queue, durably, instead of in this process's event loop.
 */
export function concurrencyOptions(c: WorkerConcurrency = {}): Pick<WorkerOptions, 'maxConcurrentWorkflowTaskExecutions' | 'maxConcurrentActivityTaskExecutions' | 'maxConcurrentLocalActivityExecutions'> {
  return {
    ...(c.workflowTasks !== undefined ? { maxConcurrentWorkflowTaskExecutions: c.workflowTasks } : {}),
    ...(c.jobs !== undefined ? { maxConcurrentActivityTaskExecutions: c.jobs, maxConcurrentLocalActivityExecutions: c.jobs } : {}),
  };
}

/** Webpack's chatter goes to debug; its warnings and errors stay visible. */
export function bundlerLogger(log: Logger) {
  return {
    trace: () => undefined,
    debug: (message: string) => log.debug(message),
    info: (message: string) => log.debug(message),
    warn: (message: string) => log.warn(message),
    error: (message: string) => log.error(message),
    log: (_level: string, message: string) => log.debug(message),
  };
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
    ...(setup.dataConverter ? { dataConverter: setup.dataConverter } : {}),
    ...concurrencyOptions(setup.concurrency),
    ...(setup.workflowBundle
      ? { workflowBundle: setup.workflowBundle }
      : { workflowsPath: workflowsPath(), bundlerOptions: { preloadModules: SHARED_WORKFLOW_MODULES } }),
    shutdownGraceTime: '3 seconds',
    // A stop must end within the supervisor's SHUTDOWN_TIMEOUT_MS: an activity that ignores its
    // cancellation (a request to a host that does not answer) is abandoned after this and retried
    // by Temporal on another worker after its timeout, instead of holding the stop until it is
    // forced (exit 1, and the embedded servers killed before they stopped).
    shutdownForceTime: '5 seconds',
  });
}
