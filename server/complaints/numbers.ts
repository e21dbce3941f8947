/**
 * Complaint numbers (issue 14 item 6, decision 0050 addendum): `C-000123`, one sequence for
 * the whole service, unique and never reused, assigned at intake.
 *
 * FerretDB 1.24 makes no `$inc` or conditional update atomic between concurrent writers
 * (docs/architecture.md), so a counter document alone would hand one number out twice. The
 * atomic write is an insert against the unique `_id`: a number is taken by inserting its claim
 * document `{ _id: 123 }`; a duplicate key means someone else has it, and the next one is
 * tried. A hint document (`_id: 'last'`) remembers roughly where the sequence stands (raised
 * with `$max` every HINT_EVERY numbers), so a new process does not start probing at 1; it is
 * only a hint, never trusted.
 * Callers in one process take numbers one after another in memory, so they do not collide
 * with each other; collisions come only from other processes and cost one insert each.
 *
 * A number taken by an intake that then fails (or loses its Idempotency-Key race) is not
 * reused: the sequence may have gaps, never duplicates.
 */
import type { Connection, Model } from 'mongoose';
import { Schema } from 'mongoose';
import { formatComplaintNumber } from '../domain/complaintNumber';

export { formatComplaintNumber, parseComplaintNumber } from '../domain/complaintNumber';

export const NUMBERS_COLLECTION = 'complaint_numbers';
/** How many taken numbers one allocation steps over before it re-reads the hint. */
const REREAD_AFTER = 16;
const MAX_ATTEMPTS = 1_000;
/** The hint is raised when a number divisible by this is taken. */
const HINT_EVERY = 16;

interface NumberDocument {
  _id: number | string;
  /** Claim documents: the complaint the number was taken for (it may never have been written). */
  complaintId?: string;
  /** The hint document: the highest number known to be taken. */
  last?: number;
  at?: Date;
}

const numberSchema = new Schema<NumberDocument>({ _id: Schema.Types.Mixed, complaintId: String, last: Number, at: Date }, { versionKey: false });

function numbersModel(connection: Connection): Model<NumberDocument> {
  return (connection.models.ComplaintNumber as Model<NumberDocument> | undefined)
    ?? connection.model<NumberDocument>('ComplaintNumber', numberSchema, NUMBERS_COLLECTION);
}

const isDuplicateKey = (err: unknown) => (err as { code?: number }).code === 11000;

export function createComplaintNumbers(connection: Connection) {
  const numbers = numbersModel(connection);
  /** The highest number this process took or saw taken. */
  let last = 0;
  /** The tail of this process's allocations: one at a time. */
  let queue: Promise<unknown> = Promise.resolve();

  const readHint = async () => {
    const hint = await numbers.findById('last').lean();
    return typeof hint?.last === 'number' ? hint.last : 0;
  };

  async function take(complaintId: string): Promise<string> {
    if (last === 0) last = await readHint();
    let candidate = last + 1;
    for (let attempt = 1; attempt <= MAX_ATTEMPTS; attempt += 1) {
      try {
        await numbers.create({ _id: candidate, complaintId, at: new Date() });
        last = candidate;
        // Only a hint, so raised every HINT_EVERY numbers, not at each (one command less per
        // intake): a new process then starts at most that many numbers behind and probes past
        // them once; a lost race leaves it lower in the same way.
        if (candidate % HINT_EVERY === 0) await numbers.updateOne({ _id: 'last' }, { $max: { last: candidate } }, { upsert: true }).catch(() => undefined);
        return formatComplaintNumber(candidate);
      } catch (err) {
        if (!isDuplicateKey(err)) throw err;
        candidate = attempt % REREAD_AFTER === 0 ? Math.max(candidate, await readHint()) + 1 : candidate + 1;
      }
    }
    throw new Error('complaint numbers: no free number found');
  }

  return {
    /** Takes the next free number for `complaintId`; the number is never handed out again. */
    allocate(complaintId: string): Promise<string> {
      const mine = queue.then(() => take(complaintId));
      queue = mine.catch(() => undefined);
      return mine;
    },
  };
}

export type ComplaintNumbers = ReturnType<typeof createComplaintNumbers>;
