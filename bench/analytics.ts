/**
 * bench:analytics — the workload, drivers and forecast API on the rollups of 100,000
 * complaints (a year, simulated as `npm run seed` does: server/analytics/history.ts) in
 * FerretDB on PostgreSQL. Starts its own servers (temp folder), writes the rollups, serves the
 * API on loopback and calls it over HTTP; then feeds the recorder complaint changes to time
 * the write side.
 *
 *   npm run build && npm run bench:analytics
 *   BENCH_COMPLAINTS (default 100000), BENCH_CALLS (default 50), BENCH_RECORDED (default 200)
 *
 * Prints `name: value unit` lines; the target is p95 < 500 ms for the workload (issue 15).
 */
import { createAnalyticsRecorder } from '../server/analytics/recorder';
import { createAnalyticsService } from '../server/analytics/service';
import { historyRollups, seedAnalyticsHistory, type HistoryOptions } from '../server/analytics/history';
import { createAuthService } from '../server/auth/service';
import type { ComplaintRecord } from '../server/complaints/model';
import { connectMongo } from '../server/db/mongo';
import { demoDirectory, DEMO_REGIONS } from '../server/domain/seed/demo';
import { createApp } from '../server/http/app';
import { startTemporaryServers } from '../server/infra/temporaryServers';
import { createLogger } from '../server/log';
import { apiClient, serve, type Api } from './complaints/http';
import { percentile } from './complaints/stats';

const positive = (name: string, fallback: number) => {
  const value = Number(process.env[name] ?? fallback);
  if (!Number.isInteger(value) || value <= 0) throw new Error(`${name} must be a positive integer, not '${process.env[name]}'`);
  return value;
};
const COMPLAINTS = positive('BENCH_COMPLAINTS', 100_000);
const CALLS = positive('BENCH_CALLS', 50);
const RECORDED = positive('BENCH_RECORDED', 200);
const CHEAP_HASH = { N: 2 ** 10, r: 8, p: 1 };
const DAY_MS = 86_400_000;
const round = (n: number) => Number(n.toFixed(1));
const day = (ms: number) => new Date(ms).toISOString().slice(0, 10);

async function timed(api: Api, pathOf: (n: number) => string, calls: number): Promise<number[]> {
  const times: number[] = [];
  for (let n = 0; n < calls; n++) {
    const started = performance.now();
    const res = await api('GET', pathOf(n));
    times.push(performance.now() - started);
    if (res.status !== 200) throw new Error(`GET ${pathOf(n)} answered ${res.status}: ${JSON.stringify(res.body).slice(0, 300)}`);
  }
  return times;
}

const report = (name: string, times: number[]) => {
  console.log(`${name}_p50: ${round(percentile(times, 50))} ms`);
  console.log(`${name}_p95: ${round(percentile(times, 95))} ms`);
};

/** A complaint that reached every milestone at once: intake, assignment, close and an evaluation. */
function finished(i: number, engineers: readonly string[]): ComplaintRecord {
  const at = new Date(Date.now() - (i % 20) * 3_600_000);
  return {
    _id: `cmp-bench-${i}`, channel: 'app', customerId: `cust-${String((i % 30) + 1).padStart(3, '0')}`, customerTier: 'standard', product: 'fridge',
    title: 't', description: 'd', location: null, photos: [], category: 'refrigeration', severity: 'medium', departments: ['technical'],
    engineer: engineers[i % engineers.length]!, status: 'closed', instanceId: null, commitments: [], attachments: [], timeline: [], reopenCount: 0,
    evaluations: [{ id: `ev-${i}`, stars: 1 + (i % 5), tags: i % 5 < 2 ? ['slow'] : [], comment: null, engineerId: null, at, state: 'delivered' }],
    rev: 3, createdAt: new Date(at.getTime() - 2 * DAY_MS), updatedAt: at,
  };
}

