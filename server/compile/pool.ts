/**
 * BPMN compilation off the request thread (issue 12: a large diagram kept the event loop busy
 * for seconds and /api/health answered 503 meanwhile). One worker thread compiles one document
 * at a time; requests queue. A compilation that overruns its time limit ends its thread (the
 * next one starts fresh) and is refused as too large. Threads are unref'd: they never keep the
 * process alive.
 *
 * The thread and its queue: server/infra/threadPool.ts.
 */
import type { CompileOptions, CompileResult } from '../../processes/compiler';
import { createThreadPool, workerScript } from '../infra/threadPool';

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

export function createCompilePool(options: { timeoutMs?: number } = {}): CompilePool {
  const pool = createThreadPool<Omit<CompileRequest, 'id'>, CompileReply>({
    name: 'compile',
    script: () => workerScript(__dirname, __filename, 'compile'),
    timeoutMs: options.timeoutMs ?? 30_000,
    timeout: (ms) => new CompileTimeout(ms),
    isReady: (reply) => 'ready' in reply,
  });
  return {
    close: () => pool.close(),
    async compile(bytes, opts) {
      const taskTypes = opts.taskTypes === undefined ? undefined : opts.taskTypes === null ? null : [...opts.taskTypes];
      const reply = await pool.run({
        bytes,
        options: { maxBytes: opts.maxBytes, minTimerCycleMs: opts.minTimerCycleMs, ...(taskTypes === undefined ? {} : { taskTypes }) },
      });
      if ('ready' in reply) throw new Error('compile worker answered out of turn');
      return reply.result;
    },
  };
}
