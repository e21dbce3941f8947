/**
 * Simulations off the request thread, as compilations (server/infra/threadPool.ts): one
 * worker thread runs one job at a time, requests queue, a job over its time limit ends the
 * thread (the next job starts a fresh one). The thread is unref'd and started on first use.
 */
import type { Problem } from '../../processes/compiler';
import type { ProcessModel } from '../../processes/model';
import type { HistoryProfile, SimulationOptions, SimulationResult } from '../../processes/simulation';
import { createThreadPool, workerScript } from '../infra/threadPool';

export type SimulationRequest =
  | { id: number; type: 'compile'; bytes: Uint8Array; maxBytes: number }
  | { id: number; type: 'simulate'; draft: ProcessModel; current: ProcessModel | null; profile: HistoryProfile; options: SimulationOptions };

export type SimulationReply =
  | { id: 0; type: 'ready' }
  | { id: number; type: 'compiled'; ok: boolean; problems: Problem[]; models: ProcessModel[] }
  | { id: number; type: 'simulated'; draft: SimulationResult; current: SimulationResult | null }
  | { id: number; type: 'failed'; message: string };

/** A request as callers give it (the pool numbers it). */
type SimulationJob = Omit<Extract<SimulationRequest, { type: 'compile' }>, 'id'> | Omit<Extract<SimulationRequest, { type: 'simulate' }>, 'id'>;

export class SimulationTimeout extends Error {
  constructor(readonly timeoutMs: number) {
    super(`the simulation took longer than ${timeoutMs} ms`);
    this.name = 'SimulationTimeout';
  }
}

export interface SimulationPool {
  run(request: SimulationJob): Promise<SimulationReply>;
  close(): Promise<void>;
}

export function createSimulationPool(options: { timeoutMs?: number; idleMs?: number } = {}): SimulationPool {
  // A simulation's thread holds its heap until the next one: it is ended after a quiet spell.
  return createThreadPool<SimulationJob, SimulationReply>({
    name: 'simulation',
    script: () => workerScript(__dirname, __filename, 'simulation'),
    timeoutMs: options.timeoutMs ?? 60_000,
    timeout: (ms) => new SimulationTimeout(ms),
    isReady: (reply) => reply.type === 'ready',
    idleMs: options.idleMs ?? 2_000,
  });
}
