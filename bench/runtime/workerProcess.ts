/** The worker process of one bench:runtime variant (worker.ts), driven over IPC, and the pool that starts instances. */
import { fork, type ChildProcess } from 'node:child_process';
import path from 'node:path';
import type { WorkerRequest, WorkerSetup } from './worker';

/** Runs `total` instances, `concurrency` at a time; each start waits for its own result. */
export async function pool(total: number, concurrency: number, runOne: () => Promise<void>): Promise<void> {
  let next = 0;
  await Promise.all(Array.from({ length: Math.min(concurrency, total) }, async () => {
    while (next < total) {
      next += 1;
      await runOne();
    }
  }));
}

/** The worker process of one variant, with request/response over IPC. */
export async function startWorker(setup: WorkerSetup, profileDir: string | null) {
  const child: ChildProcess = fork(path.join(__dirname, 'worker.js'), [], {
    execArgv: [...(profileDir ? ['--cpu-prof', `--cpu-prof-dir=${profileDir}`] : []), '--require', path.join(__dirname, 'threadTag.js')],
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

export type WorkerProcess = Awaited<ReturnType<typeof startWorker>>;
