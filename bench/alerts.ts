/**
 * bench:alerts — low survey score → alert work order visible in its owner's inbox, end to end
 * over HTTP: the service wired as `npm start` wires it (API + worker in this process, the
 * shipped low-score-alert process, default settings: the customer-experience group owns every
 * touchpoint), on its own embedded Temporal dev server and FerretDB in a temp folder.
 *
 * Feedback with a low score is posted at a steady rate (POST /api/feedback as a customer);
 * one customer-experience agent reads their inbox (GET /api/tasks, open tasks, newest first) every BENCH_POLL_MS. A feedback's figure is from just before its POST to the
 * first inbox read that lists its work order, so it includes up to one poll interval.
 *
 *   npm run build && npm run bench:alerts
 *   BENCH_ALERTS (default 100): how many low-score feedbacks (at most 200: one inbox page)
 *   BENCH_RATE (default 2): feedbacks per second
 *   BENCH_POLL_MS (default 50): how often the owner's inbox is read
 *
 * Prints `name: value unit` lines; target feedback_to_work_order_p99 ≤ 1000 ms (issue 14).
 */
import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { Client, Connection } from '@temporalio/client';
import { bundleWorkflowCode, DefaultLogger, NativeConnection, Runtime } from '@temporalio/worker';
import { deployShippedProcesses } from '../server/complaints/shippedProcesses';
import { connectMongo } from '../server/db/mongo';
import { createHealthCheck } from '../server/health';
import { createApp } from '../server/http/app';
import { startTemporaryServers } from '../server/infra/temporaryServers';
import { createLogger } from '../server/log';
import { wireServices } from '../server/wiring';
import { createWorker } from '../server/worker';
import { workflowBundleOptions } from '../server/workflowBundle';
import { apiClient, serve } from './complaints/http';
import { percentile } from './complaints/stats';

const positive = (name: string, fallback: number, max = Number.MAX_SAFE_INTEGER) => {
  const value = Number(process.env[name] ?? fallback);
  if (!Number.isFinite(value) || value <= 0 || value > max) throw new Error(`${name} must be a positive number up to ${max}, not '${process.env[name]}'`);
  return value;
};
const ALERTS = Math.round(positive('BENCH_ALERTS', 100, 200));
const RATE = positive('BENCH_RATE', 2, 100);
const POLL_MS = positive('BENCH_POLL_MS', 50, 5000);
const TASK_QUEUE = 'bench-alerts';
const PASSWORD = 'bench-alerts-password';
const round = (n: number) => Number(n.toFixed(1));
const sleep = (ms: number) => new Promise<void>((resolve) => setTimeout(resolve, ms));
const load = () => os.loadavg().map((n) => n.toFixed(2)).join(' ');

