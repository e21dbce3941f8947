/**
 * First embedded start: demo complaints in every state, made through the API just started
 * (server/domain/seed/complaints.ts). In the background, so the service is usable at once;
 * stopped with the service; a failure is a warning, not a failed start.
 */
import type { Config } from '../config';
import { seedDemoComplaints } from '../domain/seed/complaints';
import type { Logger } from '../log';
import type { Parts } from './parts';

export function seedComplaintsInBackground(parts: Parts, log: Logger, baseUrl: string, config: Config): void {
  const abort = new AbortController();
  const done = (async () => {
    const login = await fetch(`${baseUrl}/api/auth/login`, {
      method: 'POST', headers: { 'content-type': 'application/json' }, signal: abort.signal,
      body: JSON.stringify({ email: config.ADMIN_EMAIL, password: config.ADMIN_PASSWORD }),
    });
    if (login.status !== 200) throw new Error(`the admin login answered ${login.status}`);
    const { token } = (await login.json()) as { token: string };
    await seedDemoComplaints({ baseUrl, token, signal: abort.signal, progress: (line) => log.info(line) });
    log.info('demo complaints ready (one in every state); SEED_DEMO=false turns this off');
  })().catch((err: unknown) => {
    if (!abort.signal.aborted) log.warn({ err: err instanceof Error ? err.message : String(err) }, 'demo complaints not completed');
  });
  parts.own('demo complaints', async () => {
    abort.abort();
    await done;
  });
}
