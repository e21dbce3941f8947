/**
 * Writes instance snapshots from the workflow's projection sink to the read models.
 * Idempotent and order-tolerant: each document is written only if its `sequence` is newer than
 * what is stored, so replays, retries and out-of-order deliveries change nothing.
 *
 * One writer queue per process (decision 0008): the sink only records the newest snapshot of
 * each instance (coalescing the ones not yet written), and a single loop flushes everything
 * pending at once — one read of the stored sequences by `_id` and one bulkWrite per
 * collection (see flush.ts). While a flush runs, new snapshots gather for the next one, so
 * under load a flush carries many instances and costs a handful of round trips, and no two
 * writes of one document ever overlap within the process.
 *
 * Several processes (decision 0014): a workflow moves to another worker when its worker
 * stops, dies, or misses a workflow task's deadline. The new worker replays it and writes the
 * same snapshots again; the old one, if alive, may still be flushing an older one. Guard read
 * and write are two steps, so that late older write can land over the new worker's newer one
 * and, if the instance then waits (a user task for days), nothing would repair it. So a
 * writer that receives an instance's snapshots during replay treats the instance as
 * *contested* for CONTESTED_MS: it keeps the newest snapshot it handled (with every task it
 * saw closed) and, CHECK_DELAYS_MS after each flush of it, reads the stored sequence by
 * `_id`; a stored sequence older than its own is written over again, closed tasks included.
 *
 * Metrics (a ProjectionObserver) count the transitions a write makes, read from the document
 * as it was before the guarded write: an instance inserted = started; its status leaving
 * 'active' = ended; a task document inserted = opened; a task going from open/claimed to
 * completed = completed; an incident id not stored before = raised. A replayed or
 * out-of-order snapshot changes no document, so it counts nothing: each transition counts
 * exactly once per database. What is never projected is never counted: a task opened and
 * closed, or an incident raised and resolved, within one coalesced write.
 */
import type { WorkflowInfo } from '@temporalio/workflow';
import type { InjectedSinks } from '@temporalio/worker';
import type { ProjectionSinks } from '../../workflows/sinks';
import type { InstanceSnapshot } from '../../workflows/processInstance/types';
import { errorSummary, type Logger } from '../log';
import type { ProjectionModels } from './models';
import { coalesce } from './coalesce';
import { CHECK_DELAYS_MS, contestedInstances } from './contested';
import { writeFlush, type PendingSnapshot, type ProjectionObserver, type ProjectionPart } from './flush';
import { writerMemory, REMEMBERED_INSTANCES } from './memory';

export { instanceTransitions, type ProjectionObserver, type ProjectionPart, type AppliedSnapshot, type RaisedIncident } from './flush';
export { observers } from './observers';
export { coalesce } from './coalesce';
export { CHECK_DELAYS_MS, CONTESTED_MS } from './contested';

/** How long flushes take and how much they carry (bench:complaints reports it). */
export interface FlushObserver {
  flushed(stats: { instances: number; taskWrites: number; ms: number; waitedMs: number }): void;
}

export interface ProjectionWriterOptions {
  observer?: ProjectionObserver;
  /** The checks of contested instances (ms after a flush); default CHECK_DELAYS_MS. */
  checkDelaysMs?: readonly number[];
  /** Further read models written from the same snapshots (see ProjectionPart). */
  parts?: ProjectionPart[];
  flushObserver?: FlushObserver;
  /** Instances per flush (default 200): bounds one bulkWrite's size. */
  maxBatch?: number;
  /** Called with the instances whose snapshot the writer gave up on (the reconciler repairs them). */
  onDrop?: (instanceIds: string[]) => void;
  /** Instances whose last writes the writer remembers instead of reading them back (default REMEMBERED_INSTANCES; 0: none). */
  rememberedInstances?: number;
  /** How long the first snapshot after a quiet spell waits for more before its flush (default FLUSH_LINGER_MS; 0: the same event-loop turn only). */
  lingerMs?: number;
}

