/**
 * bench:sla — the SLA operations API on 100,000 generated SLA clocks in FerretDB.
 * Starts its own Temporal dev server and FerretDB (temp folder), inserts the clocks (and
 * 2,000 instances with element events for the heat map) in batches, serves the API on
 * loopback and calls the overview, the breach-next list and the heat map over HTTP.
 *
 *   npm run build && npm run bench:sla
 *   BENCH_CLOCKS (default 100000), BENCH_CALLS (default 50)
 *
 * Prints `name: value unit` lines. `sla_overview_db_scan` is one $group over the period
 * straight on FerretDB: what a query-per-request overview would cost (decision 0006).
 */
import fs from 'node:fs';
import path from 'node:path';
import { Client, Connection } from '@temporalio/client';
import { DefaultLogger, Runtime } from '@temporalio/worker';
import { createAuthService } from '../server/auth/service';
import { connectMongo } from '../server/db/mongo';
import { createHealthCheck } from '../server/health';
import { createApp } from '../server/http/app';
import { startTemporaryServers } from '../server/infra/temporaryServers';
import { createLogger } from '../server/log';
import { projectionModels } from '../server/projections/models';
import { slaModels } from '../server/projections/slaModels';
import { createSlaService } from '../server/sla/service';
import { apiClient, serve, type Api } from './complaints/http';
import { percentile } from './complaints/stats';
import { clock, DEFINITION_KEY, instanceWithEvents, random } from './sla/generate';

const positive = (name: string, fallback: number) => {
  const value = Number(process.env[name] ?? fallback);
  if (!Number.isInteger(value) || value <= 0) throw new Error(`${name} must be a positive integer, not '${process.env[name]}'`);
  return value;
};
const CLOCKS = positive('BENCH_CLOCKS', 100_000);
const CALLS = positive('BENCH_CALLS', 50);
const HEAT_INSTANCES = 2000;
const BATCH = 2000;
const CHEAP_HASH = { N: 2 ** 10, r: 8, p: 1 };
const round = (n: number) => Number(n.toFixed(1));

async function timed(api: Api, pathOf: (n: number) => string, calls: number): Promise<number[]> {
  const times: number[] = [];
  for (let n = 0; n < calls; n++) {
    const started = performance.now();
    const res = await api('GET', pathOf(n));
    times.push(performance.now() - started);
    if (res.status !== 200) throw new Error(`GET ${pathOf(n)} answered ${res.status}: ${JSON.stringify(res.body)}`);
  }
  return times;
}

const report = (name: string, times: number[]) => {
  console.log(`${name}_p50: ${round(percentile(times, 50))} ms`);
  console.log(`${name}_p95: ${round(percentile(times, 95))} ms`);
};

/** The SLA engine's history-events measurement, when its bench module is there (bench/slaEvents.ts). */
async function slaEventLines(): Promise<void> {
  const file = path.join(__dirname, 'slaEvents.js');
  if (!fs.existsSync(file)) return;
  const mod = (await import(file)) as { slaHistoryEventLines?: () => Promise<unknown> };
  if (typeof mod.slaHistoryEventLines !== 'function') throw new Error(`${file} does not export slaHistoryEventLines()`);
  const lines = await mod.slaHistoryEventLines();
  if (!Array.isArray(lines)) throw new Error(`slaHistoryEventLines() gave ${typeof lines}, not lines`);
  for (const line of lines) console.log(String(line));
}

