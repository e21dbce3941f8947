/**
 * When the sealer seals a complaint (decision 0037, amendment of issue 11): each complaint's
 * seal waits for a quiet spell after its last write (`debounceMs`, at most `maxWaitMs` after the
 * first unsealed one), then joins one line of due complaints that at most `concurrency` seals
 * work through at a time.
 *
 * The line is what keeps sealing from feeding an overload: a seal reads the complaint's whole
 * record, so when every complaint kept its own timer, a backlog (complaints open for minutes)
 * meant a full re-read of each one every `maxWaitMs`. Now a complaint already in line is not
 * queued twice (its seal reads what is stored when it starts, so later writes are in it), and
 * under load each complaint is sealed less often instead of the database doing more. With
 * light load nothing changes: a due complaint is sealed at once.
 */
export interface SealQueueOptions {
  debounceMs: number;
  maxWaitMs: number;
  /** Seals running at once (≥ 1). */
  concurrency: number;
  seal: (complaintId: string) => Promise<unknown>;
  /** A seal that failed: the next write or read of the complaint seals it again. */
  failed: (complaintId: string, err: unknown) => void;
}

export interface SealQueue {
  /** A complaint was written: seal it after the quiet spell (unless it is already in line). */
  schedule(complaintId: string): void;
  /** A seal of this complaint is starting outside the line (a record read): its place in line is covered. */
  coveredBy(complaintId: string): void;
  /** Puts every waiting complaint in line now and resolves when the line is empty. */
  flush(): Promise<void>;
  /** Drops every timer and the line (shutdown); running seals finish. */
  stop(): void;
  /** Complaints waiting for their quiet spell, in line, and being sealed. */
  size(): { waiting: number; due: number; sealing: number };
}

export function createSealQueue(options: SealQueueOptions): SealQueue {
  const { debounceMs, maxWaitMs, seal, failed } = options;
  const concurrency = Math.max(1, Math.floor(options.concurrency));
  const timers = new Map<string, NodeJS.Timeout>();
  /** When the oldest unsealed write of each waiting complaint happened. */
  const firstWrite = new Map<string, number>();
  /** Due complaints, oldest first (a Set keeps insertion order). */
  const due = new Set<string>();
  const sealing = new Set<Promise<void>>();
  let stopped = false;

  function pump() {
    while (!stopped && sealing.size < concurrency && due.size > 0) {
      const complaintId = due.values().next().value!;
      due.delete(complaintId);
      const run: Promise<void> = seal(complaintId)
        .then(() => undefined, (err: unknown) => failed(complaintId, err))
        .finally(() => {
          sealing.delete(run);
          pump();
        });
      sealing.add(run);
    }
  }

  function enqueue(complaintId: string) {
    clearTimeout(timers.get(complaintId));
    timers.delete(complaintId);
    firstWrite.delete(complaintId);
    due.add(complaintId);
  }

  return {
    schedule(complaintId) {
      if (stopped || due.has(complaintId)) return;
      clearTimeout(timers.get(complaintId));
      const now = Date.now();
      const since = firstWrite.get(complaintId) ?? now;
      firstWrite.set(complaintId, since);
      const delay = Math.max(0, Math.min(debounceMs, since + maxWaitMs - now));
      const timer = setTimeout(() => {
        enqueue(complaintId);
        pump();
      }, delay);
      timer.unref();
      timers.set(complaintId, timer);
    },
    coveredBy(complaintId) {
      due.delete(complaintId);
    },
    async flush() {
      for (const complaintId of [...timers.keys()]) enqueue(complaintId);
      pump();
      while (sealing.size > 0) await Promise.allSettled([...sealing]);
    },
    stop() {
      stopped = true;
      for (const timer of timers.values()) clearTimeout(timer);
      timers.clear();
      firstWrite.clear();
      due.clear();
    },
    size: () => ({ waiting: timers.size, due: due.size, sealing: sealing.size }),
  };
}