export interface ProjectionWriter {
  sinks: InjectedSinks<ProjectionSinks>;
  /** Resolves when every write accepted so far has finished (before closing MongoDB). */
  drain(): Promise<void>;
  /** Writes snapshots as the sink would (tests, tools); `replaying` and `runId` as the sink reports them. */
  accept(snapshot: InstanceSnapshot, startedAt: Date, replaying?: boolean, runId?: string): void;
  /**
   * Writes a snapshot built from what the database or the engine holds (the reconciler, ended
   * children): its flush reads the stored documents rather than trusting the writer's memory.
   */
  repair(snapshot: InstanceSnapshot, startedAt: Date): void;
  /** Stops the checks of contested instances (after drain). */
  stop(): void;
}

/** A snapshot failing this many flushes in a row is logged and left to the instance's next one. */
const MAX_RETRIES = 5;
/**
 * A snapshot that waited longer than this for its flush is written after reading what is
 * stored, not from memory: well below the 10 s a worker may miss a workflow task by before
 * Temporal hands the workflow to another worker, whose writes this writer cannot know of.
 */
export const MEMORY_TRUST_MS = 5_000;

/** A snapshot waiting for its flush. */
interface Pending extends PendingSnapshot {
  since: number;
  retries: number;
  /** Its flush reads what is stored (repairs, or coalesced from two runs). */
  readStored: boolean;
}

const sleep = (ms: number) => new Promise<void>((resolve) => setTimeout(resolve, ms));

/**
 * The first snapshot after a quiet spell waits this long for its flush (PROJECTION_LINGER_MS):
 * one step of a process is often several activations a few milliseconds apart (a chain of
 * local jobs, decision 0061), and each would otherwise be a flush of its own, every one a
 * write of the instance, its element events and its parts. Measured at 2 complaints/s
 * (bench:complaints, decision 0063): 790 → 486 flushes for 60 lifecycles, 182 → 165 database
 * commands per lifecycle, intake → visible task p50 +15 ms. Under load flushes follow each
 * other without it.
 */
export const FLUSH_LINGER_MS = 25;

/**
 * The worker's sink. Failures are logged (never thrown into the workflow) and repaired by the
 * next snapshot of that instance (decision 0003).
 */
