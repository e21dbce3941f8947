/**
 * Group commit for independent inserts into one collection (decision 0067, "same round"): an
 * insert that arrives while an earlier one of the same group is in flight waits for it, then
 * goes out with every other that arrived meanwhile in one unordered `insertMany` of at most
 * `max` documents (below FerretDB's 100 rows per INSERT, auditChain.ts). Idle, an insert goes
 * out at once and alone; under load N callers share one command instead of sending N.
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

export function groupInsert<T>(insertMany: (docs: T[]) => Promise<unknown>, max = 64): (doc: T) => Promise<boolean> {
  const queue: Array<Waiting<T>> = [];
  let sending = false;

  async function send(): Promise<void> {
    sending = true;
    try {
      while (queue.length > 0) {
        const batch = queue.splice(0, max);
        let taken = new Set<number>();
        try {
          await insertMany(batch.map((w) => w.doc));
        } catch (err) {
          try {
            taken = duplicates(err, batch.length);
          } catch (failure) {
            for (const w of batch) w.reject(failure);
            continue;
          }
        }
        batch.forEach((w, i) => w.resolve(!taken.has(i)));
      }
    } finally {
      sending = false;
    }
  }

  return (doc) => new Promise<boolean>((resolve, reject) => {
    queue.push({ doc, resolve, reject });
    if (!sending) void send();
  });
}
