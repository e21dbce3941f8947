/**
 * bench:runtime — the same process on Temporal as BPMN run by our generic `processInstance`
 * workflow and as a hand-written workflow doing the same `runJob` activities and timer, and
 * where the BPMN worker's extra cost goes. Starts its own Temporal dev server and FerretDB in
 * a temp folder and stops them at the end.
 *
 *   npm run build && npm run bench:runtime          (BENCH_INSTANCES=40 for a quick run)
 *
 * Variants (BENCH_VARIANTS, default all four, in this order):
 *   hand                 the hand-written workflow (bench/runtime/handWritten.ts), its own bundle
 *   hand-local           the same with local activities, as the BPMN runs `variables.set` (decision 0061)
 *   bpmn                 the BPMN, started through the instances service as the API does, with
 *                        the real projection writer behind the sink (FerretDB)
 *   bpmn-no-projections  the same with a sink that drops the snapshots: like with like against `hand-local`
 * Each variant gets a worker process of its own (bench/runtime/worker.ts), so "worker CPU" is
 * the worker's only, split by thread; a warm-up of BENCH_WARMUP instances (default 20) runs
 * before the measured ones, which run in BENCH_ROUNDS rounds (default 4), the variants taking
 * turns, so that a change of the machine's load hits them alike. BENCH_PROFILE=1 also profiles the workers (--cpu-prof) and
 * prints where each thread's time goes, by category (bench/runtime/profile.ts).
 *
 * Prints `name: value unit` lines.
 */
import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { Client, Connection } from '@temporalio/client';
import { bundleWorkflowCode } from '@temporalio/worker';
import { connectMongo } from '../server/db/mongo';
import { startTemporaryServers } from '../server/infra/temporaryServers';
import { createLogger } from '../server/log';
import { workflowsPath } from '../server/worker';
import { workflowBundleOptions } from '../server/workflowBundle';
import { wireServices } from '../server/wiring';
import type { ProcessInstanceInput } from '../workflows/processInstance/types';
import { measureAdapterCost } from './runtime/adapterCost';
import { BPMN } from './runtime/model';
import { profileBreakdown } from './runtime/profile';
import { reportLines, type VariantResult } from './runtime/report';
import { cpuDelta, type ThreadCpu } from './runtime/threads';
import type { Variant } from './runtime/worker';
import { pool, startWorker } from './runtime/workerProcess';

const INSTANCES = Number(process.env.BENCH_INSTANCES ?? 200);
const WARMUP = Number(process.env.BENCH_WARMUP ?? 20);
const ROUNDS = Math.max(1, Number(process.env.BENCH_ROUNDS ?? 4));
const CONCURRENCY = 20;
const PROFILE = process.env.BENCH_PROFILE === '1';
const VARIANTS = (process.env.BENCH_VARIANTS ?? 'hand,hand-local,bpmn,bpmn-no-projections').split(',') as Variant[];

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
    const wired = [services];
    for (const variant of VARIANTS) {
      const taskQueue = `bench-${variant}`;
      const kind: 'hand' | 'bpmn' = variant === 'hand' || variant === 'hand-local' ? 'hand' : 'bpmn';
      const profileDir = PROFILE ? path.join(work, `profile-${variant}`) : null;
      const worker = await startWorker({ variant, address, taskQueue, bundlePath: bundlePaths[kind].path, mongoUri: servers.mongoUri }, profileDir);
      const starter = kind === 'hand' ? null : wireServices({ mongo, temporal: client, taskQueue, log: createLogger('silent'), bpmnMaxBytes: 2 * 1024 * 1024, allowedHosts: [] });
      if (starter) wired.push(starter);
      const ids: string[] = [];
      let started = 0;
      const runOne = async () => {
        if (starter) {
          const { instanceId } = await starter.instances.start('bench-runtime', { variables: { n: 1 } });
          ids.push(instanceId);
          await client.workflow.getHandle(instanceId).result();
        } else {
          const workflowId = `${variant}-${started++}`;
          ids.push(workflowId);
          await client.workflow.execute(variant === 'hand-local' ? 'handWrittenLocal' : 'handWritten', { taskQueue, workflowId, args: [{ n: 1 }] });
        }
      };
      runners.push({ variant, kind, worker, runOne, ids, profileDir, windows: [] as Array<[number, number]>, result: { wallMs: 0, worker: { totalMs: 0, mainMs: 0, workflowMs: 0, coreMs: 0, otherMs: 0 }, clientCpuMs: 0, sinkCalls: 0, sampleIds: [] } as VariantResult });
    }
    for (const r of runners) {
      await pool(WARMUP, CONCURRENCY, r.runOne);
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
        await pool(count, CONCURRENCY, r.runOne);
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

    const adapter = measureAdapterCost(input);
    const lines = await reportLines(client, results, adapter, { instances: INSTANCES, concurrency: CONCURRENCY, warmup: WARMUP, rounds: ROUNDS });
    for (const [name, value, unit] of lines) console.log(`${name}: ${value} ${unit}`);

    // Every wired service keeps timers (projection writer, sealer, compile thread): end them, or
    // the bench prints its figures and never exits.
    for (const w of wired) {
      await w.drainProjections();
      w.stopProjections();
      await w.stopCompiler();
    }
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