async function main(): Promise<void> {
  const hardLimit = setTimeout(() => {
    console.error('bench:alerts did not finish within 15 min');
    process.exit(1);
  }, 15 * 60_000);
  hardLimit.unref();
  Runtime.install({ logger: new DefaultLogger('WARN') });
  console.log(`# load average before: ${load()} (${os.cpus().length} CPUs)`);
  const servers = await startTemporaryServers({ prefix: 'complaint-bpm-bench-alerts-' });
  const bundleDir = fs.mkdtempSync(path.join(os.tmpdir(), 'complaint-bpm-bench-alerts-bundle-'));
  const closers: Array<() => Promise<unknown>> = [];
  try {
    const { code } = await bundleWorkflowCode(workflowBundleOptions({ info() {}, warn() {}, error: console.error, debug() {}, trace() {}, log() {} }));
    const workflowBundle = { codePath: path.join(bundleDir, 'workflows.js') };
    fs.writeFileSync(workflowBundle.codePath, code);
    const log = createLogger('silent');
    const client = new Client({ connection: await Connection.connect({ address: servers.temporalAddress }), namespace: 'default' });
    closers.push(() => client.connection.close());
    const mongo = await connectMongo(servers.mongoUri, 'bench_alerts');
    closers.push(() => mongo.close());
    const services = wireServices({ workflowBundle, mongo, temporal: client, taskQueue: TASK_QUEUE, log, bpmnMaxBytes: 2 * 1024 * 1024, allowedHosts: [] });
    closers.push(async () => {
      await services.drainProjections();
      services.stopProjections();
      services.sla.stop();
    });
    await deployShippedProcesses(services.definitions, log);
    const workerConnection = await NativeConnection.connect({ address: servers.temporalAddress });
    closers.push(() => workerConnection.close());
    const worker = await createWorker({ connection: workerConnection, namespace: 'default', taskQueue: TASK_QUEUE, deps: services.activityDeps, sinks: services.sinks, workflowBundle });
    const workerDone = worker.run();
    closers.push(async () => {
      worker.shutdown();
      await workerDone;
    });
    const app = createApp({
      log, health: createHealthCheck({ temporal: client, mongo, taskQueue: TASK_QUEUE }), mongo,
      definitions: services.definitions, instances: services.instances, tasks: services.tasks, complaints: services.complaints, auth: services.auth,
    });
    const server = await serve(app);
    closers.push(server.close);

    const signIn = async (email: string, roles: Array<'agent' | 'customer'>, groups: string[], customerId?: string) => {
      await services.auth.createUser({ email, name: email, password: PASSWORD, roles, groups, ...(customerId ? { customerId } : {}) });
      const res = await apiClient(server.url)<{ token: string }>('POST', '/api/auth/login', { email, password: PASSWORD });
      if (res.status !== 200) throw new Error(`login as ${email} answered ${res.status}`);
      return apiClient(server.url, res.body.token);
    };
    // The customer gives feedback as themselves (any account allowed to will do).
    const survey = await signIn('customer@bench.test', ['customer'], [], 'cust-bench');
    const owner = await signIn('cx@bench.test', ['agent'], ['customer-experience']);

    // One warm-up alert (first bundle load, first definition read), not counted.
    const warm = await survey<{ id: string }>('POST', '/api/feedback', { touchpoint: 'warm-up', score: 1, verbatim: 'warm-up' });
    if (warm.status !== 201) throw new Error(`warm-up feedback answered ${warm.status}: ${JSON.stringify(warm.body)}`);

    const posted = new Map<string, number>();
    const seen = new Map<string, number>();
    const postMs: number[] = [];
    let polling = true;
    const poller = (async () => {
      while (polling) {
        const page = await owner<{ items: Array<{ businessKey: string | null; elementId: string }> }>('GET', '/api/tasks?state=open,claimed&sort=-createdAt&pageSize=200');
        const now = performance.now();
        if (page.status !== 200) throw new Error(`the inbox answered ${page.status}`);
        for (const t of page.body.items) if (t.businessKey && t.elementId === 'AlertWorkOrder' && !seen.has(t.businessKey)) seen.set(t.businessKey, now);
        await sleep(POLL_MS);
      }
    })();

    console.log(`# ${ALERTS} low-score feedbacks at ${RATE}/s, inbox read every ${POLL_MS} ms; load average: ${load()}`);
    const started = performance.now();
    const posts = Array.from({ length: ALERTS }, async (_, i) => {
      await sleep(Math.max(0, started + (i * 1000) / RATE - performance.now()));
      const at = performance.now();
      const res = await survey<{ id: string; alert: { instanceId: string } | null }>('POST', '/api/feedback', {
        touchpoint: `store-${i % 8}`, score: i % 5, verbatim: `Bench feedback ${i}`, answers: [{ question: 'Waiting time', score: i % 5 }],
      });
      postMs.push(performance.now() - at);
      if (res.status !== 201 || !res.body.alert) throw new Error(`feedback ${i} answered ${res.status}: ${JSON.stringify(res.body)}`);
      posted.set(res.body.id, at);
    });
    await Promise.all(posts);
    const deadline = performance.now() + 60_000;
    while ([...posted.keys()].some((id) => !seen.has(id)) && performance.now() < deadline) await sleep(50);
    polling = false;
    await poller;

    const latencies = [...posted].flatMap(([id, at]) => (seen.has(id) ? [seen.get(id)! - at] : []));
    console.log(`alerts_visible: ${latencies.length} / ${posted.size}`);
    console.log(`feedback_post_p50: ${round(percentile(postMs, 50))} ms`);
    console.log(`feedback_to_work_order_p50: ${round(percentile(latencies, 50))} ms`);
    console.log(`feedback_to_work_order_p99: ${round(percentile(latencies, 99))} ms`);
    console.log(`feedback_to_work_order_max: ${round(Math.max(...latencies))} ms`);
    console.log(`# load average after: ${load()}`);
    if (latencies.length < posted.size) throw new Error(`${posted.size - latencies.length} work orders never showed up in the owner's inbox within 60 s`);
  } finally {
    for (const close of closers.reverse()) await close().catch((err: unknown) => console.error(`# closing: ${String(err)}`));
    await servers.stop();
    fs.rmSync(bundleDir, { recursive: true, force: true });
  }
}

main().then(() => process.exit(0), (err: unknown) => {
  console.error('bench:alerts failed:', err instanceof Error ? err.stack ?? err.message : err);
  process.exit(1);
});
