/**
 * `npm run chaos`: crash safety under load (issue 12 item 5, decision 0026). For each fault, a
 * fresh service (`node dist/server/main.js`, embedded Temporal, PostgreSQL and FerretDB in a
 * temp DATA_DIR) takes CHAOS_COMPLAINTS complaints at CHAOS_RATE per second, each driven
 * through its lifecycle over HTTP as clients would (manual dispatch, first response,
 * resolution, a 5-star evaluation; every request retried with the same Idempotency-Key until
 * it is answered). Half-way through the intakes one fault strikes:
 *
 * - `worker`: kill -9 of a second worker process (`npm run worker`) serving the same queue;
 * - `temporal`: kill -9 of the Temporal dev server (the supervisor restarts it);
 * - `database`: kill -9 of FerretDB (restarted likewise);
 * - `group`: kill -9 of the supervisor and every child, then `npm start` again on the same data;
 * - `sigterm`: SIGTERM to the service under load, then start again.
 *
 * Then it waits (CHAOS_SETTLE_SECONDS) for every accepted complaint to close and prints, per
 * fault, `name: value unit` lines: accepted (intake answered 200/201), closed, lost (accepted
 * but not closed), duplicated (complaints with a second complaint for one key, a second
 * evaluation, a process timeline entry written twice, or a second task of one step open at once),
 * and views_disagreeing (complaints whose inbox tasks or instance-list status differ from what
 * their workflow says once everything settled).
 *
 * Larger than a test and not in `npm test`; it takes minutes. CHAOS_FAULTS picks faults.
 */
import { spawn, execFileSync, type ChildProcess } from 'node:child_process';
import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { freePort, waitUntil } from '../server/infra/ports';

const FAULTS = ['worker', 'temporal', 'database', 'group', 'sigterm'] as const;
type Fault = typeof FAULTS[number];

const int = (name: string, fallback: number) => {
  const v = Number(process.env[name]);
  return Number.isFinite(v) && v > 0 ? v : fallback;
};
const COMPLAINTS = int('CHAOS_COMPLAINTS', 20);
const RATE = int('CHAOS_RATE', 1);
const SETTLE_MS = int('CHAOS_SETTLE_SECONDS', 240) * 1000;
const selected = (process.env.CHAOS_FAULTS?.split(',').map((f) => f.trim()) ?? [...FAULTS]) as Fault[];
const root = path.resolve(__dirname, '../..');
const mainScript = path.join(root, 'dist/server/main.js');
const workerScript = path.join(root, 'dist/server/workerMain.js');
const sleep = (ms: number) => new Promise<void>((resolve) => setTimeout(resolve, ms));

interface Env { [name: string]: string }

function spawnNode(script: string, env: Env, logFile: string): ChildProcess {
  const inherited = Object.fromEntries(Object.entries(process.env).filter(([k]) => !/^(TEMPORAL_|MONGODB_|PORT$|DATA_DIR$|EMBEDDED_|SERVICE_ROLE$|CUSTOMER_LINK_)/.test(k)));
  const out = fs.openSync(logFile, 'a');
  return spawn(process.execPath, [script], { env: { ...inherited, ...env }, stdio: ['ignore', out, out] });
}

function descendants(pid: number): number[] {
  const rows = execFileSync('ps', ['-e', '-o', 'pid=,ppid='], { encoding: 'utf8' }).trim().split('\n').map((l) => l.trim().split(/\s+/).map(Number) as [number, number]);
  const found: number[] = [];
  const walk = (parent: number) => rows.filter(([, ppid]) => ppid === parent).forEach(([child]) => { found.push(child); walk(child); });
  walk(pid);
  return found;
}
const program = (pid: number) => {
  try {
    return path.basename(fs.readFileSync(`/proc/${pid}/cmdline`, 'utf8').split('\0')[0] ?? '');
  } catch {
    return '';
  }
};
const kill = (pid: number, signal: NodeJS.Signals) => {
  try {
    process.kill(pid, signal);
  } catch {
    // gone
  }
};

