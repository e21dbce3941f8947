/**
 * What bench:complaints prints: `name: value unit` lines (the figures README quotes), the
 * per-step timings behind them, and a `# bottleneck:` line naming the component that used
 * the most CPU and where the intake-to-visible time went.
 */
import os from 'node:os';
import { DefaultLogger } from '@temporalio/worker';
import type { FlushObserver } from '../../server/projections/writer';
import { percentile, type CpuSample } from './stats';

const round = (n: number, digits = 1) => (Number.isFinite(n) ? Number(n.toFixed(digits)) : 'n/a');

/** Per-step timings gathered during the run (ms). */
export interface StepTimings {
  /** Intake answered → Dispatch task listed in the inbox (the headline figure). */
  visibleMs: number[];
  /** Intake answered → the workflow opened the task (task.createdAt, wall clock). */
  openedMs: number[];
  /** POST /api/complaints round trip. */
  intakeMs: number[];
  /** GET /api/tasks of the dispatch inbox, round trip (all pages). */
  inboxQueryMs: number[];
  /** Projection flushes: duration, and how long its oldest snapshot waited for it. */
  flushMs: number[];
  flushWaitMs: number[];
  flushInstances: number[];
}

export const stepTimings = (): StepTimings => ({ visibleMs: [], openedMs: [], intakeMs: [], inboxQueryMs: [], flushMs: [], flushWaitMs: [], flushInstances: [] });

/** The projection writer's flush timings into `t`. */
export const flushRecorder = (t: StepTimings): FlushObserver => ({
  flushed({ instances, ms, waitedMs }) {
    t.flushMs.push(ms);
    t.flushWaitMs.push(waitedMs);
    t.flushInstances.push(instances);
  },
});

export interface RunTotals {
  rate: number;
  opened: number;
  closed: number;
  throughput: number;
  tasksCompleted: number;
  evaluations: number;
  unclassified: number;
  httpErrors: Map<string, number>;
  /** Counted in the worker's log and FerretDB's log. */
  sqliteBusy: number;
  lockTimeouts: number;
  cpu: CpuSample;
  wallS: number;
}

export function printReport(t: StepTimings, r: RunTotals): void {
  const p = (values: number[], q: number) => round(percentile(values, q));
  const cpuTotal = r.cpu.ferretdb + r.cpu.temporal + r.cpu.node;
  const share = (s: number) => round((100 * s) / cpuTotal);
  const errors = [...r.httpErrors.values()].reduce((a, b) => a + b, 0);
  const mean = (values: number[]) => (values.length ? values.reduce((a, b) => a + b, 0) / values.length : NaN);
  const lines: Array<[string, number | string, string]> = [
    ['intake_to_visible_task_p50', p(t.visibleMs, 50), 'ms'],
    ['intake_to_visible_task_p99', p(t.visibleMs, 99), 'ms'],
    ['lifecycles_per_second', round(r.throughput, 2), '/s'],
    ['complaints_opened', r.opened, ''],
    ['lifecycles_completed', r.closed, ''],
    ['cpu_share_ferretdb', share(r.cpu.ferretdb), '%'],
    ['cpu_share_temporal', share(r.cpu.temporal), '%'],
    ['cpu_share_worker_api', share(r.cpu.node), '%'],
    // Where the intake-to-visible time goes.
    ['intake_to_task_opened_p50', p(t.openedMs, 50), 'ms'],
    ['intake_to_task_opened_p99', p(t.openedMs, 99), 'ms'],
    ['projection_flush_p50', p(t.flushMs, 50), 'ms'],
    ['projection_flush_p99', p(t.flushMs, 99), 'ms'],
    ['projection_flush_wait_p99', p(t.flushWaitMs, 99), 'ms'],
    ['projection_flush_instances_mean', round(mean(t.flushInstances), 2), ''],
    ['projection_flushes', t.flushMs.length, ''],
    ['inbox_query_p50', p(t.inboxQueryMs, 50), 'ms'],
    ['inbox_query_p99', p(t.inboxQueryMs, 99), 'ms'],
    ['intake_latency_p50', p(t.intakeMs, 50), 'ms'],
    ['intake_latency_p99', p(t.intakeMs, 99), 'ms'],
    ['tasks_completed', r.tasksCompleted, ''],
    ['evaluations', r.evaluations, ''],
    ['unexpected_http_answers', errors, ''],
    ['sqlite_busy_errors', r.sqliteBusy, ''],
    ['document_lock_timeouts', r.lockTimeouts, ''],
    ['closed_without_classification', r.unclassified, ''],
    ['cpu_cores_busy', round(cpuTotal / r.wallS, 2), `cores (of ${os.cpus().length}, over ${round(r.wallS)} s)`],
  ];
  for (const [name, value, unit] of lines) console.log(`${name}: ${value}${unit ? ` ${unit}` : ''}`);
  for (const [what, n] of r.httpErrors) console.log(`# unexpected: ${what} × ${n}`);

  const parts: Array<[string, number]> = [['ferretdb', r.cpu.ferretdb], ['temporal', r.cpu.temporal], ['worker+api', r.cpu.node]];
  const [top, topCpu] = parts.sort((a, b) => b[1] - a[1])[0]!;
  const saturated = cpuTotal / r.wallS >= 0.85 * os.cpus().length;
  const keptUp = r.closed >= r.opened && r.throughput >= 0.9 * r.rate;
  console.log(`# bottleneck: ${top} (${share(topCpu)}% of the CPU used; ${round(cpuTotal / r.wallS, 2)} of ${os.cpus().length} cores busy${saturated ? ', CPU saturated' : ''}; `
    + `${keptUp ? 'kept up with' : 'fell behind'} ${r.rate}/s; visible p50 ${p(t.visibleMs, 50)} ms = workflow opened the task ${p(t.openedMs, 50)} ms `
    + `+ projection flush (p50 ${p(t.flushMs, 50)} ms) + inbox poll (query p50 ${p(t.inboxQueryMs, 50)} ms))`);
}

/** The worker's log: counts SQLITE_BUSY and document-lock timeouts, prints only the first few lines. */
export function countingWorkerLog() {
  const counts = { sqliteBusy: 0, lockTimeouts: 0, printed: 0 };
  const logger = new DefaultLogger('WARN', (entry) => {
    const text = `${entry.message} ${JSON.stringify(entry.meta ?? {}, (_k, v: unknown) => (v instanceof Error ? `${v.name}: ${v.message}` : v))}`;
    if (text.includes('SQLITE_BUSY')) counts.sqliteBusy += 1;
    if (text.includes('LockTimeout')) counts.lockTimeouts += 1;
    if (counts.printed++ < 5) console.error(`[worker ${entry.level}] ${text.slice(0, 400)}`);
  });
  return { logger, counts };
}
