/**
 * What bench:complaints prints per rate: `name: value unit` lines (the figures README quotes),
 * CPU per process, the per-step timings behind them and a `# bottleneck:` line; after a sweep
 * one summary line per rate, `sweep_max_rate` and `sweep_saturated_process`.
 */
import os from 'node:os';
import { capacityFigures } from './capacity';
import type { ProcessCpu } from './cpu';
import type { PeopleResult, ServiceResult } from './protocol';
import { percentile } from './stats';

const round = (n: number, digits = 1) => (Number.isFinite(n) ? Number(n.toFixed(digits)) : 'n/a');
const mean = (values: number[]) => (values.length ? values.reduce((a, b) => a + b, 0) / values.length : NaN);

/** The visible p99 a rate must stay within to pass (and every lifecycle filed must close). */
export const VISIBLE_P99_TARGET_MS = 1000;

/** Process names that are the bench's own work, not the service's. */
export const BENCH_PROCESSES = new Set(['load_generator', 'orchestrator']);

export interface RateRun {
  rate: number;
  people: PeopleResult;
  service: ServiceResult;
  cpu: { wallS: number; processes: Map<string, ProcessCpu> };
  /** SQLITE_BUSY in the servers' logs. */
  serverLogBusy: number;
  preloaded: { complaints: number; instances: number; tasks: number; seconds: number } | null;
}

export interface RateOutcome {
  rate: number;
  passed: boolean;
  why: string;
  visibleP99: number;
  busiest: string;
  busiestShare: number;
  coresBusy: number;
}

