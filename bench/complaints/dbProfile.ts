/**
 * Where FerretDB's time goes, seen from the client: every command's round trip by command and
 * collection (MongoDB driver command monitoring). Printed as `# db:` lines, largest total first.
 */
import type { Connection } from 'mongoose';

interface Row { count: number; totalMs: number; maxMs: number; failed: number }

/** `connection` must be opened with `monitorCommands: true`. */
export function profileCommands(connection: Connection) {
  const client = connection.getClient();
  const started = new Map<number, string>();
  const rows = new Map<string, Row>();
  const row = (key: string) => {
    let r = rows.get(key);
    if (!r) rows.set(key, (r = { count: 0, totalMs: 0, maxMs: 0, failed: 0 }));
    return r;
  };
  client.on('commandStarted', (e) => {
    const target = e.command[e.commandName] as unknown;
    started.set(e.requestId, `${e.commandName} ${typeof target === 'string' ? target : ''}`.trim());
  });
  const finish = (e: { requestId: number; duration: number }, failed: boolean) => {
    const key = started.get(e.requestId);
    if (!key) return;
    started.delete(e.requestId);
    const r = row(key);
    r.count += 1;
    r.totalMs += e.duration;
    r.maxMs = Math.max(r.maxMs, e.duration);
    if (failed) r.failed += 1;
  };
  client.on('commandSucceeded', (e) => finish(e, false));
  client.on('commandFailed', (e) => finish(e, true));
  return {
    /** Commands the service sent (collection and index creation at start-up left out). */
    commands(): number {
      let n = 0;
      for (const [key, r] of rows) if (!key.startsWith('create')) n += r.count;
      return n;
    },
    /** `# db:` lines, largest total first. */
    lines(top = 12): string[] {
      const sorted = [...rows.entries()].sort((a, b) => b[1].totalMs - a[1].totalMs).slice(0, top);
      return sorted.map(([key, r]) =>
        `# db: ${key.padEnd(32)} ×${r.count} total ${Math.round(r.totalMs)} ms, mean ${(r.totalMs / r.count).toFixed(1)} ms, max ${Math.round(r.maxMs)} ms${r.failed ? `, ${r.failed} failed` : ''}`);
    },
  };
}
