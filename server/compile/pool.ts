/**
 * BPMN compilation off the request thread (issue 12: a large diagram kept the event loop busy
 * for seconds and /api/health answered 503 meanwhile). One worker thread compiles one document
 * at a time; requests queue. A compilation that overruns its time limit ends its thread (the
 * next one starts fresh) and is refused as too large. Threads are unref'd: they never keep the
 * process alive.
 *
 * The thread runs the compiled `worker.js` beside this module; from TypeScript sources (tests)
 * it is bundled with esbuild, a development dependency, once per process.
 */
import { mkdtempSync, writeFileSync } from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { Worker } from 'node:worker_threads';
import type * as Esbuild from 'esbuild';
import type { CompileOptions, CompileResult } from '../../processes/compiler';

export interface PoolCompileOptions {
  maxBytes: number;
  minTimerCycleMs: number;
  /** As CompileOptions.taskTypes: undefined = the catalog, null = any. */
  taskTypes?: readonly string[] | null;
}

export interface CompileRequest {
  id: number;
  bytes: Uint8Array;
  options: PoolCompileOptions;
}

export type CompileReply = { id: number; result: CompileResult } | { id: 0; ready: true };

export interface CompilePool {
  compile(bytes: Uint8Array, options: Pick<CompileOptions, 'taskTypes'> & Omit<PoolCompileOptions, 'taskTypes'>): Promise<CompileResult>;
  /** Ends the thread; compilations still queued or running are refused. */
  close(): Promise<void>;
}

export class CompileTimeout extends Error {
  constructor(readonly timeoutMs: number) {
    super(`compilation took longer than ${timeoutMs} ms`);
    this.name = 'CompileTimeout';
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
  const file = path.join(mkdtempSync(path.join(os.tmpdir(), 'complaint-bpm-compile-')), 'worker.cjs');
  writeFileSync(file, out.outputFiles[0]!.contents);
  bundled = file;
  return file;
}

interface Job {
  request: CompileRequest;
  resolve: (result: CompileResult) => void;
  reject: (err: unknown) => void;
}

export function createCompilePool(options: { timeoutMs?: number } = {}): CompilePool {
  const timeoutMs = options.timeoutMs ?? 30_000;
  const queue: Job[] = [];
  let worker: Worker | null = null;
  let ready = false;
  let busy: { job: Job; timer: NodeJS.Timeout | null } | null = null;
  let nextId = 1;

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
    w.on('message', (reply: CompileReply) => {
      if ('ready' in reply) {
        ready = true;
        send();
        return;
      }
      if (!busy || reply.id !== busy.job.request.id) return;
      const { job, timer } = busy;
      busy = null;
      if (timer) clearTimeout(timer);
      job.resolve(reply.result);
      pump();
    });
    w.on('error', fail);
    w.on('exit', (code) => {
      if (worker === w) fail(new Error(`compile worker exited with code ${code}`));
    });
    return w;
  }

  /** Hands the current job to a ready worker; its time limit starts now (not while the thread loads). */
  function send(): void {
    if (!busy || !worker || !ready || busy.timer) return;
    busy.timer = setTimeout(() => fail(new CompileTimeout(timeoutMs)), timeoutMs);
    worker.postMessage(busy.job.request);
  }

  function pump(): void {
    if (busy) return;
    const job = queue.shift();
    if (!job) return;
    busy = { job, timer: null };
    worker ??= spawn();
    send();
  }

  return {
    async close() {
      const w = worker;
      for (const job of queue.splice(0)) job.reject(new Error('compile pool closed'));
      if (busy) {
        if (busy.timer) clearTimeout(busy.timer);
        busy.job.reject(new Error('compile pool closed'));
        busy = null;
      }
      worker = null;
      ready = false;
      w?.removeAllListeners();
      await w?.terminate();
    },
    compile(bytes, opts) {
      const taskTypes = opts.taskTypes === undefined ? undefined : opts.taskTypes === null ? null : [...opts.taskTypes];
      const request: CompileRequest = {
        id: nextId++,
        bytes,
        options: { maxBytes: opts.maxBytes, minTimerCycleMs: opts.minTimerCycleMs, ...(taskTypes === undefined ? {} : { taskTypes }) },
      };
      return new Promise<CompileResult>((resolve, reject) => {
        queue.push({ request, resolve, reject });
        pump();
      });
    },
  };
}