/** Prints the figures of one rate and returns what the sweep needs. */
export function printRate(run: RateRun): RateOutcome {
  const { service: s, cpu } = run;
  // NaN crosses the IPC channel (JSON) as null.
  const r = { ...run.people, throughput: run.people.throughput ?? NaN, unclassified: run.people.unclassified ?? NaN };
  const p = (values: number[], q: number) => round(percentile(values, q));
  const total = [...cpu.processes.values()].reduce((a, c) => a + c.seconds, 0);
  const service = [...cpu.processes].filter(([name]) => !BENCH_PROCESSES.has(name)).reduce((a, [, c]) => a + c.seconds, 0);
  const share = (seconds: number) => (total > 0 ? (100 * seconds) / total : NaN);
  const byCpu = [...cpu.processes].sort((a, b) => b[1].seconds - a[1].seconds);
  const errors = r.httpErrors.reduce((a, [, n]) => a + n, 0);
  const visibleP99 = percentile(r.visibleMs, 99);
  const lines: Array<[string, number | string, string]> = [
    ['bench_rate', run.rate, 'complaints/s'],
    ...(run.preloaded ? [
      ['preloaded_complaints', run.preloaded.complaints, 'count'],
      ['preloaded_tasks', run.preloaded.tasks, 'count'],
      ['preload_seconds', round(run.preloaded.seconds), 's'],
    ] as Array<[string, number, string]> : []),
    ['intakes_sent', r.sent, 'count'],
    ['intakes_answered', r.answered, 'count'],
    ['intake_latency_p50', p(r.intakeMs, 50), 'ms'],
    ['intake_latency_p99', p(r.intakeMs, 99), 'ms'],
    ['intake_to_visible_task_p50', p(r.visibleMs, 50), 'ms'],
    ['intake_to_visible_task_p99', p(r.visibleMs, 99), 'ms'],
    ['lifecycles_filed', r.filed, 'count'],
    ['lifecycles_completed', r.closed, 'count'],
    ['lifecycles_per_second', round(r.throughput, 2), '/s'],
    ['cpu_cores_busy', round(total / cpu.wallS, 2), `cores (of ${os.cpus().length}, over ${round(cpu.wallS)} s)`],
    ['cpu_cores_busy_service', round(service / cpu.wallS, 2), 'cores'],
    // What one lifecycle costs: the service's CPU and its database commands per complaint filed.
    ['cpu_seconds_service_per_lifecycle', r.filed > 0 ? round(service / r.filed, 3) : NaN, 'core-s'],
    ['db_commands', s.dbCommands, 'count'],
    ['db_commands_per_lifecycle', r.filed > 0 ? round(s.dbCommands / r.filed) : NaN, 'count'],
    ...byCpu.map(([name, c]) => [`cpu_${name}`, round(c.seconds / cpu.wallS, 2), 'cores'] as [string, number | string, string]),
    ...byCpu.map(([name, c]) => [`cpu_share_${name}`, round(share(c.seconds)), '%'] as [string, number | string, string]),
    // Where the intake-to-visible time goes.
    ['intake_to_task_opened_p50', p(r.openedMs, 50), 'ms'],
    ['intake_to_task_opened_p99', p(r.openedMs, 99), 'ms'],
    ['projection_flush_p50', p(s.flushMs, 50), 'ms'],
    ['projection_flush_p99', p(s.flushMs, 99), 'ms'],
    ['projection_flush_wait_p99', p(s.flushWaitMs, 99), 'ms'],
    ['projection_flush_instances_mean', round(mean(s.flushInstances), 2), 'count'],
    ['projection_flushes', s.flushMs.length, 'count'],
    ['inbox_query_p50', p(r.inboxQueryMs, 50), 'ms'],
    ['inbox_query_p99', p(r.inboxQueryMs, 99), 'ms'],
    ['tasks_completed', r.tasksCompleted, 'count'],
    ['evaluations', r.evaluations, 'count'],
    ['unexpected_http_answers', errors, 'count'],
    ['sqlite_busy_errors', s.sqliteBusy + run.serverLogBusy, 'count'],
    ['document_lock_timeouts', s.lockTimeouts, 'count'],
    ['closed_without_classification', r.unclassified, 'count'],
    ...capacityFigures({
      rate: run.rate, filed: r.filed, closed: r.closed, dbCommands: s.dbCommands, cores: os.cpus().length,
      cpuSeconds: new Map([...cpu.processes].filter(([name]) => !BENCH_PROCESSES.has(name)).map(([name, c]) => [name, c.seconds])),
    }),
  ];
  for (const [name, value, unit] of lines) console.log(`${name}: ${value}${unit ? ` ${unit}` : ''}`);
  for (const [what, n] of r.httpErrors) console.log(`# unexpected: ${what} × ${n}`);
  for (const [name, c] of byCpu) {
    const comms = [...c.byComm].filter(([, sec]) => sec > 0.05).sort((a, b) => b[1] - a[1]).map(([comm, sec]) => `${comm} ${round(sec)} s`);
    console.log(`# cpu: ${name} ${round(c.seconds)} s in ${c.count} process${c.count === 1 ? '' : 'es'}${comms.length > 1 ? ` (${comms.join(', ')})` : ''}`);
  }

  const [top, topCpu] = byCpu.find(([name]) => !BENCH_PROCESSES.has(name)) ?? ['none', { seconds: 0 }];
  const saturated = total / cpu.wallS >= 0.85 * os.cpus().length;
  const failures = [
    ...(Number.isFinite(visibleP99) ? (visibleP99 > VISIBLE_P99_TARGET_MS ? [`visible p99 ${round(visibleP99)} ms > ${VISIBLE_P99_TARGET_MS} ms`] : []) : ['no task seen']),
    ...(r.closed < r.sent ? [`${r.closed} of ${r.sent} lifecycles closed`] : []),
  ];
  console.log(`# target (visible p99 ≤ ${VISIBLE_P99_TARGET_MS} ms, every lifecycle closed by the end of the drain): ${failures.length ? `missed: ${failures.join('; ')}` : 'met'}`);
  console.log(`# bottleneck: ${top} (${round(share(topCpu.seconds))}% of the CPU used; ${round(total / cpu.wallS, 2)} of ${os.cpus().length} cores busy${saturated ? ', CPU saturated' : ''}; `
    + `visible p50 ${p(r.visibleMs, 50)} ms = workflow opened the task ${p(r.openedMs, 50)} ms `
    + `+ projection flush (p50 ${p(s.flushMs, 50)} ms) + inbox poll (query p50 ${p(r.inboxQueryMs, 50)} ms))`);
  for (const line of s.dbLines) console.log(line);
  const [busiest, busiestCpu] = byCpu[0] ?? ['none', { seconds: 0 }];
  return {
    rate: run.rate, passed: failures.length === 0, why: failures.join('; '), visibleP99,
    busiest, busiestShare: share(busiestCpu.seconds), coresBusy: total / cpu.wallS,
  };
}

/**
 * The sweep's verdict: the highest rate that passed, and the busiest process (CPU share, the
 * bench's own processes included) at the first rate that failed.
 */
export function printSweep(outcomes: RateOutcome[]): void {
  for (const o of outcomes) {
    console.log(`# sweep: ${o.rate}/s ${o.passed ? 'passed' : `failed (${o.why})`}; visible p99 ${round(o.visibleP99)} ms; `
      + `${round(o.coresBusy, 2)} cores busy, busiest ${o.busiest} (${round(o.busiestShare)} %)`);
  }
  const passed = outcomes.filter((o) => o.passed).map((o) => o.rate);
  const firstFailed = [...outcomes].sort((a, b) => a.rate - b.rate).find((o) => !o.passed);
  console.log(`sweep_max_rate: ${passed.length ? Math.max(...passed) : 0} complaints/s`);
  console.log(`sweep_saturated_process: ${firstFailed ? firstFailed.busiest : 'none'}`);
  if (!firstFailed) console.log('# sweep: every rate passed; raise the rates to find the limit');
  else if (passed.some((rate) => rate > firstFailed.rate)) console.log(`# sweep: ${firstFailed.rate}/s failed but a higher rate passed (noise of a shared machine?)`);
}
