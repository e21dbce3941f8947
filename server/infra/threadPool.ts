/**
 * Work off the request thread (decision 0019; used by the compile and the simulation pools):
 * one worker thread runs one job at a time and requests queue. A job that overruns its time
 * limit ends the thread (the next job starts a fresh one) and is refused with the caller's
 * timeout error. Threads are unref'd, started on first use and, with `idleMs`, ended after a
 * quiet spell (a simulation's thread holds its heap until then).
 *
 * The thread runs the compiled `worker.js` beside the pool's module; from TypeScript sources
 * (tests) it is bundled with esbuild, a development dependency, once per process, into
 * `os.tmpdir()/complaint-bpm-bundles/<name>-<sha256 prefix>.cjs`: processes bundling the same
 * sources share one file (a folder per process was never removed), and a file is renamed into
 * place whole, so a process starting beside another never loads one half written. Each use
 * touches the file; writing a new one removes those of the same name unused for a week.
 */
import { createHash, randomUUID } from 'node:crypto';
import { mkdirSync, readdirSync, readFileSync, renameSync, rmSync, statSync, utimesSync, writeFileSync } from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { Worker } from 'node:worker_threads';
import type * as Esbuild from 'esbuild';

const bundled = new Map<string, string>();

/** The worker script of `dir` (the pool module's `__dirname`): `worker.js` when built, else `worker.ts` bundled once. */
export function workerScript(dir: string, builtModule: string, name: string): string {
  if (builtModule.endsWith('.js')) return path.join(dir, 'worker.js');
  const known = bundled.get(dir);
  if (known) return known;
  // eslint-disable-next-line @typescript-eslint/no-require-imports -- development only: the sources are TypeScript
  const esbuild = require('esbuild') as typeof Esbuild;
  const out = esbuild.buildSync({
    entryPoints: [path.join(dir, 'worker.ts')], bundle: true, platform: 'node', format: 'cjs', target: 'node20', write: false, logLevel: 'silent',
  });
  const file = storeBundle(name, out.outputFiles[0]!.contents);
  bundled.set(dir, file);
  return file;
}

/** The content-addressed file holding `contents`: reused when it is there with these bytes, else written whole. */
function storeBundle(name: string, contents: Uint8Array): string {
  const folder = path.join(os.tmpdir(), 'complaint-bpm-bundles');
  const file = path.join(folder, `${name}-${createHash('sha256').update(contents).digest('hex').slice(0, 16)}.cjs`);
  if (sameBytes(file, contents)) {
    // Marks it as in use: pruning goes by the last use.
    utimesSync(file, new Date(), new Date());
    return file;
  }
  mkdirSync(folder, { recursive: true });
  pruneStale(folder, name);
  const partial = path.join(folder, `.${path.basename(file)}.${process.pid}.${randomUUID()}.partial`);
  try {
    writeFileSync(partial, contents);
    renameSync(partial, file);
  } finally {
    rmSync(partial, { force: true });
  }
  return file;
}

/** A week unused: the bundles of sources changed since (one per change) are removed. */
const STALE_MS = 7 * 24 * 60 * 60 * 1000;

function pruneStale(folder: string, name: string): void {
  for (const entry of readdirSync(folder)) {
    if (!entry.startsWith(`${name}-`) || !entry.endsWith('.cjs')) continue;
    const file = path.join(folder, entry);
    try {
      if (Date.now() - statSync(file).mtimeMs > STALE_MS) rmSync(file, { force: true });
    } catch {
      // removed by another process meanwhile
    }
  }
}

function sameBytes(file: string, contents: Uint8Array): boolean {
  try {
    return Buffer.from(contents).equals(readFileSync(file));
  } catch (err) {
    if ((err as NodeJS.ErrnoException).code === 'ENOENT') return false;
    throw err;
  }
}

export interface ThreadPoolOptions<Reply> {
  /** For messages: "compile", "simulation". */
  name: string;
  script: () => string;
  timeoutMs: number;
  /** The error a job over its time limit is refused with. */
  timeout: (timeoutMs: number) => Error;
  /** The thread's first message, sent once it has loaded. */
  isReady: (reply: Reply) => boolean;
  /** Ends an idle thread after this long (absent: it stays). */
  idleMs?: number;
}

export interface ThreadPool<Request, Reply> {
  run(request: Request): Promise<Reply>;
  /** Ends the thread; jobs still queued or running are refused. */
  close(): Promise<void>;
}

interface Job<Request, Reply> {
  request: Request & { id: number };
  resolve: (reply: Reply) => void;
  reject: (err: unknown) => void;
}

export function createThreadPool<Request extends object, Reply extends { id: number }>(options: ThreadPoolOptions<Reply>): ThreadPool<Request, Reply> {
  const { timeoutMs, name } = options;
  const queue: Array<Job<Request, Reply>> = [];
  let worker: Worker | null = null;
  let ready = false;
  let busy: { job: Job<Request, Reply>; timer: NodeJS.Timeout | null } | null = null;
  let nextId = 1;
  let idle: NodeJS.Timeout | null = null;

  const stopThread = () => {
    const w = worker;
    worker = null;
    ready = false;
    w?.removeAllListeners();
    return w?.terminate();
  };

  const fail = (err: unknown) => {
    const current = busy;
    busy = null;
    void stopThread();
    if (current) {
      if (current.timer) clearTimeout(current.timer);
      current.job.reject(err);
    }
    pump();
  };

  function spawn(): Worker {
    const w = new Worker(options.script());
    w.unref();
    w.on('message', (reply: Reply) => {
      if (options.isReady(reply)) {
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
      if (worker === w) fail(new Error(`${name} worker exited with code ${code}`));
    });
    return w;
  }

  /** Hands the current job to a ready thread; its time limit starts now (not while the thread loads). */
  function send(): void {
    if (!busy || !worker || !ready || busy.timer) return;
    busy.timer = setTimeout(() => fail(options.timeout(timeoutMs)), timeoutMs);
    worker.postMessage(busy.job.request);
  }

  function pump(): void {
    if (busy) return;
    const job = queue.shift();
    if (idle) clearTimeout(idle);
    idle = null;
    if (!job) {
      if (worker && options.idleMs !== undefined) {
        idle = setTimeout(() => void stopThread(), options.idleMs);
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
      return new Promise<Reply>((resolve, reject) => {
        queue.push({ request: { ...request, id: nextId++ }, resolve, reject });
        pump();
      });
    },
    async close() {
      if (idle) clearTimeout(idle);
      idle = null;
      for (const job of queue.splice(0)) job.reject(new Error(`${name} pool closed`));
      if (busy) {
        if (busy.timer) clearTimeout(busy.timer);
        busy.job.reject(new Error(`${name} pool closed`));
        busy = null;
      }
      await stopThread();
    },
  };
}
