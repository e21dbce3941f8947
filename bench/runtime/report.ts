/**
 * The `name: value unit` lines of bench:runtime: per variant what its histories hold and what
 * its worker spent, the ratios to the hand-written workflow, the adapter's work outside
 * Temporal and, when profiled, where each thread's time went.
 */
import os from 'node:os';
import type { Client } from '@temporalio/client';
import { temporal } from '@temporalio/proto';
import type { measureAdapterCost } from './adapterCost';
import type { Breakdown } from './profile';
import type { ThreadCpu } from './threads';
import type { Variant } from './worker';

export const LABEL: Record<Variant, string> = { hand: 'hand-written', 'hand-local': 'hand-written local', bpmn: 'bpmn', 'bpmn-no-projections': 'bpmn without projections' };

export interface VariantResult {
  wallMs: number;
  worker: ThreadCpu;
  clientCpuMs: number;
  sinkCalls: number;
  /** Instances whose histories are read: up to 10, spread over the measured ones. */
  sampleIds: string[];
  profile?: Breakdown;
}

export interface RunSettings { instances: number; concurrency: number; warmup: number; rounds: number }

type Line = [string, number | string, string];

/** What one instance's history holds. */
async function historyOf(client: Client, id: string) {
  const h = await client.workflow.getHandle(id).fetchHistory();
  const events = h.events ?? [];
  return {
    events: events.length,
    workflowTasks: events.filter((e) => e.workflowTaskStartedEventAttributes).length,
    // A workflow task that timed out or failed (a loaded machine) adds events of its own.
    retriedTasks: events.filter((e) => e.workflowTaskTimedOutEventAttributes || e.workflowTaskFailedEventAttributes).length,
    bytes: temporal.api.history.v1.History.encode(h).finish().length,
    inputBytes: (events[0]?.workflowExecutionStartedEventAttributes?.input?.payloads ?? []).reduce((n, p) => n + (p.data?.length ?? 0), 0),
  };
}

const median = (xs: number[]) => [...xs].sort((a, b) => a - b)[Math.floor(xs.length / 2)] ?? 0;

export async function reportLines(
  client: Client,
  results: Map<Variant, VariantResult>,
  adapter: ReturnType<typeof measureAdapterCost>,
  { instances, concurrency, warmup, rounds }: RunSettings,
): Promise<Line[]> {
  const lines: Line[] = [['instances', instances, `per variant (concurrency ${concurrency}, warm-up ${warmup}, ${rounds} rounds; load average at the end ${os.loadavg().map((l) => l.toFixed(2)).join(', ')})`]];
  const per = (ms: number) => Number((ms / instances).toFixed(2));
  for (const [variant, r] of results) {
    const hs = await Promise.all(r.sampleIds.map((id) => historyOf(client, id)));
    const name = LABEL[variant];
    const sample = `(median of ${hs.length} instances; max ${Math.max(...hs.map((h) => h.events))}, workflow tasks timed out or failed: ${hs.reduce((n, h) => n + h.retriedTasks, 0)})`;
    lines.push(
      [`history events per instance (${name})`, median(hs.map((h) => h.events)), `events ${sample}`],
      [`workflow tasks per instance (${name})`, median(hs.map((h) => h.workflowTasks)), 'tasks'],
      [`history bytes per instance (${name})`, median(hs.map((h) => h.bytes)), 'bytes'],
      [`workflow input bytes (${name})`, median(hs.map((h) => h.inputBytes)), 'bytes'],
      [`wall time (${name})`, Math.round(r.wallMs), 'ms'],
      [`worker CPU (${name})`, Math.round(r.worker.totalMs), 'ms'],
      [`worker CPU per instance (${name})`, per(r.worker.totalMs), 'ms'],
      [`  workflow thread per instance (${name})`, per(r.worker.workflowMs), 'ms'],
      [`  main thread per instance (${name})`, per(r.worker.mainMs), 'ms'],
      [`  Temporal core threads per instance (${name})`, per(r.worker.coreMs), 'ms'],
      [`  GC/JIT helper threads per instance (${name})`, per(r.worker.otherMs), 'ms'],
      [`sink calls per instance (${name})`, per(r.sinkCalls), 'calls'],
      [`client/API process CPU per instance (${name})`, per(r.clientCpuMs), 'ms'],
    );
  }
  // Against both baselines: the BPMN runs this job as a local activity, so `hand-local` is like with like.
  for (const baseline of ['hand', 'hand-local'] as const) {
    const base = results.get(baseline);
    for (const variant of ['bpmn', 'bpmn-no-projections'] as const) {
      const r = results.get(variant);
      if (!base || !r) continue;
      lines.push(
        [`wall time ratio ${LABEL[variant]}/${LABEL[baseline]}`, Number((r.wallMs / base.wallMs).toFixed(3)), 'x'],
        [`worker CPU ratio ${LABEL[variant]}/${LABEL[baseline]}`, Number((r.worker.totalMs / base.worker.totalMs).toFixed(3)), 'x'],
      );
    }
  }
  const bpmn = results.get('bpmn');
  const bare = results.get('bpmn-no-projections');
  if (bpmn && bare) lines.push(['projection writing per instance (bpmn minus bpmn without projections)', per(bpmn.worker.totalMs - bare.worker.totalMs), 'ms']);
  const like = results.get('hand-local') ? 'hand-local' as const : 'hand' as const;
  const likeResult = results.get(like);
  if (bare && likeResult) lines.push([`workflow thread extra per instance (bpmn without projections minus ${LABEL[like]})`, per(bare.worker.workflowMs - likeResult.worker.workflowMs), 'ms']);
  lines.push(
    ['adapter work outside Temporal: stimuli per instance', adapter.stimuliPerInstance, 'stimuli'],
    ['adapter work outside Temporal: evaluator step per instance', Math.round(adapter.stepUs), 'µs CPU'],
    ['adapter work outside Temporal: views and snapshots per instance', Math.round(adapter.viewUs), 'µs CPU'],
    ['adapter work outside Temporal: snapshot clones to the main thread per instance', Math.round(adapter.cloneUs), 'µs CPU'],
    ['snapshot JSON per instance', adapter.snapshotJsonBytesPerInstance, `bytes (${adapter.snapshotsPerInstance} snapshots)`],
    ['model JSON', adapter.modelJsonBytes, 'bytes (in the first history event; sent to the worker with the first activation only)'],
  );
  for (const [variant, r] of results) {
    if (!r.profile) continue;
    for (const thread of ['workflow', 'main'] as const) {
      const entries = Object.entries(r.profile[thread]).sort((a, b) => b[1] - a[1]);
      const total = entries.reduce((n, [, ms]) => n + ms, 0);
      lines.push([`profile ${thread} thread per instance (${LABEL[variant]})`, per(total), 'ms (profiled)']);
      for (const [category, ms] of entries) {
        if (ms / total < 0.01) continue;
        lines.push([`  ${category} (${LABEL[variant]}, ${thread})`, per(ms), `ms (${Math.round((100 * ms) / total)} %)`]);
      }
    }
  }
  return lines;
}
