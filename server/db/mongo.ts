/**
 * The MongoDB connection (FerretDB in embedded mode and in tests). A dedicated mongoose
 * connection rather than the global default, so tests can hold several.
 */
import mongoose, { type Connection } from 'mongoose';

// Reject query operators smuggled in through user input, and unknown filter paths.
mongoose.set('sanitizeFilter', true);
mongoose.set('strictQuery', true);

/**
 * Connections to the embedded FerretDB. Each command of ours may hold up to
 * MAX_STATEMENTS_PER_COMMAND + 1 of FerretDB's PostgreSQL connections while it runs, and FerretDB
 * waits for good when those run out (FERRETDB_PG_POOL, server/infra/embeddedPostgres.ts): 8
 * connections per process keep two processes' worst case (2 × 8 × 9 = 144) below its 180.
 * Commands beyond 8 wait in the driver's queue, in order (decision 0013).
 */
export const FERRETDB_POOL_SIZE = 8;

/**
 * `maxPoolSize`: FERRETDB_POOL_SIZE for the embedded FerretDB; the driver's default otherwise.
 * `monitorCommands`: emit the driver's command events (bench:complaints times FerretDB with them).
 */
export async function connectMongo(uri: string, dbName: string, extra: { maxPoolSize?: number; monitorCommands?: boolean } = {}): Promise<Connection> {
  const connection = mongoose.createConnection(uri, {
    dbName,
    serverSelectionTimeoutMS: 5000,
    // FerretDB has no retryable writes (no transactions); plain writes are idempotent by design.
    retryWrites: false,
    ...extra,
  });
  await connection.asPromise();
  return connection;
}

/** Resolves true when the server answers a ping within `timeoutMs`. */
export async function pingMongo(connection: Connection, timeoutMs = 2000): Promise<void> {
  const db = connection.db;
  if (!db || connection.readyState !== mongoose.ConnectionStates.connected) {
    throw new Error(`not connected (state ${connection.readyState})`);
  }
  let timer: NodeJS.Timeout | undefined;
  const timeout = new Promise<never>((_, reject) => {
    timer = setTimeout(() => reject(new Error(`no answer to ping within ${timeoutMs} ms`)), timeoutMs);
  });
  try {
    await Promise.race([db.admin().ping(), timeout]);
  } finally {
    clearTimeout(timer);
  }
}
