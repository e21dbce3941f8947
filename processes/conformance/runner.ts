/**
 * Runs file checks where a hang or a crash cannot stop the run: in a worker thread, one
 * file at a time (calls queue), with a time limit per file. A file that overruns, throws past the
 * checker or kills the thread is recorded as crashed, and the next file gets a new worker.
 */
import path from 'node:path';
import { Worker } from 'node:worker_threads';
import type { CheckOptions, FileCheck } from './check';
import { checkFile, crashed, reasonOf } from './check';

export interface Job {
  file: string;
  options: CheckOptions;
}

/** Parent -> worker. */
export interface JobMessage {
  type: 'job';
  id: number;
  job: Job;
}

/** Worker -> parent: `ready` once its modules are loaded, then one `result` per job. */
export type WorkerMessage = { type: 'ready' } | { type: 'result'; id: number; result: FileCheck };

export interface Runner {
  run(job: Job): Promise<FileCheck>;
  close(): Promise<void>;
}

export interface WorkerRunnerOptions {
  /** Time limit of one file, from handing it to a ready worker to its result. */
  timeoutMs: number;
  /** Time limit for a new worker to load its modules. Default 60 s. */
  startupTimeoutMs?: number;
  /** The worker's script; default the compiled worker.js beside this module. */
  script?: string;
}

export const DEFAULT_WORKER_SCRIPT = path.join(__dirname, 'worker.js');

export function workerRunner(options: WorkerRunnerOptions): Runner {
  const script = options.script ?? DEFAULT_WORKER_SCRIPT;
  const startupTimeoutMs = options.startupTimeoutMs ?? 60_000;
  let current: { worker: Worker; ready: Promise<void> } | null = null;
  let nextId = 0;

  function start(): { worker: Worker; ready: Promise<void> } {
    const worker = new Worker(script);
    const ready = new Promise<void>((resolve, reject) => {
      const timer = setTimeout(() => settle(new Error(`not ready within ${startupTimeoutMs} ms`)), startupTimeoutMs);
      const onMessage = (m: WorkerMessage) => { if (m.type === 'ready') settle(null); };
      const onError = (err: unknown) => settle(err);
      const onExit = (code: number) => settle(new Error(`exited with code ${code} while starting`));
      function settle(err: unknown): void {
        clearTimeout(timer);
        worker.off('message', onMessage).off('error', onError).off('exit', onExit);
        if (err === null) resolve();
        else reject(new Error(reasonOf(err)));
      }
      worker.on('message', onMessage).on('error', onError).on('exit', onExit);
    });
    return { worker, ready };
  }

  async function stop(): Promise<void> {
    const running = current;
    current = null;
    if (running) await running.worker.terminate();
  }

  async function runOne(job: Job): Promise<FileCheck> {
    current ??= start();
    const { worker, ready } = current;
    try {
      await ready;
    } catch (err) {
      await stop();
      return crashed(`the checking worker did not start: ${reasonOf(err)}`);
    }
    const id = ++nextId;
    const outcome = await new Promise<{ result: FileCheck; restart: boolean }>((resolve) => {
      const timer = setTimeout(() => settle(crashed(`no result within ${options.timeoutMs} ms (time limit)`), true), options.timeoutMs);
      const onMessage = (m: WorkerMessage) => { if (m.type === 'result' && m.id === id) settle(m.result, false); };
      const onError = (err: unknown) => settle(crashed(`threw: ${reasonOf(err)}`), true);
      const onExit = (code: number) => settle(crashed(`the checking worker exited with code ${code}`), true);
      function settle(result: FileCheck, restart: boolean): void {
        clearTimeout(timer);
        worker.off('message', onMessage).off('error', onError).off('exit', onExit);
        resolve({ result, restart });
      }
      worker.on('message', onMessage).on('error', onError).on('exit', onExit);
      const message: JobMessage = { type: 'job', id, job };
      worker.postMessage(message);
    });
    if (outcome.restart) await stop();
    return outcome.result;
  }

  // One file at a time: a restart after a crash must not take other files' worker with it.
  let queue: Promise<unknown> = Promise.resolve();
  function run(job: Job): Promise<FileCheck> {
    const result = queue.then(() => runOne(job));
    queue = result.catch(() => undefined);
    return result;
  }

  return { run, close: () => queue.then(stop) };
}

/** Checks in this thread, without isolation or time limit: for tests of everything around it. */
export function inProcessRunner(): Runner {
  return { run: (job) => checkFile(job.file, job.options), close: () => Promise.resolve() };
}
