/**
 * What the orchestrator (bench/complaints.ts) and its two child processes say to each other
 * over the IPC channel of `child_process.fork`: the service (API + worker, service.ts) and the
 * simulated people (load generator, staff, customer, people.ts). Each child gets its
 * configuration as one JSON argument and answers with the messages below.
 */

export interface ServiceConfig {
  temporalAddress: string;
  mongoUri: string;
  /** The servers' temp folder (attachments go below it). */
  dir: string;
  taskQueue: string;
  mongoPool: number;
  /** The workflow bundle, written once by the orchestrator. */
  workflowCodePath: string;
}

export interface PeopleConfig {
  /** The service's base URL on loopback. */
  url: string;
  /** Only to create the bench users before the load (closed again before it starts). */
  mongoUri: string;
  rate: number;
  seconds: number;
  drainSeconds: number;
  visibilityPollMs: number;
  staffPollMs: number;
  runId: string;
}

/** Measured in the service process. */
export interface ServiceResult {
  flushMs: number[];
  flushWaitMs: number[];
  flushInstances: number[];
  /** Counted in the worker's log. */
  sqliteBusy: number;
  lockTimeouts: number;
  /** `# db:` lines: FerretDB time by command and collection, seen from the driver. */
  dbLines: string[];
  /** Every command the service sent to the database during the run (start-up's create* left out). */
  dbCommands: number;
  /** Set when the worker stopped before it was asked to. */
  workerFailure: string | null;
}

/** Measured by the simulated people. */
export interface PeopleResult {
  /** Intake answered → Dispatch task listed in the inbox (the headline figure). */
  visibleMs: number[];
  /** Intake answered → the workflow opened the task (task.createdAt, wall clock). */
  openedMs: number[];
  /** POST /api/complaints round trips of the answered intakes. */
  intakeMs: number[];
  /** GET /api/tasks of the dispatch inbox, round trip (all pages). */
  inboxQueryMs: number[];
  sent: number;
  /** Intakes answered 201 (the others are counted in httpErrors). */
  answered: number;
  /** Answered with an instance: lifecycles that should close. */
  filed: number;
  closed: number;
  /** Closed complaints per second between the first and the last count seen. */
  throughput: number;
  tasksCompleted: number;
  evaluations: number;
  /** NaN when the check did not finish in time. */
  unclassified: number;
  httpErrors: Array<[string, number]>;
}

export type ServiceMessage =
  | { type: 'ready'; url: string }
  | { type: 'result'; result: ServiceResult }
  | { type: 'error'; message: string };

export type PeopleMessage =
  | { type: 'ready' }
  | { type: 'load-start'; total: number }
  | { type: 'drained'; seconds: number; filed: number; closed: number }
  | { type: 'result'; result: PeopleResult }
  | { type: 'error'; message: string };

export type ParentMessage = { type: 'stop' };

export type Send = (message: ServiceMessage | PeopleMessage) => Promise<void>;

/**
 * A child's main: reads its configuration, exits when the orchestrator goes away (the IPC
 * channel closes), and reports a failure as an `error` message before exiting 1.
 */
export function childMain<C>(name: string, main: (config: C, send: Send) => Promise<void>): void {
  if (!process.send) {
    console.error(`${name} runs only as a child of bench/complaints.js`);
    process.exit(1);
  }
  // Resolves once the message is handed to the channel (or the channel is gone).
  const send: Send = (message) => new Promise<void>((resolve) => {
    if (!process.connected) return resolve();
    process.send!(message, undefined, {}, () => resolve());
  });
  process.on('disconnect', () => process.exit(1));
  const config = JSON.parse(process.argv[2] ?? '{}') as C;
  main(config, send).then(() => process.exit(0), async (err: unknown) => {
    const message = err instanceof Error ? err.stack ?? err.message : String(err);
    console.error(`${name} failed:`, message);
    await send({ type: 'error', message });
    process.exit(1);
  });
}
