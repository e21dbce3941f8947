/**
 * The projection writer's database primitives for FerretDB 1.24, which turns an insertMany into
 * multi-row INSERTs but runs every other operation of a bulkWrite as statements held open until
 * the command ends (so those go out in small chunks, server/db/commandSize.ts).
 */
import type { AnyBulkWriteOperation, Model } from 'mongoose';
import { CHUNKS_IN_FLIGHT, slices, withLimit } from '../db/commandSize';
import { duplicates } from '../db/duplicateKeys';


/** Reads documents one `_id` at a time: a filter every backend answers from an index. */
export async function readByIds<T>(ids: string[], read: (id: string) => Promise<T | null>): Promise<Map<string, T>> {
  const docs = await Promise.all(ids.map(read));
  const found = new Map<string, T>();
  ids.forEach((id, i) => { if (docs[i]) found.set(id, docs[i]); });
  return found;
}

interface BulkTarget<T> {
  bulkWrite: Model<T>['bulkWrite'];
  collection: { insertMany(docs: object[], options: { ordered: boolean }): Promise<unknown> };
}

/**
 * Writes `ops` unordered and returns the indexes of those refused with a duplicate key.
 * Inserts go out as one insertMany (multi-row INSERTs in FerretDB); every other operation is a
 * statement of its own, so they go out in chunks of MAX_STATEMENTS_PER_COMMAND, CHUNKS_IN_FLIGHT at a time.
 */
export async function bulk<T extends object>(model: BulkTarget<T>, ops: Array<AnyBulkWriteOperation<T>>): Promise<Set<number>> {
  const inserts: number[] = [];
  const others: number[] = [];
  ops.forEach((op, i) => ('insertOne' in op ? inserts : others).push(i));
  const refused = new Set<number>();
  const run = async (indexes: number[], write: () => Promise<unknown>) => {
    if (indexes.length === 0) return;
    try {
      await write();
    } catch (err) {
      for (const i of duplicates(err, indexes.length)) refused.add(indexes[i]!);
    }
  };
  await Promise.all([
    run(inserts, () => model.collection.insertMany(inserts.map((i) => (ops[i] as { insertOne: { document: object } }).insertOne.document), { ordered: false })),
    // CHUNKS_IN_FLIGHT at a time: more would hold more of FerretDB's pool at once (commandSize.ts).
    withLimit(slices(others), CHUNKS_IN_FLIGHT, (chunk) => run(chunk, () => model.bulkWrite(chunk.map((i) => ops[i]!) as Parameters<Model<T>['bulkWrite']>[0], { ordered: false }))),
  ]);
  return refused;
}
