/**
 * What this process's projection writer last wrote of each instance (decision 0057): the
 * stored instance fields the guard and the observers compare, and per task and SLA clock its
 * sequence, state and a fingerprint of the content written. A flush uses it instead of
 * reading the documents back when the writer trusts it for that snapshot (writer.ts decides:
 * not contested, same run, no failure since, not long in the queue); otherwise it reads them
 * as before and remembers what it found and wrote.
 *
 * Bounded: the least recently written instances are forgotten first, ended ones right after
 * their last flush. A forgotten instance costs one read again, never a wrong write.
 */
import { createHash } from 'node:crypto';
import type { StoredInstance } from './flush';
import type { TaskRecord } from './models';
import type { SlaClockRecord } from './slaModels';

export interface RememberedTask {
  sequence: number;
  state: TaskRecord['state'];
  /** Of the content this writer wrote (all but `sequence`); absent when only read from the database. */
  fingerprint?: string;
}

export interface RememberedClock {
  sequence: number;
  warningsFired: number[];
  /** Of the content this writer wrote (clockPrint); absent when only read from the database. */
  fingerprint?: string;
  /** Its breach record is stored (this writer inserted it or found it). */
  breachRecorded?: true;
}

export interface RememberedInstance {
  /** The workflow run whose snapshots this was built from (a continue-as-new may run elsewhere). */
  runId: string | undefined;
  stored: StoredInstance;
  /**
   * The open and claimed tasks of the instance this writer read or wrote; while the entry is
   * trusted, a task missing here is not stored or closed already (an insert that meets a stored
   * one fails with a duplicate key and the instance is read again).
   */
  tasks: Map<string, RememberedTask>;
  /** The same for the SLA clocks; undefined until they were read or written (then the SLA part reads them). */
  clocks?: Map<string, RememberedClock>;
}

/** A short digest of JSON content (Dates as ISO strings); the same content gives the same print. */
export const fingerprint = (content: unknown): string => createHash('sha1').update(JSON.stringify(content)).digest('base64url');

/**
 * The print of a clock record as its readers see it: without `sequence` and `updatedAt`, and
 * while a pause is open `pausedMs` counted up to `updatedAt` only moves with it — readers add
 * the time since `updatedAt` (instances/slaView apiClockFromRecord) — so the difference is
 * what can change.
 */
export function clockPrint(record: SlaClockRecord): string {
  const { sequence: _sequence, updatedAt, pausedMs, ...content } = record;
  const openPause = record.paused && record.state !== 'met';
  return fingerprint({ ...content, pausedMs: openPause ? pausedMs - updatedAt.getTime() : pausedMs });
}

/** A copy a flush may change; it replaces the remembered one only when the flush succeeded. */
export const draftOf = (entry: RememberedInstance): RememberedInstance => ({
  runId: entry.runId,
  stored: entry.stored,
  tasks: new Map(entry.tasks),
  ...(entry.clocks ? { clocks: new Map(entry.clocks) } : {}),
});

export interface WriterMemory {
  /** The entry of an instance (marked as used last), or undefined. */
  recall(instanceId: string): RememberedInstance | undefined;
  remember(instanceId: string, entry: RememberedInstance): void;
  forget(instanceId: string): void;
  readonly size: number;
}

/** Instances remembered by default: a few minutes of instances changing at tens per second. */
export const REMEMBERED_INSTANCES = 5_000;

export function writerMemory(capacity = REMEMBERED_INSTANCES): WriterMemory {
  // A Map iterates in insertion order: re-inserting on use makes the first key the least recently used.
  const entries = new Map<string, RememberedInstance>();
  return {
    recall(instanceId) {
      const entry = entries.get(instanceId);
      if (!entry) return undefined;
      entries.delete(instanceId);
      entries.set(instanceId, entry);
      return entry;
    },
    remember(instanceId, entry) {
      entries.delete(instanceId);
      entries.set(instanceId, entry);
      while (entries.size > capacity) entries.delete(entries.keys().next().value!);
    },
    forget(instanceId) {
      entries.delete(instanceId);
    },
    get size() {
      return entries.size;
    },
  };
}
