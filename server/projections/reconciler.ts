/**
 * Repairs the read models from the engine after an unclean stop (decision 0025).
 *
 * The sink is fire-and-forget: a snapshot the worker held in memory when it was killed, or one
 * whose writes failed while the database was down (the writer gives up after a few retries),
 * is lost, and an instance waiting on a user task for days sends no further one. The engine
 * knows the truth, so this asks it:
 *
 * - **full pass** (at worker start, and whenever asked): every workflow of this task queue
 *   Temporal lists as running, plus every instance the projection still calls active;
 * - **cheap pass** (every `intervalMs`): only the instances the writer reported as dropped,
 *   and the ones where the two lists disagree (running in Temporal but not active in the
 *   projection, or the other way round) — one visibility list and one indexed read;
 * - for each: the workflow's `projectionSnapshot` query (no history event) gives the view of
 *   its last step with that step's sequence; if the stored sequence is older, the snapshot
 *   goes through the ordinary sequence-guarded writer, with every task the inbox still shows
 *   but the workflow no longer has closed (reason from the workflow when it knows it).
 *   Instances Temporal ended itself (terminate, cancel, timeout) get that status.
 */
import { WorkflowNotFoundError, type Client } from '@temporalio/client';
import { projectionSnapshotQuery, type ProjectionSnapshotAnswer } from '../../workflows/processInstance/messages';
import type { InstanceSnapshot } from '../../workflows/processInstance/types';
import type { Logger } from '../log';
import type { ProjectionModels } from './models';
import type { ProjectionWriter } from './writer';

const ENDED_BY_TEMPORAL: Record<string, InstanceSnapshot['status']> = {
  CANCELLED: 'canceled',
  TERMINATED: 'terminated',
  TIMED_OUT: 'terminated',
  FAILED: 'terminated',
};
/** Queries in flight at once: each may make the worker replay a history. */
const CONCURRENCY = 4;
/** How long one projectionSnapshot query may wait for a worker to answer. */
const QUERY_TIMEOUT_MS = 3_000;

export interface ReconcileResult {
  checked: number;
  repaired: number;
  failed: number;
}

export interface ProjectionReconcilerOptions {
  client: Client;
  taskQueue: string;
  models: ProjectionModels;
  writer: Pick<ProjectionWriter, 'repair' | 'drain'>;
  log: Logger;
  /** Cheap pass interval (RECONCILE_INTERVAL_SECONDS); 0 = only the full pass at start. */
  intervalMs?: number;
  /** Further repairs run with every pass (complaints whose process never started); each returns how many it repaired. */
  alsoRepair?: Array<{ name: string; run: () => Promise<number> }>;
}

