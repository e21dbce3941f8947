/** What a write refused for a duplicate `_id` (or other unique key) looks like to the driver. */
interface BulkError { code?: number; writeErrors?: Array<{ index: number; code: number }> }

export const DUPLICATE_KEY = 11000;

/**
 * Indexes of the documents or operations of a write of `size` that the server refused with a
 * duplicate key; any other error is thrown again.
 */
export function duplicates(err: unknown, size: number): Set<number> {
  const bulkError = err as BulkError;
  const writeErrors = bulkError.writeErrors ?? (bulkError.code === DUPLICATE_KEY && size === 1 ? [{ index: 0, code: DUPLICATE_KEY }] : undefined);
  if (!writeErrors || writeErrors.some((e) => e.code !== DUPLICATE_KEY)) throw err;
  return new Set(writeErrors.map((e) => e.index));
}
