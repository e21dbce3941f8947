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
import type { Logger } from '../log';
import type { ProjectionModels } from './models';
import { writeFlush, type PendingSnapshot, type ProjectionObserver, type ProjectionPart } from './flush';

export { instanceTransitions, type ProjectionObserver, type ProjectionPart, type AppliedSnapshot, type RaisedIncident } from './flush';
export { observers } from './observers';

/**
 * Folds a newer snapshot into one not yet written: the view is the newer one; element events
 * and closed tasks of both are kept, so nothing of the history is lost.
 */
export function coalesce(pending: InstanceSnapshot, newer: InstanceSnapshot): InstanceSnapshot {
  if (newer.sequence < pending.sequence) return coalesce(newer, pending);
  return {
    ...newer,
    events: [...pending.events, ...newer.events],
    closedTasks: [...pending.closedTasks, ...newer.closedTasks],
  };
}

/** How long flushes take and how much they carry (bench:complaints reports it). */
export interface FlushObserver {
  flushed(stats: { instances: number; taskWrites: number; ms: number; waitedMs: number }): void;
}

export interface ProjectionWriterOptions {
  observer?: ProjectionObserver;
  /** Further read models written from the same snapshots (see ProjectionPart). */
  parts?: ProjectionPart[];
  flushObserver?: FlushObserver;
  /** Instances per flush (default 200): bounds one bulkWrite's size. */
  maxBatch?: number;
}

export interface ProjectionWriter {
  sinks: InjectedSinks<ProjectionSinks>;
  /** Resolves when every write accepted so far has finished (before closing MongoDB). */
  drain(): Promise<void>;
  /** Writes snapshots as the sink would (tests, tools). */
  accept(snapshot: InstanceSnapshot, startedAt: Date): void;
}

/** A snapshot failing this many flushes in a row is logged and left to the instance's next one. */
const MAX_RETRIES = 5;
const sleep = (ms: number) => new Promise<void>((resolve) => setTimeout(resolve, ms));

/**
 * The worker's sink. Failures are logged (never thrown into the workflow) and repaired by the
 * next snapshot of that instance (decision 0003).
 */
export function projectionWriter(models: ProjectionModels, log: Logger, opts: ProjectionWriterOptions = {}): ProjectionWriter {
  const maxBatch = opts.maxBatch ?? 200;
  // Insertion order = arrival order of an instance's first pending snapshot: fair between instances.
  const pending = new Map<string, PendingSnapshot & { since: number; retries: number }>();
  let running: Promise<void> | undefined;

  const enqueue = (snapshot: InstanceSnapshot, startedAt: Date, retries = 0) => {
    const waiting = pending.get(snapshot.instanceId);
    pending.set(snapshot.instanceId, {
      snapshot: waiting ? coalesce(waiting.snapshot, snapshot) : snapshot,
      startedAt,
      since: waiting?.since ?? performance.now(),
      retries: Math.max(retries, waiting?.retries ?? 0),
    });
    running ??= loop();
  };

  const loop = async () => {
    // Let the activations of this event-loop turn report first: one flush carries them all.
    await new Promise<void>((resolve) => setImmediate(resolve));
    while (pending.size > 0) {
      const batch = [...pending.values()].slice(0, maxBatch);
      for (const item of batch) pending.delete(item.snapshot.instanceId);
      const started = performance.now();
      try {
        const result = await writeFlush(models, batch, opts.observer, opts.parts);
        opts.flushObserver?.flushed({
          instances: result.instancesWritten, taskWrites: result.taskWrites,
          ms: performance.now() - started, waitedMs: started - Math.min(...batch.map((b) => b.since)),
        });
        for (const id of result.retry) {
          const item = batch.find((b) => b.snapshot.instanceId === id)!;
          if (item.retries >= MAX_RETRIES) log.warn({ instanceId: id, sequence: item.snapshot.sequence }, 'projection write kept meeting concurrent inserts; left to the next snapshot');
          else enqueue(item.snapshot, item.startedAt, item.retries + 1);
        }
      } catch (err) {
        // Not dropped: an instance waiting for days on a user task may send no further snapshot.
        const again = batch.filter((b) => b.retries < MAX_RETRIES);
        log.warn({ err, instances: batch.length, retried: again.length }, 'projection write failed');
        await sleep(100 * Math.min(...again.map((b) => b.retries + 1), MAX_RETRIES));
        for (const item of again) enqueue(item.snapshot, item.startedAt, item.retries + 1);
      }
    }
    running = undefined;
  };

  const sinks: InjectedSinks<ProjectionSinks> = {
    projection: {
      instanceChanged: {
        callDuringReplay: true,
        fn: (info: WorkflowInfo, snapshot: InstanceSnapshot) => enqueue(snapshot, info.startTime),
      },
    },
  };
  return {
    sinks,
    accept: (snapshot, startedAt) => enqueue(snapshot, startedAt),
    async drain() {
      while (running) await running;
    },
  };
}
