/**
 * bench:runtime — the same process on Temporal as BPMN run by our generic `processInstance`
 * workflow and as a hand-written workflow doing the same `runJob` activities and timer, and
 * where the BPMN worker's extra cost goes. Starts its own Temporal dev server and FerretDB in
 * a temp folder and stops them at the end.
 *
 *   npm run build && npm run bench:runtime          (BENCH_INSTANCES=40 for a quick run)
 *
 * Variants (BENCH_VARIANTS, default all three, in this order):
 *   hand                 the hand-written workflow (bench/runtime/handWritten.ts), its own bundle
 *   bpmn                 the BPMN, started through the instances service as the API does, with
 *                        the real projection writer behind the sink (FerretDB)
 *   bpmn-no-projections  the same with a sink that drops the snapshots: like with like against `hand`
 * Each variant gets a worker process of its own (bench/runtime/worker.ts), so "worker CPU" is
 * the worker's only, split by thread; a warm-up of BENCH_WARMUP instances (default 20) runs
 * before the measured ones, which run in BENCH_ROUNDS rounds (default 4), the variants taking
 * turns, so that a change of the machine's load hits them alike. BENCH_PROFILE=1 also profiles the workers (--cpu-prof) and
 * prints where each thread's time goes, by category (bench/runtime/profile.ts).
 *
 * Prints `name: value unit` lines.
 */
import { fork, type ChildProcess } from 'node:child_process';
import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { Client, Connection } from '@temporalio/client';
import { temporal } from '@temporalio/proto';
import { bundleWorkflowCode } from '@temporalio/worker';
import { connectMongo } from '../server/db/mongo';
import { startTemporaryServers } from '../server/infra/temporaryServers';
import { createLogger } from '../server/log';
import { workflowsPath } from '../server/worker';
import { workflowBundleOptions } from '../server/workflowBundle';
import { wireServices } from '../server/wiring';
import type { ProcessInstanceInput } from '../workflows/processInstance/types';
import { measureAdapterCost } from './runtime/adapterCost';
import { profileBreakdown, type Breakdown } from './runtime/profile';
import { cpuDelta, type ThreadCpu } from './runtime/threads';
import type { Variant, WorkerRequest, WorkerSetup } from './runtime/worker';

const INSTANCES = Number(process.env.BENCH_INSTANCES ?? 200);
const WARMUP = Number(process.env.BENCH_WARMUP ?? 20);
const ROUNDS = Math.max(1, Number(process.env.BENCH_ROUNDS ?? 4));
const CONCURRENCY = 20;
const PROFILE = process.env.BENCH_PROFILE === '1';
const VARIANTS = (process.env.BENCH_VARIANTS ?? 'hand,bpmn,bpmn-no-projections').split(',') as Variant[];

const task = (id: string, from: string, to: string) =>
  `<bpmn:serviceTask id="${id}"><bpmn:extensionElements><zeebe:taskDefinition type="variables.set" />` +
  `<zeebe:ioMapping><zeebe:input source="={ ${id}: true }" target="variables" /></zeebe:ioMapping></bpmn:extensionElements>` +
  `<bpmn:incoming>${from}</bpmn:incoming><bpmn:outgoing>${to}</bpmn:outgoing></bpmn:serviceTask>`;
const flow = (id: string, from: string, to: string) => `<bpmn:sequenceFlow id="${id}" sourceRef="${from}" targetRef="${to}" />`;