async function main(): Promise<void> {
  const hardLimit = setTimeout(() => {
    console.error('bench:analytics did not finish within 30 min');
    process.exit(1);
  }, 30 * 60_000);
  hardLimit.unref();
  const servers = await startTemporaryServers({ prefix: 'complaint-bpm-bench-analytics-' });
  const log = createLogger('silent');
  const closers: Array<() => Promise<void>> = [];
  try {
    const mongo = await connectMongo(servers.mongoUri, 'bench_analytics');
    closers.push(() => mongo.close());
    const directory = demoDirectory();
    const engineers = directory.staff.filter((s) => s.roles.includes('engineer'));
    const history: HistoryOptions = {
      end: day(Date.now() - DAY_MS), days: 365, perDay: COMPLAINTS / 365, regions: DEMO_REGIONS,
      engineers: engineers.map((s) => ({ id: s._id, outlet: s.outletId })),
    };
    let started = performance.now();
    const docs = historyRollups(history);
    const simulated = docs.filter((d) => d.grain === 'day' && d.dim === 'all').reduce((n, d) => n + Object.values(d.c).reduce((m, c) => m + (c.in ?? 0), 0), 0);
    console.log(`# simulated ${simulated} complaints in ${round((performance.now() - started) / 1000)} s`);
    started = performance.now();
    const written = await seedAnalyticsHistory(mongo, history);
    console.log(`analytics_complaints: ${simulated} complaints`);
    console.log(`analytics_rollup_documents: ${written} documents`);
    console.log(`analytics_rollups_insert: ${round((performance.now() - started) / 1000)} s`);

    const analytics = createAnalyticsService(mongo);
    const auth = createAuthService({ mongo, log, hashParams: CHEAP_HASH });
    const health = async () => ({ status: 'ok' as const, temporal: 'ok' as const, mongo: 'ok' as const, worker: 'ok' as const });
    const server = await serve(createApp({ log, health, mongo, auth, analytics }));
    closers.push(server.close);
    await auth.createUser({ email: 'head@bench.test', name: 'Head', password: 'bench-password', roles: ['department_head'] });
    const login = await apiClient(server.url)<{ token: string }>('POST', '/api/auth/login', { email: 'head@bench.test', password: 'bench-password' });
    if (login.status !== 200) throw new Error(`login answered ${login.status}`);
    const api = apiClient(server.url, login.body.token);

    const dims = ['department', 'outlet', 'engineer'];
    const categories = ['', 'air-conditioning', 'refrigeration', 'billing'];
    const regions = ['', ...DEMO_REGIONS.slice(0, 3)];
    const workload = (days: number) => (n: number) =>
      `/api/analytics/workload?dim=${dims[n % 3]}&from=${day(Date.now() - (days - 1) * DAY_MS)}&category=${categories[n % 4]}&region=${encodeURIComponent(regions[(n >> 2) % 4]!)}`.replace(/&(category|region)=(?=&|$)/g, '');
    // The first calls read the settled months once (then kept in memory): timed on their own.
    const first = await timed(api, workload(365), 3);
    console.log(`analytics_workload_first_365d_max: ${round(Math.max(...first))} ms`);
    report('analytics_workload_30d', await timed(api, workload(30), CALLS));
    report('analytics_workload_90d', await timed(api, workload(90), CALLS));
    report('analytics_workload_365d', await timed(api, workload(365), CALLS));
    const csv: number[] = [];
    for (let n = 0; n < CALLS; n++) {
      const begun = performance.now();
      const res = await fetch(`${server.url}${workload(30)(n).replace('/workload?', '/workload.csv?')}`, { headers: { authorization: `Bearer ${login.body.token}` } });
      await res.text();
      csv.push(performance.now() - begun);
      if (res.status !== 200) throw new Error(`the CSV export answered ${res.status}`);
    }
    report('analytics_workload_csv_30d', csv);
    report('analytics_drivers_30d', await timed(api, (n) => `/api/analytics/drivers?from=${day(Date.now() - 29 * DAY_MS)}${n % 2 ? '&category=billing' : ''}`, CALLS));
    // The forecast reads two years of days and fits one model per category and region; cached a minute per query.
    const cold = await timed(api, (n) => `/api/analytics/forecast?serviceLevel=${0.8 + n / 100}`, 3);
    console.log(`analytics_forecast_cold_max: ${round(Math.max(...cold))} ms`);
    report('analytics_forecast_cached', await timed(api, () => '/api/analytics/forecast?serviceLevel=0.8', CALLS));

    // The write side: complaint changes counted by the recorder (facts claim + $inc upserts).
    const recorder = createAnalyticsRecorder(mongo, log);
    started = performance.now();
    for (let i = 0; i < RECORDED; i++) recorder.complaintChanged(finished(i, engineers.map((e) => e._id)));
    await recorder.drain();
    const ms = performance.now() - started;
    console.log(`analytics_record_complaint_mean: ${round(ms / RECORDED)} ms`);
  } finally {
    for (const close of closers.reverse()) await close().catch(() => undefined);
    await servers.stop();
  }
}

main().catch((err: unknown) => {
  console.error(err instanceof Error ? err.stack ?? err.message : err);
  process.exit(1);
});