/** One service under test, restartable on its data folder. */
class Service {
  child: ChildProcess | undefined;
  worker: ChildProcess | undefined;
  token = '';
  constructor(readonly env: Env, readonly dir: string) {}
  get url() { return `http://127.0.0.1:${this.env.PORT}`; }

  async start(): Promise<void> {
    this.child = spawnNode(mainScript, this.env, path.join(this.dir, 'service.log'));
    await waitUntil('service healthy', async () => (await fetch(`${this.url}/api/health`).catch(() => undefined))?.status === 200, 180_000, 500);
    const login = await fetch(`${this.url}/api/auth/login`, {
      method: 'POST', headers: { 'content-type': 'application/json' }, body: JSON.stringify({ email: 'admin@example.com', password: 'change-me-admin' }),
    });
    this.token = ((await login.json()) as { token: string }).token;
  }

  startWorker(): void {
    this.worker = spawnNode(workerScript, {
      ...this.env,
      TEMPORAL_ADDRESS: `127.0.0.1:${this.env.EMBEDDED_TEMPORAL_PORT}`,
      MONGODB_URI: `mongodb://127.0.0.1:${this.env.EMBEDDED_FERRETDB_PORT}/`,
      CUSTOMER_LINK_KEY: fs.readFileSync(path.join(this.dir, 'data', 'customer-link.key'), 'utf8').trim(),
    }, path.join(this.dir, 'worker.log'));
  }

  async stop(): Promise<void> {
    const child = this.child;
    if (child && child.exitCode === null) {
      const exited = new Promise((resolve) => child.once('exit', resolve));
      child.kill('SIGTERM');
      await Promise.race([exited, sleep(20_000)]);
    }
    if (this.worker && this.worker.exitCode === null) this.worker.kill('SIGKILL');
    if (child?.pid) for (const pid of descendants(child.pid)) kill(pid, 'SIGKILL');
  }

  async strike(fault: Fault): Promise<void> {
    const pid = this.child!.pid!;
    if (fault === 'worker') {
      kill(this.worker!.pid!, 'SIGKILL');
    } else if (fault === 'temporal' || fault === 'database') {
      const name = fault === 'temporal' ? 'temporal' : 'ferretdb';
      const target = descendants(pid).find((p) => program(p) === name);
      if (target) kill(target, 'SIGKILL');
    } else if (fault === 'group') {
      const all = [pid, ...descendants(pid)];
      for (const p of all) kill(p, 'SIGKILL');
      await sleep(1000);
      await this.start();
    } else {
      const exited = new Promise((resolve) => this.child!.once('exit', resolve));
      this.child!.kill('SIGTERM');
      await exited;
      await this.start();
    }
  }

  /** A request retried until answered (connection refused, 5xx): what a client with a retry policy does. */
  async call<T>(method: string, p: string, body: unknown, key?: string, deadline = Date.now() + SETTLE_MS): Promise<{ status: number; body: T }> {
    for (;;) {
      try {
        const res = await fetch(`${this.url}${p}`, {
          method,
          headers: { authorization: `Bearer ${this.token}`, ...(body === undefined ? {} : { 'content-type': 'application/json' }), ...(key ? { 'idempotency-key': key } : {}) },
          body: body === undefined ? undefined : JSON.stringify(body),
          signal: AbortSignal.timeout(30_000),
        });
        if (res.status === 401) {
          await sleep(500); // a restart: tokens stay valid, but log in again if not
          const login = await fetch(`${this.url}/api/auth/login`, { method: 'POST', headers: { 'content-type': 'application/json' }, body: JSON.stringify({ email: 'admin@example.com', password: 'change-me-admin' }) }).catch(() => undefined);
          if (login?.status === 200) this.token = ((await login.json()) as { token: string }).token;
          continue;
        }
        if (res.status < 500) return { status: res.status, body: (await res.json().catch(() => ({}))) as T };
      } catch {
        // refused or cut: the service is restarting
      }
      if (Date.now() > deadline) return { status: 0, body: {} as T };
      await sleep(1000);
    }
  }
}

