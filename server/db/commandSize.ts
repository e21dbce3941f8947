/**
 * How many statements one database command may carry (decision 0013). FerretDB 1.24 keeps every
 * statement of a command open until the command ends and an update holds two connections; when
 * the commands in flight want more connections than its pool has, it waits for good (measured:
 * a bulkWrite of 100 updates on SQLite, of 50-60 on PostgreSQL). Every bulkWrite of ours goes
 * out in chunks of at most this many operations; how many commands run at once is bounded by
 * the connections each process opens (FERRETDB_POOL_SIZE, server/db/mongo.ts).
 */
export const MAX_STATEMENTS_PER_COMMAND = 8;

/** How many chunks of one bulk write are in flight at once (the rest wait their turn). */
export const CHUNKS_IN_FLIGHT = 2;

/** Calls `write` for every item, at most `limit` at a time, in order of start. */
export async function withLimit<T>(items: readonly T[], limit: number, write: (item: T) => Promise<void>): Promise<void> {
  let next = 0;
  const lane = async () => {
    while (next < items.length) await write(items[next++]!);
  };
  await Promise.all(Array.from({ length: Math.min(limit, items.length) }, lane));
}


/** `items` cut into consecutive slices of at most `size`. */
export function slices<T>(items: readonly T[], size = MAX_STATEMENTS_PER_COMMAND): T[][] {
  const out: T[][] = [];
  for (let i = 0; i < items.length; i += size) out.push(items.slice(i, i + size));
  return out;
}