async function main(): Promise<void> {
  const hardLimit = setTimeout(() => {
    console.error('bench:sla did not finish within 30 min');
    process.exit(1);
  }, 30 * 60_000);
  hardLimit.unref();
  // The history half (bench/slaEvents.ts) runs a worker: only its warnings, not its INFO lines.
  Runtime.install({ logger: new DefaultLogger('WARN') });
  const servers = await startTemporaryServers({ prefix: 'complaint-bpm-bench-sla-' });
  const log = createLogger('silent');
  const closers: Array<() => Promise<void>> = [];
  try {
    const client = new Client({ connection: await Connection.connect({ address: servers.temporalAddress }), namespace: 'default' });
    closers.push(() => client.connection.close());
    const mongo = await connectMongo(servers.mongoUri, 'bench_sla');
    closers.push(() => mongo.close());
    const sla = slaModels(mongo);
    const projections = projectionModels(mongo);
    await Promise.all([sla.clocks.init(), projections.instances.init(), projections.elementEvents.init()]);

    const now = Date.now();
    const next = random(42);
    let started = performance.now();
    for (let i = 0; i < CLOCKS; i += BATCH) {
      const batch = Array.from({ length: Math.min(BATCH, CLOCKS - i) }, (_, k) => clock(i + k, now, next));
      await sla.clocks.insertMany(batch, { ordered: false, lean: true });
      if ((i + BATCH) % 10_000 === 0 || i + BATCH >= CLOCKS) console.log(`# inserted ${Math.min(i + BATCH, CLOCKS)} / ${CLOCKS} clocks`);
    }
    console.log(`sla_clocks_insert: ${round((performance.now() - started) / 1000)} s`);
    const heat = Array.from({ length: HEAT_INSTANCES }, (_, i) => instanceWithEvents(i, now, next));
    await projections.instances.insertMany(heat.map((h) => h.instance), { ordered: false, lean: true });
    const events = heat.flatMap((h) => h.events);
    for (let i = 0; i < events.length; i += BATCH) await projections.elementEvents.insertMany(events.slice(i, i + BATCH), { ordered: false, lean: true });
    console.log(`# inserted ${HEAT_INSTANCES} instances with ${events.length} element events`);

    // Before: the overview's counts as one query on FerretDB (what every request would cost).
    started = performance.now();
    const from = new Date(now - 14 * 86_400_000);
    await sla.clocks.aggregate([{ $match: { startedAt: { $gte: from } } }, { $group: { _id: { s: '$state', d: '$department' }, n: { $sum: 1 } } }]);
    console.log(`sla_overview_db_scan: ${round(performance.now() - started)} ms`);

    // The first overview waits for the whole first read (it would answer 503 after 10 s), so
    // that read is timed over HTTP as `sla_index_first_read`.
    const service = createSlaService({ mongo, log, indexRefreshMs: 0, indexWaitMs: 15 * 60_000 });
    closers.push(() => Promise.resolve(service.stop()));
    const auth = createAuthService({ mongo, log, hashParams: CHEAP_HASH });
    const app = createApp({ log, health: createHealthCheck({ temporal: client, mongo, taskQueue: 'bench-sla' }), mongo, auth, sla: service });
    const server = await serve(app);
    closers.push(server.close);
    await auth.createUser({ email: 'ops@bench.test', name: 'Operations', password: 'bench-password', roles: ['operator'] });
    const login = await apiClient(server.url)<{ token: string }>('POST', '/api/auth/login', { email: 'ops@bench.test', password: 'bench-password' });
    if (login.status !== 200) throw new Error(`login answered ${login.status}`);
    const api = apiClient(server.url, login.body.token);

    // The first call reads every clock into the index.
    const [first] = await timed(api, () => '/api/sla/overview', 1);
    console.log(`sla_index_first_read: ${round(first!)} ms`);
    const departments = ['after-sales', 'technical', 'finance', 'logistics'];
    report('sla_overview', await timed(api, (n) => (n % 2 ? '/api/sla/overview' : `/api/sla/overview?department=${departments[n % 4]}`), CALLS));
    // The breach-next list at its longest (200), with a one-day period so the counts are small.
    const lastDay = new Date(now - 86_400_000).toISOString();
    report('sla_breaching_next', await timed(api, (n) => `/api/sla/overview?limit=200&from=${lastDay}${n % 2 ? '' : '&department=technical'}`, CALLS));
    // Heat map: the first call of a period reads FerretDB, repeats within 30 s are served from the cache.
    const heatFrom = new Date(now - 14 * 86_400_000).toISOString();
    const cold = await timed(api, (n) => `/api/sla/heatmap?definitionKey=${DEFINITION_KEY}&version=1&from=${heatFrom}&to=${new Date(now + n).toISOString()}`, 3);
    console.log(`sla_heatmap_cold_max: ${round(Math.max(...cold))} ms`);
    report('sla_heatmap', await timed(api, () => `/api/sla/heatmap?definitionKey=${DEFINITION_KEY}&version=1&from=${heatFrom}&to=${new Date(now).toISOString()}`, CALLS));
  } finally {
    for (const close of closers.reverse()) await close().catch(() => undefined);
    await servers.stop();
  }
  // After the servers above are gone: it starts servers and a worker of its own.
  await slaEventLines();
}

main().catch((err: unknown) => {
  console.error(err instanceof Error ? err.stack ?? err.message : err);
  process.exit(1);
});