/** 10 service tasks: s1..s3, a parallel split of p1..p3, a PT1S timer, s4..s7. */
const BPMN = `<?xml version="1.0" encoding="UTF-8"?>
<bpmn:definitions xmlns:bpmn="http://www.omg.org/spec/BPMN/20100524/MODEL" xmlns:zeebe="http://camunda.org/schema/zeebe/1.0" id="defs" targetNamespace="http://example.com/bench">
  <bpmn:process id="bench-runtime" isExecutable="true">
    <bpmn:startEvent id="start"><bpmn:outgoing>f0</bpmn:outgoing></bpmn:startEvent>
    ${task('s1', 'f0', 'f1')}${task('s2', 'f1', 'f2')}${task('s3', 'f2', 'f3')}
    <bpmn:parallelGateway id="fork"><bpmn:incoming>f3</bpmn:incoming><bpmn:outgoing>fa</bpmn:outgoing><bpmn:outgoing>fb</bpmn:outgoing><bpmn:outgoing>fc</bpmn:outgoing></bpmn:parallelGateway>
    ${task('p1', 'fa', 'ja')}${task('p2', 'fb', 'jb')}${task('p3', 'fc', 'jc')}
    <bpmn:parallelGateway id="join"><bpmn:incoming>ja</bpmn:incoming><bpmn:incoming>jb</bpmn:incoming><bpmn:incoming>jc</bpmn:incoming><bpmn:outgoing>f4</bpmn:outgoing></bpmn:parallelGateway>
    <bpmn:intermediateCatchEvent id="wait"><bpmn:incoming>f4</bpmn:incoming><bpmn:outgoing>f5</bpmn:outgoing><bpmn:timerEventDefinition><bpmn:timeDuration>PT1S</bpmn:timeDuration></bpmn:timerEventDefinition></bpmn:intermediateCatchEvent>
    ${task('s4', 'f5', 'f6')}${task('s5', 'f6', 'f7')}${task('s6', 'f7', 'f8')}${task('s7', 'f8', 'f9')}
    <bpmn:endEvent id="end"><bpmn:incoming>f9</bpmn:incoming></bpmn:endEvent>
    ${flow('f0', 'start', 's1')}${flow('f1', 's1', 's2')}${flow('f2', 's2', 's3')}${flow('f3', 's3', 'fork')}
    ${flow('fa', 'fork', 'p1')}${flow('fb', 'fork', 'p2')}${flow('fc', 'fork', 'p3')}
    ${flow('ja', 'p1', 'join')}${flow('jb', 'p2', 'join')}${flow('jc', 'p3', 'join')}
    ${flow('f4', 'join', 'wait')}${flow('f5', 'wait', 's4')}${flow('f6', 's4', 's5')}${flow('f7', 's5', 's6')}${flow('f8', 's6', 's7')}
    ${flow('f9', 's7', 'end')}
  </bpmn:process>
</bpmn:definitions>`;

const LABEL: Record<Variant, string> = { hand: 'hand-written', bpmn: 'bpmn', 'bpmn-no-projections': 'bpmn without projections' };

interface VariantResult {
  wallMs: number;
  worker: ThreadCpu;
  clientCpuMs: number;
  sinkCalls: number;
  /** Instances whose histories are read: up to 10, spread over the measured ones. */
  sampleIds: string[];
  profile?: Breakdown;
}

/** Runs `total` instances, `CONCURRENCY` at a time; each start waits for its own result. */
async function pool(total: number, runOne: () => Promise<void>): Promise<void> {
  let next = 0;
  await Promise.all(Array.from({ length: Math.min(CONCURRENCY, total) }, async () => {
    while (next < total) {
      next += 1;
      await runOne();
    }
  }));
}

/** The worker process of one variant, with request/response over IPC. */
async function startWorker(setup: WorkerSetup, profileDir: string | null) {
  const child: ChildProcess = fork(path.join(__dirname, 'runtime', 'worker.js'), [], {
    execArgv: [...(profileDir ? ['--cpu-prof', `--cpu-prof-dir=${profileDir}`] : []), '--require', path.join(__dirname, 'runtime', 'threadTag.js')],
    env: { ...process.env, BENCH_RUNTIME_WORKER: JSON.stringify(setup) },
    stdio: ['ignore', 'inherit', 'inherit', 'ipc'],
  });
  const waiting = new Map<number, (body: Record<string, unknown>) => void>();
  let ids = 0;
  const ready = new Promise<void>((resolve, reject) => {
    child.once('exit', (code) => reject(new Error(`worker process (${setup.variant}) exited with ${code}`)));
    child.on('message', (m: { id: number; ready?: boolean } & Record<string, unknown>) => {
      if (m.ready) resolve();
      waiting.get(m.id)?.(m);
      waiting.delete(m.id);
    });
  });
  await ready;
  const request = <T>(type: WorkerRequest['type']) =>
    new Promise<T>((resolve) => {
      const id = ++ids;
      waiting.set(id, (body) => resolve(body as T));
      child.send({ id, type } satisfies WorkerRequest);
    });
  const exited = new Promise<void>((resolve) => child.once('exit', () => resolve()));
  return { request, stop: async () => { await request('stop'); await exited; } };
}

