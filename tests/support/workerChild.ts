/**
 * The scale-out worker (`npm run worker`, dist/server/workerMain.js) as a child process, for
 * tests that kill it mid-flight (workerCrash, instanceMigrationCrash). Needs a build first.
 */
import { spawn, type ChildProcess } from 'node:child_process';
import fs from 'node:fs';
import path from 'node:path';
import { waitUntil } from '../../server/infra/ports';

const workerScript = path.resolve(__dirname, '../../dist/server/workerMain.js');

export interface WorkerChild { child: ChildProcess; output: () => string; exited: Promise<unknown> }

/** Starts the worker with `env` over this process's environment (without its Temporal, database and host settings). */
export function spawnWorker(env: Record<string, string>): WorkerChild {
  if (!fs.existsSync(workerScript)) throw new Error(`${workerScript} is missing: run \`npm run build\` first`);
  const inherited = Object.fromEntries(Object.entries(process.env).filter(([key]) => !/^(TEMPORAL_|MONGODB_|HTTP_ALLOWED_HOSTS$)/.test(key)));
  const child = spawn(process.execPath, [workerScript], { env: { ...inherited, ...env }, stdio: ['ignore', 'pipe', 'pipe'] });
  let output = '';
  child.stdout?.on('data', (chunk: Buffer) => { output += chunk.toString(); });
  child.stderr?.on('data', (chunk: Buffer) => { output += chunk.toString(); });
  const exited = new Promise((resolve) => child.once('exit', resolve));
  return { child, output: () => output, exited };
}

/** Resolves once the worker says it runs; fails with its output when it exits first. */
export async function running(worker: WorkerChild): Promise<void> {
  await waitUntil('worker child running', async () => {
    if (worker.child.exitCode !== null) throw new Error(`worker exited early:\n${worker.output()}`);
    return Promise.resolve(worker.output().includes('Temporal worker running'));
  }, 60_000, 100);
}
