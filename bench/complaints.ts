/**
 * bench:complaints — the shipped complaint lifecycle under a steady intake rate, end to end
 * through the HTTP API, in three kinds of process so that each one's CPU is its own:
 * - this orchestrator: starts the embedded servers (startTemporaryServers: Temporal, the
 *   database — whatever processes the servers object exposes) in a temp folder, preloads data,
 *   samples CPU from /proc and prints the figures;
 * - the service (complaints/service.ts): worker + API as `npm start` wires them, on loopback;
 * - the simulated people (complaints/people.ts): the load generator filing complaints
 *   (POST /api/complaints) at a fixed rate without waiting for answers, staff working their
 *   inboxes (/api/tasks: claim + complete), the customer giving 5 stars when asked — all
 *   over HTTP on loopback. Each look at an inbox reads one page of 200, as the web inbox does:
 *   departments and engineers oldest first (a queue worked from its head), the dispatchers
 *   newest first like the page, with the oldest page once per BENCH_STAFF_POLL_MS so that a
 *   backlog beyond one page is worked too.
 * The CPU window runs from the first intake until every lifecycle closed (or the drain ran out).
 *
 *   npm run build && npm run bench:complaints
 *   BENCH_RATE=2 BENCH_SECONDS=10 npm run bench:complaints          (smoke run)
 *   BENCH_SWEEP=2,5,10,20,30 npm run bench:complaints               (rate sweep)
 *   BENCH_PRELOAD=100000 npm run bench:complaints                   (with data)
 *
 *   BENCH_RATE (default 10): complaints per second (ignored when BENCH_SWEEP is set)
 *   BENCH_SECONDS (default 60): how long the load runs, per rate
 *   BENCH_DRAIN_SECONDS (default 60): how long open lifecycles may finish after the load
 *   BENCH_SWEEP (e.g. 2,5,10,20,30): runs each rate in turn, each on fresh servers (a clean
 *     database, so no rate inherits another's backlog; setup costs ~20 s per rate), then prints
 *     sweep_max_rate (highest rate with intake → visible task p99 ≤ 1000 ms and every lifecycle
 *     filed closed by the end of the drain) and sweep_saturated_process (busiest process by CPU
 *     share at the first rate that failed)
 *   BENCH_PRELOAD (default 0): closed and in-flight complaints of earlier days, with their
 *     instances and tasks, stored in the database before the load (per rate in a sweep), then
 *     VACUUM (ANALYZE), so autovacuum's pass over the new rows does not run during the load
 *   BENCH_PRELOAD_BATCH (default 100): documents per insertMany of the preload
 *   BENCH_VISIBILITY_POLL_MS (default 50): how often the dispatch inbox is read, the resolution
 *     of intake → visible task (a task is visible once it is on the page read)
 *   BENCH_STAFF_POLL_MS (default 1000): how often staff look (customer, closed count: ×3)
 *   BENCH_MONGO_POOL (default FERRETDB_POOL_SIZE): the service's connections to the database
 *   BENCH_TIME_LIMIT_SECONDS: hard limit of the whole run (default: per rate the load, the drain,
 *     5 min of setup and 10 ms per preloaded complaint)
 *
 * Prints `name: value unit` lines per rate (README, Benchmarks). Exits 1 with a message on
 * errors; every child process is killed on exit.
 */
import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { randomUUID } from 'node:crypto';
import { bundleWorkflowCode } from '@temporalio/worker';
import pg from 'pg';
import { connectMongo } from '../server/db/mongo';
import { startTemporaryServers, type TemporaryServers } from '../server/infra/temporaryServers';
import { workflowBundleOptions } from '../server/workflowBundle';
import { startChild, type Child } from './complaints/children';
import { BenchConfigError, readConfig, type BenchConfig } from './complaints/config';
import { cpuDelta, sampleCpu, serverProcesses, type Tracked } from './complaints/cpu';
import { preload, type PreloadResult } from './complaints/preload';
import type { PeopleConfig, PeopleMessage, ServiceConfig, ServiceMessage } from './complaints/protocol';
import { printRate, printSweep, type RateOutcome } from './complaints/report';

const TASK_QUEUE = 'bench-complaints';

const sleep = (ms: number) => new Promise<void>((resolve) => setTimeout(resolve, ms));
const bounded = <T>(what: string, work: Promise<T>, ms: number) =>
  Promise.race([work, sleep(ms).then(() => { throw new Error(`${what} did not finish within ${Math.round(ms / 1000)} s`); })]);

/** What must be cleaned up if the run is cut short (time limit, signal). */
const current: { servers?: TemporaryServers; children: Array<Pick<Child<{ type: string }>, 'stop'>>; bundleDir?: string } = { children: [] };

async function cleanUp(): Promise<void> {
  await Promise.all(current.children.map((c) => c.stop(3000)));
  current.children = [];
  if (current.servers) await bounded('stopping the servers', current.servers.stop(), 15_000).catch((err: unknown) => console.error(`# ${String(err)}`));
  current.servers = undefined;
  if (current.bundleDir) fs.rmSync(current.bundleDir, { recursive: true, force: true });
}

/** SQLITE_BUSY lines in the servers' logs (none with another backend). */
function busyInLogs(dir: string): number {
  const logs = path.join(dir, 'logs');
  if (!fs.existsSync(logs)) return 0;
  return fs.readdirSync(logs).reduce((n, file) => n + fs.readFileSync(path.join(logs, file), 'utf8').split('SQLITE_BUSY').length - 1, 0);
}

/**
 * A bulk load of 100,000 complaints leaves PostgreSQL's autovacuum a one-time pass over every new
 * row (statistics, visibility map) that would otherwise run during the measured load and be
 * counted as the cost of the data (measured: PostgreSQL 0.31 instead of 0.17 cores, every command
 * ~1.5x slower). A service whose data grew over months has had that pass long ago; so the bench
 * runs it now, before the load, and says how long it took.
 */
