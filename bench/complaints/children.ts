/**
 * The orchestrator's side of the child processes: fork with an IPC channel, wait for a message
 * of a given type with a bound, notice a child that dies, and kill every child still alive
 * when the orchestrator exits (a child also exits on its own when the channel closes).
 */
import { fork, type ChildProcess } from 'node:child_process';
import { EventEmitter } from 'node:events';
import type { ParentMessage } from './protocol';

const live = new Set<ChildProcess>();
process.on('exit', () => {
  for (const child of live) {
    try {
      child.kill('SIGKILL');
    } catch {
      // already gone
    }
  }
});

export interface Child<M extends { type: string }> {
  name: string;
  pid: number;
  /** The next message of `type`; rejects on an `error` message, the child's exit or after `timeoutMs`. */
  next<T extends M['type']>(type: T, timeoutMs: number): Promise<Extract<M, { type: T }>>;
  send(message: ParentMessage): void;
  /** Rejects when the child exits before `expectExit()` was called (use in races). */
  died: Promise<never>;
  expectExit(): void;
  /** Resolves when the child has exited (SIGTERM, SIGKILL after `graceMs`). */
  stop(graceMs?: number): Promise<void>;
}

export function startChild<M extends { type: string }>(name: string, modulePath: string, config: unknown): Child<M> {
  const child = fork(modulePath, [JSON.stringify(config)], { stdio: ['ignore', 'inherit', 'inherit', 'ipc'] });
  if (child.pid === undefined) throw new Error(`could not start the ${name} process`);
  live.add(child);
  const queue: M[] = [];
  const changed = new EventEmitter();
  let exitInfo: string | undefined;
  let exitExpected = false;
  let rejectDied: (err: Error) => void = () => {};
  const died = new Promise<never>((_resolve, reject) => { rejectDied = reject; });
  died.catch(() => {}); // observed through races only
  const exited = new Promise<void>((resolve) => {
    child.once('exit', (code, signal) => {
      live.delete(child);
      exitInfo = signal ? `signal ${signal}` : `code ${code}`;
      if (!exitExpected) rejectDied(new Error(`the ${name} process exited unexpectedly (${exitInfo})`));
      changed.emit('changed');
      resolve();
    });
  });
  child.on('message', (message) => {
    queue.push(message as M);
    changed.emit('changed');
  });
  child.on('error', (err) => console.error(`# ${name} process: ${err.message}`));

  const next = async <T extends M['type']>(type: T, timeoutMs: number): Promise<Extract<M, { type: T }>> => {
    const deadline = Date.now() + timeoutMs;
    for (;;) {
      const failure = queue.find((m) => m.type === 'error') as { message?: string } | undefined;
      if (failure) throw new Error(`the ${name} process failed: ${failure.message ?? 'unknown error'}`);
      const index = queue.findIndex((m) => m.type === type);
      if (index >= 0) return queue.splice(index, 1)[0] as Extract<M, { type: T }>;
      if (exitInfo) throw new Error(`the ${name} process exited (${exitInfo}) before sending '${type}'`);
      const left = deadline - Date.now();
      if (left <= 0) throw new Error(`the ${name} process sent no '${type}' within ${Math.round(timeoutMs / 1000)} s`);
      await new Promise<void>((resolve) => {
        const timer = setTimeout(done, left);
        function done() {
          clearTimeout(timer);
          changed.off('changed', done);
          resolve();
        }
        changed.on('changed', done);
      });
    }
  };

  return {
    name,
    pid: child.pid,
    next,
    send(message) {
      if (child.connected) child.send(message);
    },
    died,
    expectExit() { exitExpected = true; },
    async stop(graceMs = 5000) {
      exitExpected = true;
      if (exitInfo) return;
      child.kill('SIGTERM');
      const timer = setTimeout(() => child.kill('SIGKILL'), graceMs);
      await exited;
      clearTimeout(timer);
    },
  };
}
