/**
 * bench:complaints — the shipped complaint lifecycle under a steady intake rate, end to end
 * through the HTTP API. Starts its own Temporal dev server and FerretDB in a temp folder, the
 * worker and the API in this process on a loopback port, and simulated people on loopback:
 * a load generator filing complaints (POST /api/complaints) at a fixed rate, staff working
 * their inboxes (/api/tasks: claim + complete), the customer giving 5 stars when asked.
 *
 *   npm run build && npm run bench:complaints
 *   BENCH_RATE=2 BENCH_SECONDS=10 npm run bench:complaints      (smoke run)
 *   BENCH_DRAIN_SECONDS (default 60): how long open lifecycles may finish after the load
 *   BENCH_VISIBILITY_POLL_MS (default 50): how often the dispatch inbox is read, the resolution
 *     of intake → visible task
 *   BENCH_STAFF_POLL_MS (default 1000): how often staff look (customer, closed count: ×3)
 *   BENCH_MONGO_POOL (default FERRETDB_POOL_SIZE): connections to FerretDB
 *
 * Prints `name: value unit` lines and a `# bottleneck:` comment. Exits 1 with a message on errors.
 */
import fs from 'node:fs';
import path from 'node:path';
import { randomUUID } from 'node:crypto';
import { Client, Connection } from '@temporalio/client';
import { bundleWorkflowCode, NativeConnection, Runtime } from '@temporalio/worker';
import { createAuthService } from '../server/auth/service';
import type { Role } from '../server/auth/roles';
import { deployShippedProcesses } from '../server/complaints/shippedProcesses';
import { connectMongo, FERRETDB_POOL_SIZE } from '../server/db/mongo';
import { createHealthCheck } from '../server/health';
import { createApp } from '../server/http/app';
import { startTemporaryServers } from '../server/infra/temporaryServers';
import { createLogger } from '../server/log';
import { wireServices } from '../server/wiring';
import { createWorker, workflowsPath } from '../server/worker';
import { apiClient, httpErrors, serve, type Api } from './complaints/http';
import { closedWatcher, customer, expect, inbox, stopAll, type InboxStats, type Loop, type StaffMember, type TaskView } from './complaints/staff';
import { profileCommands } from './complaints/dbProfile';
import { countingWorkerLog, flushRecorder, printReport, stepTimings } from './complaints/report';
import { cpuDelta, cpuSample } from './complaints/stats';

const positive = (name: string, fallback: number) => {
  const value = Number(process.env[name] ?? fallback);
  if (!Number.isFinite(value) || value <= 0) throw new Error(`${name} must be a positive number, not '${process.env[name]}'`);
  return value;
};
const RATE = positive('BENCH_RATE', 10);
const SECONDS = positive('BENCH_SECONDS', 60);
const DRAIN_SECONDS = positive('BENCH_DRAIN_SECONDS', 60);
/** How often the dispatch inbox is read: the resolution of intake → visible task. */
const VISIBILITY_POLL_MS = positive('BENCH_VISIBILITY_POLL_MS', 50);
/** Staff and customer: a person looking at their list every second is already eager. */
const STAFF_POLL_MS = positive('BENCH_STAFF_POLL_MS', 1000);
const TASK_QUEUE = 'bench-complaints';
const CUSTOMER_ID = 'cust-bench';
// Hashes of the bench users are cheap; verification reads the parameters from the hash.
const CHEAP_HASH = { N: 2 ** 10, r: 8, p: 1 };

const sleep = (ms: number) => new Promise<void>((resolve) => setTimeout(resolve, ms));

/** Varies the departments asked per complaint deterministically. */
const spread = (id: string) => [...id].reduce((h, c) => (h * 31 + c.charCodeAt(0)) >>> 0, 7);

