/**
 * Simulations off the request thread, as the compile pool does (server/compile/pool.ts): one
 * worker thread runs one job at a time, requests queue, a job over its time limit ends the
 * thread (the next job starts a fresh one). The thread is unref'd and started on first use.
 */
import { mkdtempSync, writeFileSync } from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { Worker } from 'node:worker_threads';
import type * as Esbuild from 'esbuild';
import type { Problem } from '../../processes/compiler';
import type { ProcessModel } from '../../processes/model';
import type { HistoryProfile, SimulationOptions, SimulationResult } from '../../processes/simulation';

export type SimulationRequest =
  | { id: number; type: 'compile'; bytes: Uint8Array; maxBytes: number }
  | { id: number; type: 'simulate'; draft: ProcessModel; current: ProcessModel | null; profile: HistoryProfile; options: SimulationOptions };

export type SimulationReply =
  | { id: 0; type: 'ready' }
  | { id: number; type: 'compiled'; ok: boolean; problems: Problem[]; models: ProcessModel[] }
  | { id: number; type: 'simulated'; draft: SimulationResult; current: SimulationResult | null }
  | { id: number; type: 'failed'; message: string };

type Job = { request: SimulationRequest; resolve: (reply: SimulationReply) => void; reject: (err: unknown) => void };

export class SimulationTimeout extends Error {
  constructor(readonly timeoutMs: number) {
    super(`the simulation took longer than ${timeoutMs} ms`);
    this.name = 'SimulationTimeout';
  }
}

let bundled: string | null = null;

function workerScript(): string {
  if (__filename.endsWith('.js')) return path.join(__dirname, 'worker.js');
  if (bundled) return bundled;
  // eslint-disable-next-line @typescript-eslint/no-require-imports -- development only: the sources are TypeScript
  const esbuild = require('esbuild') as typeof Esbuild;
  const out = esbuild.buildSync({
    entryPoints: [path.join(__dirname, 'worker.ts')], bundle: true, platform: 'node', format: 'cjs', target: 'node20', write: false, logLevel: 'silent',
  });
  const file = path.join(mkdtempSync(path.join(os.tmpdir(), 'complaint-bpm-simulation-')), 'worker.cjs');
  writeFileSync(file, out.outputFiles[0]!.contents);
  bundled = file;
  return file;
}

export interface SimulationPool {
  run(request: Omit<Extract<SimulationRequest, { type: 'compile' }>, 'id'> | Omit<Extract<SimulationRequest, { type: 'simulate' }>, 'id'>): Promise<SimulationReply>;
  close(): Promise<void>;
}

export function createSimulationPool(options: { timeoutMs?: number; idleMs?: number } = {}): SimulationPool {
  const timeoutMs = options.timeoutMs ?? 60_000;
  const queue: Job[] = [];
  let worker: Worker | null = null;
  let ready = false;
  let busy: { job: Job; timer: NodeJS.Timeout | null } | null = null;
  let nextId = 1;
  // A simulation's thread holds its heap until the next one: it is ended after a quiet spell.
  let idle: NodeJS.Timeout | null = null;
  const idleMs = options.idleMs ?? 2_000;

  const fail = (err: unknown) => {
    const current = busy;
    busy = null;
    worker?.removeAllListeners();
    void worker?.terminate();
    worker = null;
    ready = false;
    if (current) {
      if (current.timer) clearTimeout(current.timer);
      current.job.reject(err);
    }
    pump();
  };

  function spawn(): Worker {
    const w = new Worker(workerScript());
    w.unref();
    w.on('message', (reply: SimulationReply) => {
      if (reply.type === 'ready') {
        ready = true;
        send();
        return;
      }
      if (!busy || reply.id !== busy.job.request.id) return;
      const { job, timer } = busy;
      busy = null;
      if (timer) clearTimeout(timer);
      job.resolve(reply);
      pump();
    });
    w.on('error', fail);
    w.on('exit', (code) => {
      if (worker === w) fail(new Error(`simulation worker exited with code ${code}`));
    });
    return w;
  }

  function send(): void {
    if (!busy || !worker || !ready || busy.timer) return;
    busy.timer = setTimeout(() => fail(new SimulationTimeout(timeoutMs)), timeoutMs);
    worker.postMessage(busy.job.request);
  }

  function pump(): void {
    if (busy) return;
    const job = queue.shift();
    if (idle) clearTimeout(idle);
    idle = null;
    if (!job) {
      if (worker) {
        idle = setTimeout(() => {
          const w = worker;
          worker = null;
          ready = false;
          w?.removeAllListeners();
          void w?.terminate();
        }, idleMs);
        idle.unref();
      }
      return;
    }
    busy = { job, timer: null };
    worker ??= spawn();
    send();
  }

  return {
    run(request) {
      return new Promise<SimulationReply>((resolve, reject) => {
        queue.push({ request: { ...request, id: nextId++ } as SimulationRequest, resolve, reject });
        pump();
      });
    },
    async close() {
      if (idle) clearTimeout(idle);
      const w = worker;
      for (const job of queue.splice(0)) job.reject(new Error('simulation pool closed'));
      if (busy) {
        if (busy.timer) clearTimeout(busy.timer);
        busy.job.reject(new Error('simulation pool closed'));
        busy = null;
      }
      worker = null;
      ready = false;
      w?.removeAllListeners();
      await w?.terminate();
    },
  };
}
