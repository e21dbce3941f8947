/** Runs the built service (`node dist/server/main.js`, what `npm start` runs; `npm run worker`) as a child. */
import { execFileSync, spawn, type ChildProcess } from 'node:child_process';
import fs from 'node:fs';
import path from 'node:path';
import { waitUntil } from '../../server/infra/ports';
import { testPort } from './ports';

export const mainScript = path.resolve(__dirname, '../../dist/server/main.js');
export const workerScript = path.resolve(__dirname, '../../dist/server/workerMain.js');

export interface ServiceEnv {
  DATA_DIR: string;
  PORT: string;
  EMBEDDED_TEMPORAL_PORT: string;
  EMBEDDED_TEMPORAL_UI_PORT: string;
  EMBEDDED_FERRETDB_PORT: string;
  [name: string]: string;
}

export async function serviceEnv(dataDir: string): Promise<ServiceEnv> {
  return {
    DATA_DIR: dataDir,
    PORT: String(await testPort()),
    EMBEDDED_TEMPORAL_PORT: String(await testPort()),
    EMBEDDED_TEMPORAL_UI_PORT: String(await testPort()),
    EMBEDDED_FERRETDB_PORT: String(await testPort()),
    LOG_LEVEL: 'info',
    // The tests check that everything stops and exits 0, not how fast: a busy CI machine can take
    // longer than the default 9 s to stop Temporal, the database and the worker, which forces exit 1.
    SHUTDOWN_TIMEOUT_MS: '30000',
  };
}

export interface RunningService {
  child: ChildProcess;
  output: () => string;
  exited: Promise<{ code: number | null; signal: NodeJS.Signals | null }>;
}

/** `script` (default: the service) with `env` over this process's environment minus the service's own variables. */
export function spawnService(env: Record<string, string>, script = mainScript, command?: [string, string[], string]): RunningService {
  if (!fs.existsSync(script)) throw new Error(`${script} is missing: run \`npm run build\` first`);
  const inherited = Object.fromEntries(
    Object.entries(process.env).filter(([key]) => !/^(TEMPORAL_|MONGODB_|PORT$|DATA_DIR$|EMBEDDED_|SERVICE_ROLE$|SLA_INDEX_|CUSTOMER_LINK_|PAYLOAD_KEYS$)/.test(key)),
  );
  // `command`: [program, args, cwd] instead of `node script` (a shell running an npm script line).
  const child = command
    ? spawn(command[0], command[1], { cwd: command[2], env: { ...inherited, ...env }, stdio: ['ignore', 'pipe', 'pipe'] })
    : spawn(process.execPath, [script], { env: { ...inherited, ...env }, stdio: ['ignore', 'pipe', 'pipe'] });
  let output = '';
  child.stdout?.on('data', (chunk: Buffer) => { output += chunk.toString(); });
  child.stderr?.on('data', (chunk: Buffer) => { output += chunk.toString(); });
  const exited = new Promise<{ code: number | null; signal: NodeJS.Signals | null }>((resolve) => {
    child.once('exit', (code, signal) => resolve({ code, signal }));
  });
  return { child, output: () => output, exited };
}

export async function waitForHealthy(port: string, service: RunningService, timeoutMs = 90_000): Promise<void> {
  await waitUntil('service health 200', async () => {
    if (service.child.exitCode !== null) throw new Error(`service exited early:\n${service.output()}`);
    const res = await fetch(`http://127.0.0.1:${port}/api/health`).catch(() => undefined);
    return res?.status === 200;
  }, timeoutMs, 250);
}

/** Pids of every live descendant of `pid` (children run in their own process groups). */
export function descendants(pid: number): number[] {
  const out = execFileSync('ps', ['-e', '-o', 'pid=,ppid='], { encoding: 'utf8' });
  const rows = out.trim().split('\n').map((line) => line.trim().split(/\s+/).map(Number) as [number, number]);
  const found: number[] = [];
  const walk = (parent: number) => {
    for (const [child, ppid] of rows) {
      if (ppid === parent) {
        found.push(child);
        walk(child);
      }
    }
  };
  walk(pid);
  return found;
}

export function isAlive(pid: number): boolean {
  try {
    process.kill(pid, 0);
    return true;
  } catch {
    return false;
  }
}
