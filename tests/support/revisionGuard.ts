import type { Connection } from 'mongoose';
import { revisionGuard } from '../../server/db/revisionGuard';

/**
 * Waits until the test servers' keeper (a pass every second) has put the revision guard on
 * this database's `complaints` (decision 0067), probing with complaint `id`, which must exist.
 */
export async function untilGuarded(connection: Connection, id: string, timeoutMs = 15_000): Promise<void> {
  const guard = revisionGuard(connection, 'complaints', () => Number.POSITIVE_INFINITY);
  for (const deadline = Date.now() + timeoutMs; !(await guard.probe(id));) {
    if (Date.now() > deadline) throw new Error(`the keeper did not guard complaints within ${timeoutMs} ms`);
    await new Promise((resolve) => setTimeout(resolve, 200));
  }
}