interface Detail {
  id: string; status: string;
  tasks: Array<{ id: string; elementId: string; state: string }>;
  timeline: Array<{ who: string; what: string }>;
  evaluations: unknown[];
}

const VARIABLES: Record<string, Record<string, unknown>> = {
  Dispatch: { assignee: 'chaos-engineer' },
  // The departments that must act work from intake, beside the dispatch (decision 0052).
  AfterSalesContact: { contactOutcome: 'called' },
  TechnicalAnalysis: { technicalFinding: 'thermostat' },
  FinanceCompensation: { compensationAmount: 0 },
};

/** Drives one complaint to closed; true when it closed before the deadline. */
async function drive(service: Service, id: string, deadline: number): Promise<boolean> {
  while (Date.now() < deadline) {
    const { status, body } = await service.call<Detail>('GET', `/api/complaints/${id}`, undefined, undefined, deadline);
    if (status === 200 && body.status === 'closed') return true;
    if (status === 200 && body.status === 'awaiting_evaluation') {
      await service.call('POST', `/api/complaints/${id}/evaluation`, { stars: 5, tags: [] }, `eval-${id}`, deadline);
    } else if (status === 200) {
      const task = body.tasks.find((t) => t.state === 'open' || t.state === 'claimed');
      if (task) await service.call('POST', `/api/tasks/${task.id}/complete`, { variables: VARIABLES[task.elementId] ?? {} }, undefined, deadline);
    }
    await sleep(1000);
  }
  return false;
}

