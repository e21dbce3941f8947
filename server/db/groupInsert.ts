/**
 * Group commit for independent inserts into one collection (decision 0067, "same round"): at
 * most `inFlight` insert commands of a group run at once; an insert that arrives while they all
 * run waits, then goes out with every other that arrived meanwhile in one unordered
 * `insertMany` of at most `max` documents (below FerretDB's 100 rows per INSERT,
 * auditChain.ts). Idle, an insert goes out at once and alone; under load N callers share one
 * command instead of sending N. Two in flight, not one: a single slow command (a busy moment of
 * the database) does not hold every caller of the process behind it.
 *
 * Each caller learns about its own document: true when written, false when its `_id` was taken
 * (a retried request). Any other failure rejects every caller of that command: with an
 * unordered insert some of their documents may be written, so callers must be able to retry
 * (ids that say the document is there, as duplicate keys do).
 */
import { duplicates } from './duplicateKeys';

interface Waiting<T> {
  doc: T;
  resolve(written: boolean): void;
  reject(err: unknown): void;
}

export function groupInsert<T>(insertMany: (docs: T[]) => Promise<unknown>, options: { max?: number; inFlight?: number } = {}): (doc: T) => Promise<boolean> {
  const max = options.max ?? 64;
  const limit = options.inFlight ?? 2;
  const queue: Array<Waiting<T>> = [];
  let running = 0;

  async function send(batch: Array<Waiting<T>>): Promise<void> {
    let taken = new Set<number>();
    try {
      await insertMany(batch.map((w) => w.doc));
    } catch (err) {
      try {
        taken = duplicates(err, batch.length);
      } catch (failure) {
        for (const w of batch) w.reject(failure);
        return;
      }
    }
    batch.forEach((w, i) => w.resolve(!taken.has(i)));
  }

  function pump(): void {
    while (running < limit && queue.length > 0) {
      running += 1;
      void send(queue.splice(0, max)).finally(() => {
        running -= 1;
        pump();
      });
    }
  }

  return (doc) => new Promise<boolean>((resolve, reject) => {
    queue.push({ doc, resolve, reject });
    pump();
  });
}
