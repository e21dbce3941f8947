/**
 * The service as users run it (`npm start`: the built service with its embedded Temporal,
 * PostgreSQL and FerretDB) on a DATA_DIR that an earlier version left readable to everyone, for
 * the personal-data tests (personalDataDir, personalDataLogs): starting and stopping it, a
 * signed-in client of it, and everything it logged.
 */
import fs from 'node:fs';
import path from 'node:path';
import { waitUntil } from '../../server/infra/ports';
import { serviceEnv, spawnService, waitForHealthy, type RunningService, type ServiceEnv } from './serviceProcess';
import { testEnv } from './servers';

export const ADMIN = { email: 'admin@example.com', password: 'personal-data-admin' };

/** Starts the service on a fresh DATA_DIR loosened as an earlier version left it (allow 240 s). */
export async function startOnLooseDataDir(): Promise<{ service: RunningService; env: ServiceEnv }> {
  const dataDir = fs.mkdtempSync(path.join(testEnv.dir, 'personal-'));
  // given a DATA_DIR an earlier version left world-readable, with a file in a readable folder
  fs.chmodSync(dataDir, 0o755);
  fs.mkdirSync(path.join(dataDir, 'ferretdb-sqlite-migrated'), { mode: 0o755 });
  fs.writeFileSync(path.join(dataDir, 'ferretdb-sqlite-migrated', 'complaint_bpm.sqlite'), 'old data', { mode: 0o644 });
  fs.chmodSync(path.join(dataDir, 'ferretdb-sqlite-migrated'), 0o755);
  fs.chmodSync(path.join(dataDir, 'ferretdb-sqlite-migrated', 'complaint_bpm.sqlite'), 0o644);
  const env: ServiceEnv = {
    ...(await serviceEnv(dataDir)),
    NODE_ENV: 'test',
    // Everything the service would say, SDK debug lines included, is searched for personal data.
    LOG_LEVEL: 'debug',
    SEED_DEMO: 'false',
    EMBEDDED_TEMPORAL_UI: 'false',
    ADMIN_EMAIL: ADMIN.email,
    ADMIN_PASSWORD: ADMIN.password,
  };
  const service = spawnService(env);
  await waitForHealthy(env.PORT, service, 180_000);
  return { service, env };
}

/** Stops the service if it still runs (allow 30 s). */
export async function stopService(service: RunningService): Promise<void> {
  if (service.child.exitCode === null && service.child.signalCode === null) {
    service.child.kill('SIGTERM');
    const timer = setTimeout(() => service.child.kill('SIGKILL'), 15_000);
    await service.exited;
    clearTimeout(timer);
  }
}

/** A signed-in client of the spawned service. */
export function client(port: string) {
  let token = '';
  const call = async <T = unknown>(method: string, url: string, body?: unknown): Promise<{ status: number; body: T }> => {
    const res = await fetch(`http://127.0.0.1:${port}${url}`, {
      method,
      headers: { ...(token ? { authorization: `Bearer ${token}` } : {}), ...(body !== undefined ? { 'content-type': 'application/json' } : {}) },
      ...(body !== undefined ? { body: JSON.stringify(body) } : {}),
    });
    const text = await res.text();
    let parsed: unknown = text;
    try {
      parsed = JSON.parse(text);
    } catch {
      // not JSON
    }
    return { status: res.status, body: parsed as T };
  };
  return {
    call,
    async login() {
      const res = await call<{ token: string }>('POST', '/api/auth/login', ADMIN);
      if (res.status !== 200) throw new Error(`login answered ${res.status}`);
      token = res.body.token;
    },
    async until<T>(url: string, predicate: (body: T) => boolean, what: string, timeoutMs = 60_000): Promise<T> {
      let last: unknown;
      await waitUntil(what, async () => {
        const res = await call<T>('GET', url);
        last = res.body;
        return res.status === 200 && predicate(res.body);
      }, timeoutMs, 200).catch((err: Error) => {
        throw new Error(`${err.message}; last answer: ${JSON.stringify(last).slice(0, 2000)}`);
      });
      return last as T;
    },
  };
}

/** Every log line the service and its servers wrote: its stdout/stderr and DATA_DIR/logs/*. */
export function allLogs(service: RunningService, dataDir: string): string {
  const dir = path.join(dataDir, 'logs');
  const files = fs.readdirSync(dir).map((name) => fs.readFileSync(path.join(dir, name), 'utf8'));
  return [service.output(), ...files].join('\n');
}