export function projectionReconciler(opts: ProjectionReconcilerOptions) {
  const { client, models, writer, log } = opts;
  const suspects = new Set<string>();
  let timer: NodeJS.Timeout | undefined;
  let stopped = false;
  let running: Promise<ReconcileResult> | undefined;

  /** Workflow ids Temporal lists as running on this task queue. */
  async function runningInTemporal(): Promise<Set<string>> {
    const ids = new Set<string>();
    const query = `WorkflowType = 'processInstance' AND ExecutionStatus = 'Running' AND TaskQueue = '${opts.taskQueue.replace(/'/g, '')}'`;
    for await (const execution of client.workflow.list({ query })) ids.add(execution.workflowId);
    return ids;
  }

  async function activeInProjection(): Promise<Set<string>> {
    const docs = await models.instances.find({ status: 'active' }).select({ _id: 1 }).lean();
    return new Set(docs.map((d) => d._id));
  }

  /** Writes the engine's view of one instance if the stored one is older; true when it wrote. */
  async function reconcileOne(id: string): Promise<boolean> {
    const handle = client.workflow.getHandle(id);
    let description;
    try {
      description = await handle.describe();
    } catch (err) {
      if (err instanceof WorkflowNotFoundError) return false; // retention removed it: nothing to ask
      throw err;
    }
    if (description.type !== 'processInstance') return false;
    // Bounded: a query waits for a worker to answer, and one to a workflow whose worker died (its
    // sticky queue) or during this worker's own stop would otherwise hold the pass, and the stop, for long.
    const answer: ProjectionSnapshotAnswer = await opts.client.withDeadline(Date.now() + QUERY_TIMEOUT_MS, () => handle.query(projectionSnapshotQuery));
    const endedBy = ENDED_BY_TEMPORAL[description.status.name];
    const [stored, open] = await Promise.all([
      models.instances.findById(id).select({ sequence: 1, status: 1 }).lean<{ sequence: number; status: string }>(),
      models.openTasks.find({ instanceId: id }).select({ taskKey: 1 }).lean<Array<{ taskKey: string }>>(),
    ]);
    const status = endedBy ?? answer.status;
    const live = new Set(endedBy ? [] : answer.tasks.map((t) => t.key));
    const stale = open.filter((t) => !live.has(t.taskKey));
    const behind = !stored || stored.sequence < answer.sequence;
    // Up to date unless Temporal ended it without the workflow's last word (terminate): then no
    // further snapshot can come, and one past the stored sequence lets this one through the guard.
    if (!behind && !(endedBy && stored.status !== endedBy)) return false;
    const { closedTaskReasons, ...view } = answer;
    const sequence = behind ? answer.sequence : stored.sequence + 1;
    // A repair: its flush reads what is stored, whatever the writer remembers (decision 0057).
    writer.repair({
      ...view,
      status,
      ...(endedBy ? { tasks: [] } : {}),
      sequence,
      closedTasks: stale.map((t) => ({ key: t.taskKey, reason: closedTaskReasons[t.taskKey] ?? 'canceled' })),
    }, description.startTime);
    log.info({ instanceId: id, stored: stored?.sequence ?? null, sequence, closedTasks: stale.length }, 'projection repaired from the engine');
    return true;
  }

  async function reconcile(ids: Iterable<string>): Promise<ReconcileResult> {
    const queue = [...new Set(ids)];
    const result: ReconcileResult = { checked: 0, repaired: 0, failed: 0 };
    for (const repair of opts.alsoRepair ?? []) {
      try {
        const repaired = await repair.run();
        if (repaired > 0) log.info({ repair: repair.name, repaired }, 'repaired after an unclean stop');
      } catch (err) {
        log.warn({ repair: repair.name, errName: (err as Error).name }, 'repair failed; trying again on the next pass');
      }
    }
    const work = async () => {
      // A stop ends the pass after the instances in hand (the rest are checked at the next start).
      for (let id = queue.shift(); id !== undefined && !stopped; id = queue.shift()) {
        result.checked += 1;
        try {
          if (await reconcileOne(id)) result.repaired += 1;
        } catch (err) {
          result.failed += 1;
          suspects.add(id); // tried again on the next pass
          log.warn({ instanceId: id, errName: (err as Error).name }, 'projection reconcile of an instance failed');
        }
      }
    };
    await Promise.all(Array.from({ length: CONCURRENCY }, work));
    await writer.drain();
    return result;
  }

  function exclusive(pass: () => Promise<ReconcileResult>): Promise<ReconcileResult> {
    running ??= pass().finally(() => { running = undefined; });
    return running;
  }

  /** Every running or projected-active instance (worker start). */
  const full = () => exclusive(async () => {
    const [temporal, projected] = await Promise.all([runningInTemporal(), activeInProjection()]);
    const ids = new Set([...temporal, ...projected, ...suspects]);
    suspects.clear();
    return reconcile(ids);
  });

  /** The instances where engine and projection visibly disagree, and those the writer dropped. */
  const cheap = () => exclusive(async () => {
    const [temporal, projected] = await Promise.all([runningInTemporal(), activeInProjection()]);
    const ids = new Set(suspects);
    suspects.clear();
    for (const id of temporal) if (!projected.has(id)) ids.add(id);
    for (const id of projected) if (!temporal.has(id)) ids.add(id);
    return reconcile(ids);
  });

  const tick = (pass: () => Promise<ReconcileResult>) => pass()
    .then((r) => { if (r.repaired || r.failed) log.info(r, 'projection reconcile pass'); })
    .catch((err: unknown) => {
      log.warn({ errName: (err as Error).name }, 'projection reconcile pass failed; trying again on the next');
    })
    .finally(() => {
      if (!opts.intervalMs || stopped) return;
      timer = setTimeout(() => void tick(cheap), opts.intervalMs);
      timer.unref();
    });

  return {
    full,
    cheap,
    /** An instance whose snapshot the writer gave up on: checked on the next pass. */
    suspect(instanceId: string) {
      suspects.add(instanceId);
    },
    /** Runs the full pass now and the cheap pass every `intervalMs` after each pass. */
    start() {
      stopped = false;
      void tick(full);
    },
    async stop() {
      stopped = true;
      if (timer) clearTimeout(timer);
      timer = undefined;
      await running?.catch(() => undefined);
    },
  };
}

export type ProjectionReconciler = ReturnType<typeof projectionReconciler>;