async function main(): Promise<void> {
  const limitS = SECONDS + DRAIN_SECONDS + 240;
  const hardLimit = setTimeout(() => {
    console.error(`bench:complaints did not finish within ${limitS} s`);
    process.exit(1);
  }, limitS * 1000);
  hardLimit.unref();

  const workerLog = countingWorkerLog();
  Runtime.install({ logger: workerLog.logger });
  const bundling = bundleWorkflowCode({
    workflowsPath: workflowsPath(),
    logger: { info() {}, warn() {}, error: console.error, debug() {}, trace() {}, log() {} },
  });
  const servers = await startTemporaryServers({ prefix: 'complaint-bpm-bench-' });
  const { dir, temporal, ferret } = servers;
  const log = createLogger('silent');
  const closers: Array<() => Promise<void>> = [];
  try {
    const address = servers.temporalAddress;
    const client = new Client({ connection: await Connection.connect({ address }), namespace: 'default' });
    closers.push(() => client.connection.close());
    const mongo = await connectMongo(servers.mongoUri, 'bench', { maxPoolSize: positive('BENCH_MONGO_POOL', FERRETDB_POOL_SIZE), monitorCommands: true });
    const db = profileCommands(mongo);
    closers.push(() => mongo.close());
    const workflowBundle = await bundling;

    const timings = stepTimings();
    // The service as `npm start` wires it (the shipped lifecycle needs no directory: dispatch names the engineer).
    const services = wireServices({
      workflowBundle, mongo, temporal: client, taskQueue: TASK_QUEUE, log, bpmnMaxBytes: 2 * 1024 * 1024, allowedHosts: [],
      projections: { flushObserver: flushRecorder(timings) },
    });
    await deployShippedProcesses(services.definitions, log);
    const workerConnection = await NativeConnection.connect({ address });
    const worker = await createWorker({
      connection: workerConnection, namespace: 'default', taskQueue: TASK_QUEUE, deps: services.activityDeps, sinks: services.sinks, workflowBundle,
    });
    let workerFailure: unknown;
    const workerDone = worker.run().catch((err: unknown) => { workerFailure = err; });
    closers.push(async () => {
      worker.shutdown();
      await workerDone;
      await services.drainProjections();
      await workerConnection.close();
    });
    const app = createApp({
      log,
      health: createHealthCheck({ temporal: client, mongo, taskQueue: TASK_QUEUE }),
      mongo,
      definitions: services.definitions,
      instances: services.instances,
      tasks: services.tasks,
      directory: services.directory,
      complaints: services.complaints,
      auth: services.auth,
    });
    const server = await serve(app);
    closers.push(server.close);

    // Simulated people: users in the database, signed in through the API.
    const users = createAuthService({ mongo, hashParams: CHEAP_HASH });
    let userCount = 0;
    const person = async (roles: Role[], spec: { groups?: string[]; customerId?: string } = {}): Promise<StaffMember> => {
      userCount += 1;
      const email = `${roles.join('-')}-${userCount}@bench.test`;
      const user = await users.createUser({ email, name: email, password: 'bench-password', roles, ...spec });
      const login = await apiClient(server.url)<{ token: string }>('POST', '/api/auth/login', { email, password: 'bench-password' });
      if (login.status !== 200) throw new Error(`login as ${email} answered ${login.status}: ${JSON.stringify(login.body)}`);
      return { id: user.id, api: apiClient(server.url, login.body.token) };
    };
    const team = (n: number, roles: Role[], groups: string[]) => Promise.all(Array.from({ length: n }, () => person(roles, { groups })));
    const dispatchers = await team(2, ['agent'], ['dispatch']);
    const engineers = await team(4, ['engineer'], ['after-sales']);
    const afterSales = await team(2, ['agent'], ['after-sales']);
    const technical = await team(2, ['engineer'], ['technical']);
    const finance = await team(2, ['agent'], ['finance']);
    const logistics = await team(1, ['agent'], ['logistics']);
    const supervisors = await team(1, ['supervisor'], []);
    const theCustomer = await person(['customer'], { customerId: CUSTOMER_ID });
    const admin = await person(['admin']);

    // Intake → first task (Dispatch) visible in the dispatchers' inbox.
    const intakeAt = new Map<string, { perf: number; wall: number }>();
    const seenEarly = new Map<string, number>();
    const seen = new Set<string>();
    const { visibleMs, openedMs, intakeMs } = timings;
    const onDispatchSeen = (task: TaskView, seenAt: number) => {
      if (task.elementId !== 'Dispatch' || seen.has(task.instanceId)) return;
      seen.add(task.instanceId);
      const filed = intakeAt.get(task.instanceId);
      if (!filed) {
        seenEarly.set(task.instanceId, seenAt);
        return;
      }
      visibleMs.push(seenAt - filed.perf);
      openedMs.push(Date.parse(task.createdAt) - filed.wall);
    };

    const taskStats: InboxStats = { completed: 0 };
    let rr = 0;
    const loops: Loop[] = [
      inbox({
        query: 'state=open&candidateGroup=dispatch', members: dispatchers, intervalMs: VISIBILITY_POLL_MS, concurrency: 16, onSeen: onDispatchSeen,
        onListed: (ms) => timings.inboxQueryMs.push(ms),
        variables: () => ({ assignee: engineers[rr++ % engineers.length]!.id }),
      }, taskStats),
      ...engineers.map((e) => inbox({
        query: `state=claimed&assignee=${e.id}`, members: [e], intervalMs: STAFF_POLL_MS, concurrency: 16,
        variables: (t) => t.elementId === 'FirstResponse'
          ? { needAfterSales: true, needTechnical: spread(t.instanceId) % 2 === 0, needFinance: spread(t.instanceId) % 3 === 0, needLogistics: false }
          : { resolutionSummary: 'contacted, fixed and followed up' },
      }, taskStats)),
      inbox({ query: 'state=open&candidateGroup=after-sales', members: afterSales, intervalMs: STAFF_POLL_MS, concurrency: 16, variables: () => ({ contactOutcome: 'called' }) }, taskStats),
      inbox({ query: 'state=open&candidateGroup=technical', members: technical, intervalMs: STAFF_POLL_MS, concurrency: 16, variables: () => ({ technicalFinding: 'thermostat' }) }, taskStats),
      inbox({ query: 'state=open&candidateGroup=finance', members: finance, intervalMs: STAFF_POLL_MS, concurrency: 16, variables: () => ({ compensationAmount: 30 }) }, taskStats),
      inbox({ query: 'state=open&candidateGroup=logistics', members: logistics, intervalMs: STAFF_POLL_MS, concurrency: 16, variables: () => ({}) }, taskStats),
      // Escalations and approvals should not happen in this run; if they do, they are worked too.
      inbox({ query: 'state=open&candidateGroup=supervisor', members: supervisors, intervalMs: STAFF_POLL_MS, concurrency: 8, variables: () => ({ needAfterSales: true, needTechnical: false, needFinance: false }) }, taskStats),
    ];
    const evaluations = { evaluated: 0 };
    // Complaint lists are full scans on FerretDB: the customer and the counter look every 3 s.
    loops.push(customer(theCustomer.api, 3 * STAFF_POLL_MS, evaluations));
    let closed = 0;
    const closedAt: Array<{ total: number; at: number }> = [];
    loops.push(closedWatcher(admin.api, 3 * STAFF_POLL_MS, (total, at) => {
      closed = total;
      closedAt.push({ total, at });
    }));

    // The load: one intake every 1/RATE s, not waiting for answers (open loop).
    const total = Math.round(RATE * SECONDS);
    let opened = 0;
    const runId = randomUUID().slice(0, 8);
    const cpuBefore = cpuSample({ ferretdb: ferret.pid!, temporal: temporal.pid! });
    const t0 = performance.now();
    console.error(`# load: ${total} complaints at ${RATE}/s (set up in ${(process.uptime()).toFixed(0)} s)`);
    const intakes: Array<Promise<void>> = [];
    const file = async (i: number, api: Api) => {
      const sent = performance.now();
      const res = await expect<{ id: string; instanceId: string | null }>(api, [201], 'POST', '/api/complaints', {
        channel: 'app', customer: { id: CUSTOMER_ID, tier: i % 5 === 0 ? 'gold' : 'standard' }, product: 'Kettle K2',
        title: 'Kettle stopped heating', description: `Bench complaint ${i}: the kettle is broken after two days`,
      }, { 'idempotency-key': `bench-${runId}-${i}` });
      const at = performance.now();
      if (!res) return;
      intakeMs.push(at - sent);
      opened += 1;
      const instanceId = res.body.instanceId;
      if (!instanceId) return;
      intakeAt.set(instanceId, { perf: at, wall: Date.now() });
      const early = seenEarly.get(instanceId);
      if (early !== undefined) visibleMs.push(Math.max(0, early - at));
    };
    for (let i = 0; i < total; i += 1) {
      const due = t0 + (i * 1000) / RATE;
      const wait = due - performance.now();
      if (wait > 0) await sleep(wait);
      intakes.push(file(i, theCustomer.api));
    }
    // Drain: until every intake has answered and every opened lifecycle is closed, or the drain timeout
    // (counted from the end of the load, not from the last answer: a stuck intake must not stretch the run).
    let answered = false;
    void Promise.all(intakes).then(() => { answered = true; });
    const deadline = t0 + (SECONDS + DRAIN_SECONDS) * 1000;
    while (!(answered && closed >= opened) && performance.now() < deadline) await sleep(100);
    const t1 = performance.now();
    console.error(`# drained after ${((t1 - t0) / 1000).toFixed(0)} s: ${opened} opened, ${closed} closed`);
    if (workerFailure !== undefined || worker.getState() !== 'RUNNING') throw new Error(`the worker stopped (${worker.getState()}): ${String(workerFailure)}`);
    const cpu = cpuDelta(cpuBefore, cpuSample({ ferretdb: ferret.pid!, temporal: temporal.pid! }));
    stopAll();
    // A loop may wait on a request stuck behind a locked database: give them 10 s, then report anyway.
    await Promise.race([Promise.all(loops.map((l) => l.done)), sleep(10_000)]);
    console.error(`# people stopped at ${process.uptime().toFixed(0)} s`);
    // Closed complaints should carry their classification; count those that lost it.
    let unclassified = 0;
    // Bounded like the loops: behind a backlog of requests the check could wait minutes (NaN then).
    const checked = (async () => {
      for (let page = 1; page <= Math.ceil(opened / 100); page += 1) {
        const res = await expect<{ items: Array<{ status: string; category: string | null }> }>(admin.api, [200], 'GET', `/api/complaints?status=closed&pageSize=100&page=${page}`);
        unclassified += res?.body.items.filter((c) => c.category === null).length ?? 0;
      }
      return true;
    })();
    if (!(await Promise.race([checked, sleep(20_000).then(() => false)]))) unclassified = NaN;

    console.error(`# closed complaints checked at ${process.uptime().toFixed(0)} s`);
    const firstDone = closedAt[0];
    const lastDone = closedAt[closedAt.length - 1];
    // Sustained rate: completions per second between the first and the last count seen (ramp-up excluded).
    const throughput = firstDone && lastDone && lastDone.at > firstDone.at ? (lastDone.total - firstDone.total) / ((lastDone.at - firstDone.at) / 1000) : NaN;
    const ferretLog = path.join(dir, 'logs', 'ferretdb.log');
    const ferretBusy = fs.existsSync(ferretLog) ? fs.readFileSync(ferretLog, 'utf8').split('SQLITE_BUSY').length - 1 : 0;
    printReport(timings, {
      rate: RATE, opened, closed, throughput, tasksCompleted: taskStats.completed, evaluations: evaluations.evaluated, unclassified,
      httpErrors, sqliteBusy: workerLog.counts.sqliteBusy + ferretBusy, lockTimeouts: workerLog.counts.lockTimeouts, cpu, wallS: (t1 - t0) / 1000,
    });
    db.print();
  } finally {
    stopAll();
    // Each part gets 15 s to stop (a worker waiting on a locked database would hold the run).
    const bounded = (close: () => Promise<void>) => Promise.race([close(), sleep(15_000).then(() => { throw new Error('timed out'); })]);
    for (const close of closers.reverse()) await bounded(close).catch((err: unknown) => console.error('closing:', err));
    await servers.stop();
  }
}

main().then(() => process.exit(0), (err: unknown) => {
  console.error('bench:complaints failed:', err instanceof Error ? err.stack ?? err.message : err);
  process.exit(1);
});
