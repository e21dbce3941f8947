/**
 * The MongoDB connection (FerretDB in embedded mode and in tests). A dedicated mongoose
 * connection rather than the global default, so tests can hold several.
 */
import mongoose, { type Connection } from 'mongoose';

// Reject query operators smuggled in through user input, and unknown filter paths.
mongoose.set('sanitizeFilter', true);
mongoose.set('strictQuery', true);

/**
 * Connections to the embedded FerretDB. SQLite has one writer at a time and makes the others
 * wait by sleeping and retrying, so a hundred concurrent commands (the driver's default pool)
 * turned every write into a queue of sleepers (bench:complaints: ~1 s per write at 10
 * complaints/s). A few connections keep SQLite's queue short; the rest wait in the driver's
 * queue, in order, without sleeping (decision 0008).
 */
export const FERRETDB_POOL_SIZE = 4;

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