export function projectionWriter(models: ProjectionModels, log: Logger, opts: ProjectionWriterOptions = {}): ProjectionWriter {
  const maxBatch = opts.maxBatch ?? 200;
  const lingerMs = opts.lingerMs ?? FLUSH_LINGER_MS;
  // Insertion order = arrival order of an instance's first pending snapshot: fair between instances.
  const pending = new Map<string, Pending>();
  // What this writer last wrote per instance (decision 0057); trusted only as `trusts` says.
  const memory = writerMemory(opts.rememberedInstances ?? REMEMBERED_INSTANCES);
  let running: Promise<void> | undefined;
  const contested = contestedInstances({
    instances: models.instances, log, checkDelaysMs: opts.checkDelaysMs ?? CHECK_DELAYS_MS,
    rewrite: (newest) => enqueue(newest.snapshot, newest.startedAt, 0, false, undefined, true),
  });
  const contest = (instanceId: string) => {
    // Another process may have written it: read what is stored until it is no longer contested.
    memory.forget(instanceId);
    contested.contest(instanceId);
  };

  const enqueue = (snapshot: InstanceSnapshot, startedAt: Date, retries = 0, replaying = false, runId?: string, readStored = false) => {
    if (replaying) contest(snapshot.instanceId);
    const waiting = pending.get(snapshot.instanceId);
    pending.set(snapshot.instanceId, {
      snapshot: waiting ? coalesce(waiting.snapshot, snapshot) : snapshot,
      startedAt,
      runId,
      since: waiting?.since ?? performance.now(),
      retries: Math.max(retries, waiting?.retries ?? 0),
      readStored: readStored || (waiting !== undefined && (waiting.readStored || waiting.runId !== runId)),
    });
    running ??= loop();
  };

  /**
   * Whether a flush may take the instance's stored state from memory instead of reading it:
   * its snapshots reached this process continuously — not contested (another process may have
   * written it), no failed or refused write since (its entry was dropped then), the same
   * workflow run, and not long in the queue.
   */
  const trusts = (item: Pending) => !item.readStored && item.retries === 0 && !contested.has(item.snapshot.instanceId) &&
    performance.now() - item.since < MEMORY_TRUST_MS;

  /** After a flush: remember what it wrote of live instances, forget what may be stale. */
  const rememberFlush = (batch: Pending[], trusted: Set<string>, result: Awaited<ReturnType<typeof writeFlush>>) => {
    const retried = new Set(result.retry);
    for (const item of batch) {
      const id = item.snapshot.instanceId;
      const entry = result.remembered.get(id);
      if (entry && item.snapshot.status === 'active' && !contested.has(id)) memory.remember(id, entry);
      // Kept only when a trusted entry merely saw an older snapshot go by.
      else if (entry || retried.has(id) || !trusted.has(id)) memory.forget(id);
    }
  };

  const loop = async () => {
    // Let the activations of the next few milliseconds report first: one flush carries them all.
    if (lingerMs > 0) await sleep(lingerMs);
    else await new Promise<void>((resolve) => setImmediate(resolve));
    while (pending.size > 0) {
      const batch = [...pending.values()].slice(0, maxBatch);
      for (const item of batch) pending.delete(item.snapshot.instanceId);
      const started = performance.now();
      const trusted = new Set(batch.filter(trusts).map((b) => b.snapshot.instanceId));
      const recall = (item: PendingSnapshot) => {
        const entry = trusted.has(item.snapshot.instanceId) ? memory.recall(item.snapshot.instanceId) : undefined;
        return entry?.runId === item.runId ? entry : undefined;
      };
      try {
        const result = await writeFlush(models, batch, opts.observer, opts.parts, recall);
        rememberFlush(batch, trusted, result);
        opts.flushObserver?.flushed({
          instances: result.instancesWritten, taskWrites: result.taskWrites,
          ms: performance.now() - started, waitedMs: started - Math.min(...batch.map((b) => b.since)),
        });
        for (const id of result.retry) {
          const item = batch.find((b) => b.snapshot.instanceId === id)!;
          if (item.retries >= MAX_RETRIES) {
            log.warn({ instanceId: id, sequence: item.snapshot.sequence }, 'projection write kept meeting concurrent inserts; left to the reconciler');
            opts.onDrop?.([id]);
          } else enqueue(item.snapshot, item.startedAt, item.retries + 1, false, item.runId);
        }
        if (contested.size > 0) {
          const retried = new Set(result.retry);
          contested.watch(batch.filter((b) => !retried.has(b.snapshot.instanceId)));
        }
      } catch (err) {
        // What the flush wrote before it failed is unknown: those instances are read again.
        for (const item of batch) memory.forget(item.snapshot.instanceId);
        // Not dropped: an instance waiting for days on a user task may send no further snapshot.
        const again = batch.filter((b) => b.retries < MAX_RETRIES);
        if (again.length < batch.length) opts.onDrop?.(batch.filter((b) => b.retries >= MAX_RETRIES).map((b) => b.snapshot.instanceId));
        // The error's type, code and message only: a bulk write error carries the documents it tried to write (variables).
        log.warn({ err: errorSummary(err), instances: batch.length, retried: again.length }, 'projection write failed');
        await sleep(100 * Math.min(...again.map((b) => b.retries + 1), MAX_RETRIES));
        for (const item of again) enqueue(item.snapshot, item.startedAt, item.retries + 1, false, item.runId);
      }
    }
    running = undefined;
  };

  const sinks: InjectedSinks<ProjectionSinks> = {
    projection: {
      instanceChanged: {
        callDuringReplay: true,
        fn: (info: WorkflowInfo, snapshot: InstanceSnapshot) => enqueue(snapshot, info.startTime, 0, info.unsafe.isReplaying, info.runId),
      },
    },
  };
  return {
    sinks,
    accept: (snapshot, startedAt, replaying = false, runId) => enqueue(snapshot, startedAt, 0, replaying, runId),
    repair: (snapshot, startedAt) => enqueue(snapshot, startedAt, 0, false, undefined, true),
    async drain() {
      while (running) await running;
    },
    stop() {
      contested.stop();
    },
  };
}