async function main(): Promise<void> {
  const work = fs.mkdtempSync(path.join(os.tmpdir(), 'complaint-bpm-bench-runtime-'));
  const silent = { info() {}, warn() {}, error: console.error, debug() {}, trace() {}, log() {} };
  // Each side its own bundle: the hand-written one does not load the evaluator and FEEL.
  const bundles = {
    bpmn: bundleWorkflowCode(process.env.BENCH_NO_PRELOAD === '1' ? { workflowsPath: workflowsPath(), logger: silent } : workflowBundleOptions(silent)),
    hand: bundleWorkflowCode({ workflowsPath: require.resolve('./runtime/handWritten'), logger: silent }),
  };
  const servers = await startTemporaryServers({ prefix: 'complaint-bpm-bench-' });
  try {
    const address = servers.temporalAddress;
    const client = new Client({ connection: await Connection.connect({ address }), namespace: 'default' });
    const mongo = await connectMongo(servers.mongoUri, 'bench');
    const bundlePaths = { bpmn: { path: path.join(work, 'bpmn-bundle.js') }, hand: { path: path.join(work, 'hand-bundle.js') } };
    fs.writeFileSync(bundlePaths.bpmn.path, (await bundles.bpmn).code);
    fs.writeFileSync(bundlePaths.hand.path, (await bundles.hand).code);

    // Instances are started as the HTTP API does (definition lookup, search attributes).
    const services = wireServices({ mongo, temporal: client, taskQueue: 'bench-bpmn', log: createLogger('silent'), bpmnMaxBytes: 2 * 1024 * 1024, allowedHosts: [] });
    await services.definitions.deploy({ bytes: Buffer.from(BPMN), resourceName: 'bench-runtime.bpmn' });
    const definition = await services.definitions.resolveDefinition('bench-runtime');
    const input: ProcessInstanceInput = { definition: { key: definition.key, version: definition.version }, model: definition.model as ProcessInstanceInput['model'], variables: { n: 1 } };

    // Every variant's worker runs throughout; the measured instances go in rounds, the order
    // of the variants turning each round, so that each variant meets the same machine load
    // (the machine is shared: a variant measured alone in a busy minute looks dearer).
    type Sample = { hrUs: number; cpu: ThreadCpu; sinkCalls: number };
    const runners = [];
    for (const variant of VARIANTS) {
      const taskQueue = `bench-${variant}`;
      const kind: 'hand' | 'bpmn' = variant === 'hand' ? 'hand' : 'bpmn';
      const profileDir = PROFILE ? path.join(work, `profile-${variant}`) : null;
      const worker = await startWorker({ variant, address, taskQueue, bundlePath: bundlePaths[kind].path, mongoUri: servers.mongoUri }, profileDir);
      const starter = variant === 'hand' ? null : wireServices({ mongo, temporal: client, taskQueue, log: createLogger('silent'), bpmnMaxBytes: 2 * 1024 * 1024, allowedHosts: [] });
      const ids: string[] = [];
      let started = 0;
      const runOne = async () => {
        if (starter) {
          const { instanceId } = await starter.instances.start('bench-runtime', { variables: { n: 1 } });
          ids.push(instanceId);
          await client.workflow.getHandle(instanceId).result();
        } else {
          const workflowId = `hand-${started++}`;
          ids.push(workflowId);
          await client.workflow.execute('handWritten', { taskQueue, workflowId, args: [{ n: 1 }] });
        }
      };
      runners.push({ variant, kind, worker, runOne, ids, profileDir, windows: [] as Array<[number, number]>, result: { wallMs: 0, worker: { totalMs: 0, mainMs: 0, workflowMs: 0, coreMs: 0, otherMs: 0 }, clientCpuMs: 0, sinkCalls: 0, sampleIds: [] } as VariantResult });
    }
    for (const r of runners) {
      await pool(WARMUP, r.runOne);
      await r.worker.request('drain');
      r.ids.length = 0;
    }
    for (let round = 0; round < ROUNDS; round += 1) {
      const count = Math.floor(INSTANCES / ROUNDS) + (round < INSTANCES % ROUNDS ? 1 : 0);
      for (let k = 0; k < runners.length; k += 1) {
        const r = runners[(round + k) % runners.length]!;
        const before = await r.worker.request<Sample>('sample');
        const clientCpu = process.cpuUsage();
        const t0 = performance.now();
        await pool(count, r.runOne);
        await r.worker.request('drain'); // projection writes of the measured instances included
        const wallMs = performance.now() - t0;
        const used = process.cpuUsage(clientCpu);
        const after = await r.worker.request<Sample>('sample');
        const cpu = cpuDelta(after.cpu, before.cpu);
        const acc = r.result;
        acc.wallMs += wallMs;
        for (const key of Object.keys(cpu) as Array<keyof ThreadCpu>) acc.worker[key] += cpu[key];
        acc.clientCpuMs += (used.user + used.system) / 1000;
        acc.sinkCalls += after.sinkCalls - before.sinkCalls;
        r.windows.push([before.hrUs, after.hrUs]);
      }
    }
    const results = new Map<Variant, VariantResult>();
    for (const r of runners) {
      await r.worker.stop();
      results.set(r.variant, {
        ...r.result,
        sampleIds: r.ids.filter((_, i) => i % Math.max(1, Math.floor(r.ids.length / 10)) === 0).slice(0, 10),
        ...(r.profileDir ? { profile: profileBreakdown(r.profileDir, bundlePaths[r.kind].path, r.windows) } : {}),
      });
    }

    const history = async (id: string) => {
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
    };
    const median = (xs: number[]) => [...xs].sort((a, b) => a - b)[Math.floor(xs.length / 2)] ?? 0;
    const adapter = measureAdapterCost(input);

    const lines: Array<[string, number | string, string]> = [['instances', INSTANCES, `per variant (concurrency ${CONCURRENCY}, warm-up ${WARMUP}, ${ROUNDS} rounds; load average at the end ${os.loadavg().map((l) => l.toFixed(2)).join(', ')})`]];
    const per = (ms: number) => Number((ms / INSTANCES).toFixed(2));
    for (const [variant, r] of results) {
      const hs = await Promise.all(r.sampleIds.map(history));
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
    const hand = results.get('hand');
    for (const variant of ['bpmn', 'bpmn-no-projections'] as const) {
      const r = results.get(variant);
      if (!hand || !r) continue;
      lines.push(
        [`wall time ratio ${LABEL[variant]}/hand-written`, Number((r.wallMs / hand.wallMs).toFixed(3)), 'x'],
        [`worker CPU ratio ${LABEL[variant]}/hand-written`, Number((r.worker.totalMs / hand.worker.totalMs).toFixed(3)), 'x'],
      );
    }
    const bpmn = results.get('bpmn');
    const bare = results.get('bpmn-no-projections');
    if (bpmn && bare) lines.push(['projection writing per instance (bpmn minus bpmn without projections)', per(bpmn.worker.totalMs - bare.worker.totalMs), 'ms']);
    if (bare && hand) lines.push(['workflow thread extra per instance (bpmn without projections minus hand-written)', per(bare.worker.workflowMs - hand.worker.workflowMs), 'ms']);
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
    for (const [name, value, unit] of lines) console.log(`${name}: ${value} ${unit}`);

    await mongo.close();
    await client.connection.close();
  } finally {
    await servers.stop();
    if (!PROFILE) fs.rmSync(work, { recursive: true, force: true });
    else console.log(`# profiles kept in ${work}`);
  }
}

main().catch((err: unknown) => {
  console.error(err);
  process.exitCode = 1;
});