async function runFault(fault: Fault): Promise<Record<string, number>> {
  const dir = fs.mkdtempSync(path.join(os.tmpdir(), `chaos-${fault}-`));
  // PostgreSQL runs as another user when the service runs as root: it must be able to enter.
  fs.chmodSync(dir, 0o755);
  const env: Env = {
    DATA_DIR: path.join(dir, 'data'), PORT: String(await freePort()), EMBEDDED_TEMPORAL_PORT: String(await freePort()),
    EMBEDDED_TEMPORAL_UI_PORT: String(await freePort()), EMBEDDED_TEMPORAL_UI: 'false', EMBEDDED_FERRETDB_PORT: String(await freePort()),
    SEED_DEMO: 'false', LOG_LEVEL: 'warn', RECONCILE_INTERVAL_SECONDS: '5',
  };
  const service = new Service(env, dir);
  await service.start();
  if (fault === 'worker') service.startWorker();
  const run = path.basename(dir);
  const accepted = new Map<number, string>();
  const deadline = Date.now() + COMPLAINTS / RATE * 1000 + SETTLE_MS;
  const drives: Array<Promise<boolean>> = [];
  let struck: Promise<void> | undefined;
  for (let i = 0; i < COMPLAINTS; i += 1) {
    if (i === Math.floor(COMPLAINTS / 2)) struck = service.strike(fault);
    const intake = service.call<{ id: string }>('POST', '/api/complaints', {
      channel: 'app', customer: { id: `${run}-${i}`, tier: 'standard' }, product: 'Kettle K2', title: 'Kettle stopped heating', description: 'chaos',
    }, `${run}-intake-${i}`, deadline);
    drives.push(intake.then((res) => {
      if (res.status !== 201 && res.status !== 200) return false;
      accepted.set(i, res.body.id);
      return drive(service, res.body.id, deadline);
    }));
    await sleep(1000 / RATE);
  }
  await struck;
  const closed = (await Promise.all(drives)).filter(Boolean).length;

  // Duplicates, read back once everything settled.
  let duplicated = 0;
  for (const id of accepted.values()) {
    const { body } = await service.call<Detail>('GET', `/api/complaints/${id}`, undefined);
    const entries = body.timeline.filter((e) => e.who === 'process').map((e) => e.what);
    const twiceOnTimeline = new Set(entries).size !== entries.length;
    const steps = body.tasks.filter((t) => t.state !== 'canceled').map((t) => t.elementId);
    const twiceATask = new Set(steps).size !== steps.length;
    if (body.evaluations.length > 1 || twiceOnTimeline || twiceATask) duplicated += 1;
  }
  // A second complaint for one Idempotency-Key would carry the same customer id.
  const all = await service.call<{ items: Array<{ customerId: string }>; total: number }>('GET', '/api/complaints?pageSize=200', undefined);
  const perCustomer = new Map<string, number>();
  for (const c of all.body.items ?? []) perCustomer.set(c.customerId, (perCustomer.get(c.customerId) ?? 0) + 1);
  duplicated += [...perCustomer.values()].filter((n) => n > 1).length;

  // The views against the engine: the inbox's open tasks and the instance list's status of each
  // accepted complaint must be what its workflow says (GET /api/instances/{id} asks it).
  let disagreeing = 0;
  const sorted = (items: Array<{ elementId: string }>) => items.map((t) => t.elementId).sort().join(',');
  for (const id of accepted.values()) {
    const { body: complaint } = await service.call<{ instanceId?: string }>('GET', `/api/complaints/${id}`, undefined);
    const instanceId = complaint.instanceId;
    const engine = instanceId ? await service.call<{ status: string; tasks: Array<{ elementId: string }> }>('GET', `/api/instances/${instanceId}`, undefined) : undefined;
    const inbox = instanceId ? await service.call<{ items: Array<{ elementId: string }> }>('GET', `/api/tasks?instanceId=${instanceId}&state=open,claimed`, undefined) : undefined;
    const listed = await service.call<{ items: Array<{ id: string; status: string }> }>('GET', `/api/instances?businessKey=${encodeURIComponent(id)}`, undefined);
    const agrees = engine?.status === 200 && inbox?.status === 200 && sorted(engine.body.tasks) === sorted(inbox.body.items)
      && listed.body.items?.find((i) => i.id === instanceId)?.status === engine.body.status;
    if (!agrees) disagreeing += 1;
  }

  await service.stop();
  // Evidence the fault struck: the supervisor's restarts, or the starts of the service itself.
  const log = fs.readFileSync(path.join(dir, 'service.log'), 'utf8');
  const restarts = (log.match(/ stopped unexpectedly; restarting it"/g) ?? []).length;
  const starts = (log.match(/Complaint BPM is running/g) ?? []).length;
  fs.rmSync(dir, { recursive: true, force: true });
  return { accepted: accepted.size, closed, lost: accepted.size - closed, duplicated, disagreeing, restarts, starts };
}

async function main(): Promise<void> {
  if (!fs.existsSync(mainScript)) throw new Error('dist/ is missing: npm run build');
  process.stdout.write(`chaos: ${COMPLAINTS} complaints at ${RATE}/s per fault; load average ${os.loadavg().map((l) => l.toFixed(1)).join(' ')}\n`);
  for (const fault of selected) {
    if (!FAULTS.includes(fault)) throw new Error(`unknown fault '${fault}' (${FAULTS.join(', ')})`);
    const started = Date.now();
    const r = await runFault(fault);
    process.stdout.write([
      `${fault}.accepted: ${r.accepted} complaints`, `${fault}.closed: ${r.closed} complaints`,
      `${fault}.lost: ${r.lost} complaints`, `${fault}.duplicated: ${r.duplicated} complaints`,
      `${fault}.views_disagreeing: ${r.disagreeing} complaints`,
      `${fault}.part_restarts: ${r.restarts} restarts`, `${fault}.service_starts: ${r.starts} starts`,
      `${fault}.duration: ${((Date.now() - started) / 1000).toFixed(0)} s`, `${fault}.load_average: ${os.loadavg()[0]!.toFixed(1)}`,
    ].join('\n') + '\n');
  }
}

main().then(() => process.exit(0), (err: unknown) => {
  process.stderr.write(`chaos failed: ${err instanceof Error ? err.message : String(err)}\n`);
  process.exit(1);
});