async function settleAfterBulkLoad(postgresUrl: string): Promise<void> {
  const started = performance.now();
  const client = new pg.Client({ connectionString: postgresUrl });
  await client.connect();
  try {
    await client.query('VACUUM (ANALYZE)');
  } finally {
    await client.end();
  }
  console.log(`# preload: VACUUM (ANALYZE) after the bulk load took ${((performance.now() - started) / 1000).toFixed(1)} s`);
}

async function runRate(config: BenchConfig, rate: number, workflowCodePath: string): Promise<RateOutcome> {
  const { seconds, drainSeconds } = config;
  console.log(`# --- ${rate} complaints/s for ${seconds} s (drain ≤ ${drainSeconds} s) ---`);
  const servers = await startTemporaryServers({ prefix: 'complaint-bpm-bench-' });
  current.servers = servers;
  let preloaded: PreloadResult | null = null;
  if (config.preload > 0) {
    const mongo = await connectMongo(servers.mongoUri, 'bench', { maxPoolSize: 4 });
    try {
      preloaded = await preload(mongo, config.preload, config.preloadBatch, (line) => console.log(line));
    } finally {
      await mongo.close();
    }
    await settleAfterBulkLoad(servers.postgresUrl);
  }
  const serviceConfig: ServiceConfig = {
    temporalAddress: servers.temporalAddress, mongoUri: servers.mongoUri, dir: servers.dir, taskQueue: TASK_QUEUE, mongoPool: config.mongoPool, workflowCodePath,
  };
  const service = startChild<ServiceMessage>('service', path.join(__dirname, 'complaints', 'service.js'), serviceConfig);
  current.children.push(service);
  const { url } = await Promise.race([service.next('ready', 180_000), service.died]);
  const peopleConfig: PeopleConfig = {
    url, mongoUri: servers.mongoUri, rate, seconds, drainSeconds,
    visibilityPollMs: config.visibilityPollMs, staffPollMs: config.staffPollMs, runId: randomUUID().slice(0, 8),
  };
  const people = startChild<PeopleMessage>('simulated people', path.join(__dirname, 'complaints', 'people.js'), peopleConfig);
  current.children.push(people);
  const eitherDied = Promise.race([service.died, people.died]);
  await Promise.race([people.next('ready', 120_000), eitherDied]);
  const { total } = await Promise.race([people.next('load-start', 30_000), eitherDied]);
  const tracked: Tracked[] = [...serverProcesses(servers), { name: 'worker_api', pid: service.pid }, { name: 'load_generator', pid: people.pid }];
  const before = sampleCpu(tracked, servers.dir, 'orchestrator');
  console.error(`# load: ${total} complaints at ${rate}/s; processes: ${tracked.map((t) => `${t.name} ${t.pid}`).join(', ')}`);
  const drained = await Promise.race([people.next('drained', (seconds + drainSeconds + 60) * 1000), eitherDied]);
  const cpu = cpuDelta(before, sampleCpu(tracked, servers.dir, 'orchestrator'));
  console.error(`# drained after ${drained.seconds.toFixed(0)} s: ${drained.filed} filed, ${drained.closed} closed`);
  people.expectExit();
  const { result: peopleResult } = await Promise.race([people.next('result', 60_000), service.died]);
  service.expectExit();
  service.send({ type: 'stop' });
  const { result: serviceResult } = await service.next('result', 90_000);
  if (serviceResult.workerFailure) throw new Error(`the worker stopped during the run: ${serviceResult.workerFailure}`);
  await Promise.all([people.stop(10_000), service.stop(10_000)]);
  current.children = [];
  const serverLogBusy = busyInLogs(servers.dir);
  await bounded('stopping the servers', servers.stop(), 15_000);
  current.servers = undefined;
  return printRate({ rate, people: peopleResult, service: serviceResult, cpu, serverLogBusy, preloaded });
}

async function main(): Promise<void> {
  const config = readConfig();
  const hardLimit = setTimeout(() => {
    console.error(`bench:complaints did not finish within ${Math.round(config.timeLimitS)} s (BENCH_TIME_LIMIT_SECONDS); stopping`);
    void cleanUp().finally(() => process.exit(1));
  }, config.timeLimitS * 1000);
  hardLimit.unref();
  for (const signal of ['SIGINT', 'SIGTERM'] as const) {
    process.once(signal, () => {
      console.error(`bench:complaints: ${signal}, stopping`);
      void cleanUp().finally(() => process.exit(1));
    });
  }
  // The workflow code is bundled once and shared by the service of every rate.
  current.bundleDir = fs.mkdtempSync(path.join(os.tmpdir(), 'complaint-bpm-bench-bundle-'));
  // As `npm start` bundles it (the evaluator and job contract shared by all workflows, decision 0015).
  const { code } = await bundleWorkflowCode(workflowBundleOptions({ info() {}, warn() {}, error: console.error, debug() {}, trace() {}, log() {} }));
  const workflowCodePath = path.join(current.bundleDir, 'workflows.js');
  fs.writeFileSync(workflowCodePath, code);
  const outcomes: RateOutcome[] = [];
  try {
    for (const rate of config.rates) outcomes.push(await runRate(config, rate, workflowCodePath));
  } finally {
    await cleanUp();
  }
  if (config.sweep) printSweep(outcomes);
}

main().then(() => process.exit(0), async (err: unknown) => {
  console.error('bench:complaints failed:', err instanceof BenchConfigError ? err.message : err instanceof Error ? err.stack ?? err.message : err);
  await cleanUp().catch(() => {});
  process.exit(1);
});
