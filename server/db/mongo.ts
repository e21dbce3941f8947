/**
 * The MongoDB connection (FerretDB in embedded mode and in tests). A dedicated mongoose
 * connection rather than the global default, so tests can hold several.
 */
import mongoose, { type Connection } from 'mongoose';

// Reject query operators smuggled in through user input, and unknown filter paths.
mongoose.set('sanitizeFilter', true);
mongoose.set('strictQuery', true);

/**
 * Client connections per MongoDB connection (MONGODB_POOL_SIZE overrides it for an external
 * MongoDB). Each command of ours may hold up to MAX_STATEMENTS_PER_COMMAND + 1 of FerretDB's
 * PostgreSQL connections while it runs, and FerretDB waits for good when those run out
 * (FERRETDB_PG_POOL, server/infra/embeddedPostgres.ts): 8 per connection keeps five of them
 * (5 × 8 × 9 = 360) below its 400. Commands beyond 8 wait in the driver's queue, in order
 * (decision 0013). The driver's own default (100) could wedge FerretDB.
 */
export const FERRETDB_POOL_SIZE = 8;

/**
 * `maxPoolSize`: default FERRETDB_POOL_SIZE (see above); MONGODB_POOL_SIZE sets it for the service.
 * `monitorCommands`: emit the driver's command events (bench:complaints times FerretDB with them).
 */
export async function connectMongo(uri: string, dbName: string, extra: { maxPoolSize?: number; monitorCommands?: boolean } = {}): Promise<Connection> {
  const connection = mongoose.createConnection(uri, {
    dbName,
    maxPoolSize: FERRETDB_POOL_SIZE,
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
