/**
 * The projection writer's database primitives for FerretDB 1.24 on SQLite, which answers only
 * an exact `{ _id }` filter from an index (every other filter reads the whole collection) and
 * turns an insertMany into one multi-row INSERT.
 */
import type { AnyBulkWriteOperation, Model } from 'mongoose';

/**
 * Most operations one command carries. FerretDB 1.24 hangs for good on a single command of
 * about 50 statements or more (an insertMany or a bulkWrite of ≥ 50 updates), so every batch
 * is cut into commands of at most this many.
 */
export const MAX_OPS_PER_COMMAND = 16;

/** `items` cut into consecutive slices of at most `size`. */
export function slices<T>(items: readonly T[], size = MAX_OPS_PER_COMMAND): T[][] {
  const out: T[][] = [];
  for (let i = 0; i < items.length; i += size) out.push(items.slice(i, i + size));
  return out;
}

/** Reads documents one `_id` at a time: the one filter FerretDB/SQLite answers from its index. */
export async function readByIds<T>(ids: string[], read: (id: string) => Promise<T | null>): Promise<Map<string, T>> {
  const docs = await Promise.all(ids.map(read));
  const found = new Map<string, T>();
  ids.forEach((id, i) => { if (docs[i]) found.set(id, docs[i]); });
  return found;
}

interface BulkError { code?: number; writeErrors?: Array<{ index: number; code: number }>; result?: unknown }
const DUPLICATE_KEY = 11000;

/** Indexes of the operations a bulk write refused with a duplicate key; other errors are thrown. */
function duplicates(err: unknown, size: number): Set<number> {
  const bulkError = err as BulkError;
  const writeErrors = bulkError.writeErrors ?? (bulkError.code === DUPLICATE_KEY && size === 1 ? [{ index: 0, code: DUPLICATE_KEY }] : undefined);
  if (!writeErrors || writeErrors.some((e) => e.code !== DUPLICATE_KEY)) throw err;
  return new Set(writeErrors.map((e) => e.index));
}

interface BulkTarget<T> {
  bulkWrite: Model<T>['bulkWrite'];
  collection: { insertMany(docs: object[], options: { ordered: boolean }): Promise<unknown> };
}

/**
 * Writes `ops` unordered and returns the indexes of those refused with a duplicate key.
 * Inserts go out as insertMany commands (FerretDB turns each into one multi-row INSERT in one
 * transaction); every other operation of a bulkWrite is a query and a transaction of its own.
 */
export async function bulk<T extends object>(model: BulkTarget<T>, ops: Array<AnyBulkWriteOperation<T>>): Promise<Set<number>> {
  const inserts: number[] = [];
  const others: number[] = [];
  ops.forEach((op, i) => ('insertOne' in op ? inserts : others).push(i));
  const run = async (indexes: number[], write: () => Promise<unknown>) => {
    try {
      await write();
      return [];
    } catch (err) {
      return [...duplicates(err, indexes.length)].map((i) => indexes[i]!);
    }
  };
  // At most MAX_OPS_PER_COMMAND operations per command; the commands of one call run side by side.
  const refused = await Promise.all([
    ...slices(inserts).map((part) => run(part, () => model.collection.insertMany(part.map((i) => (ops[i] as { insertOne: { document: object } }).insertOne.document), { ordered: false }))),
    ...slices(others).map((part) => run(part, () => model.bulkWrite(part.map((i) => ops[i]!) as Parameters<Model<T>['bulkWrite']>[0], { ordered: false }))),
  ]);
  return new Set(refused.flat());
}
