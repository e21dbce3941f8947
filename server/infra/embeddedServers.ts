/**
 * The embedded servers of `npm start` and of the integration tests: the Temporal dev server
 * (SQLite file, WAL) and FerretDB (on the embedded PostgreSQL, embeddedPostgres.ts; SQLite
 * only to read data of older versions). All bind to loopback only.
 */
import fs from 'node:fs';
import path from 'node:path';
import { ManagedProcess } from './managedProcess';
import { canConnect, freePort, waitUntil } from './ports';

export interface EmbeddedTemporalOptions {
  binary: string;
  dataDir: string;
  port: number;
  uiPort?: number;
  ui: boolean;
  namespace: string;
  /** `KEY=VALUE` dynamic-config overrides (tests lower history limits with it). */
  dynamicConfig?: string[];
}

export function embeddedTemporal(options: EmbeddedTemporalOptions): ManagedProcess {
  const dir = path.join(options.dataDir, 'temporal');
  fs.mkdirSync(dir, { recursive: true });
  const args = [
    'server', 'start-dev',
    '--ip', '127.0.0.1',
    '--port', String(options.port),
    '--db-filename', path.join(dir, 'temporal.db'),
    '--namespace', options.namespace,
    '--log-level', 'warn',
    // WAL keeps readers and the writer from blocking each other; NORMAL sync is durable in WAL.
    '--sqlite-pragma', 'journal_mode=wal',
    '--sqlite-pragma', 'synchronous=normal',
  ];
  for (const value of options.dynamicConfig ?? []) args.push('--dynamic-config-value', value);
  if (options.ui) args.push('--ui-port', String(options.uiPort ?? options.port + 1000), '--ui-disable-news-fetch');
  else args.push('--headless');
  return new ManagedProcess({
    name: 'Temporal dev server',
    command: options.binary,
    args,
    env: goRuntime(process.env, '1GiB'),
    logFile: path.join(options.dataDir, 'logs', 'temporal.log'),
    pidFile: path.join(options.dataDir, 'pids', 'temporal.pid'),
  });
}

export interface EmbeddedFerretdbOptions {
  binary: string;
  dataDir: string;
  port: number;
  /**
   * Where FerretDB keeps the data: a PostgreSQL URL (the embedded default, decision 0013), or
   * absent for its SQLite backend in DATA_DIR/ferretdb (what versions before 0013 used; the
   * data migration still reads it).
   */
  postgresUrl?: string;
}

/**
 * FerretDB's SQLite URL (modernc.org/sqlite parameters). FerretDB itself sets WAL and a 10 s
 * busy_timeout; we add:
 * - `_txlock=immediate`: its writes run in transactions that would otherwise start deferred
 *   (as readers) and upgrade to writers; an upgrade that meets another writer fails at once
 *   with SQLITE_BUSY instead of waiting for the busy timeout. Immediate transactions queue.
 * - `synchronous(normal)`: in WAL mode a commit no longer waits for an fsync (only
 *   checkpoints do). A crash of FerretDB loses nothing; a power loss or OS crash may roll
 *   back the last commits (never corrupt the file) — the trade the embedded Temporal dev
 *   server makes too (see embeddedTemporal).
 */
export const ferretdbSqliteUrl = (dir: string) =>
  `file:${dir}/?_txlock=immediate&_pragma=busy_timeout(10000)&_pragma=journal_mode(wal)&_pragma=synchronous(normal)`;

/**
 * Go's collector for the embedded Go servers (FerretDB, the Temporal dev server). FerretDB
 * decodes every document it reads from JSON, and its garbage collector took ~15 % of its CPU
 * with Go's default (GOGC=100). GOGC=400 lets the heap grow to five times what is live before
 * collecting (their live heaps are tens of MB) and cut FerretDB's CPU per command by 15–30 %
 * (decision 0059); GOMEMLIMIT makes the collector work harder near `memoryLimit`. Values set in
 * our own environment win.
 */
export function goRuntime(env: NodeJS.ProcessEnv, memoryLimit: string): Record<string, string> {
  return { GOGC: env.GOGC ?? '400', GOMEMLIMIT: env.GOMEMLIMIT ?? memoryLimit };
}

export async function embeddedFerretdb(options: EmbeddedFerretdbOptions): Promise<ManagedProcess> {
  // FerretDB's own state (a telemetry id) only; on SQLite also the data.
  const dir = path.join(options.dataDir, options.postgresUrl ? 'ferretdb-state' : 'ferretdb');
  fs.mkdirSync(dir, { recursive: true });
  const debugPort = await freePort();
  const backend = options.postgresUrl
    // The URL carries the cluster's password: through the environment, never the command line.
    ? { args: ['--handler=postgresql'], env: { FERRETDB_POSTGRESQL_URL: options.postgresUrl } }
    : { args: ['--handler=sqlite', `--sqlite-url=${ferretdbSqliteUrl(dir)}`], env: {} };
  return new ManagedProcess({
    name: 'FerretDB',
    command: options.binary,
    env: { ...goRuntime(process.env, '512MiB'), ...backend.env },
    args: [
      `--listen-addr=127.0.0.1:${options.port}`,
      ...backend.args,
      `--state-dir=${dir}`,
      '--telemetry=disable',
      // Its debug/metrics listener defaults to a fixed port; a free one avoids clashes.
      `--debug-addr=127.0.0.1:${debugPort}`,
      '--log-level=warn',
    ],
    logFile: path.join(options.dataDir, 'logs', 'ferretdb.log'),
    pidFile: path.join(options.dataDir, 'pids', options.postgresUrl ? 'ferretdb.pid' : 'ferretdb-sqlite.pid'),
    redactLine: redactFerretdbArgs,
  });
}

/**
 * FerretDB logs a failed query with its arguments (`"args":{…}`): the documents and filters it
 * was given, personal data included. They are cut out of its log lines.
 */
export function redactFerretdbArgs(line: string): string {
  const start = line.indexOf('"args":');
  if (start < 0) return line;
  // The arguments end where the next known field begins; without one, the rest of the line goes.
  const next = ['"err":', '"name":', '"pid":', '"sql":'].map((field) => line.indexOf(`,${field}`, start)).filter((i) => i > start);
  const end = next.length ? Math.min(...next) : -1;
  return `${line.slice(0, start)}"args":"[redacted]"${end < 0 ? (line.trimEnd().endsWith('}') ? '}' : '') : line.slice(end)}`;
}

/**
 * Starts `proc` and waits until its port accepts connections, or it dies. A port that already
 * accepts connections before the start belongs to another program: waiting for it would take
 * that program for ours (and ours would die on "address already in use"), so it is refused,
 * naming `setting` (the variable that moves the port) when given.
 */
export async function startAndWaitForPort(proc: ManagedProcess, port: number, timeoutMs: number, setting?: string): Promise<void> {
  if (await canConnect(port)) {
    throw new Error(`${proc.name} cannot listen on 127.0.0.1:${port}: another program already uses that port`
      + (setting ? `; set ${setting} to a free port` : ''));
  }
  proc.start();
  let died: Error | undefined;
  await waitUntil(`${proc.name} on port ${port}`, async () => {
    if (!proc.running) {
      died = new Error(`${proc.name} exited with code ${proc.exitCode}:\n${proc.lastLines()}`);
      return true;
    }
    return canConnect(port);
  }, timeoutMs);
  if (died) throw died;
}
