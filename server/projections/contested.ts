/**
 * Instances this writer saw replayed (decision 0014): another process may have written them,
 * and a late older write of that process could land over a newer one. Each is watched for
 * CONTESTED_MS: the newest snapshot this writer handled is kept (with every task it saw closed)
 * and CHECK_DELAYS_MS after each of its flushes the stored sequence is read by `_id`; a stored
 * sequence older than ours is written over again (`rewrite`, a repair: it reads what is stored).
 */
import type { Model } from 'mongoose';
import type { Logger } from '../log';
import { readByIds } from './bulk';
import { coalesce } from './coalesce';
import type { PendingSnapshot } from './flush';
import type { InstanceRecord } from './models';

/** How long an instance replayed by this process is watched for older writes of another process. */
export const CONTESTED_MS = 60_000;
/** When, after each flush of a contested instance, its stored sequence is checked. */
export const CHECK_DELAYS_MS = [2_000, 10_000, 30_000] as const;

/** What a writer keeps of an instance it replayed: the newest snapshot it handled, and when to check. */
interface Contested {
  until: number;
  newest?: PendingSnapshot;
  checks: number[];
}

/**
 * The newer of the two views, with every task either saw closed (once, and not if it is open
 * in the view); events are left out (they are insert-only, written already).
 */
function keepNewest(kept: PendingSnapshot | undefined, other: PendingSnapshot): PendingSnapshot {
  const merged = kept ? coalesce(kept.snapshot, other.snapshot) : other.snapshot;
  const open = new Set(merged.tasks.map((t) => t.key));
  const closed = new Map(merged.closedTasks.filter((c) => !open.has(c.key)).map((c) => [c.key, c]));
  return { startedAt: other.startedAt, snapshot: { ...merged, events: [], closedTasks: [...closed.values()] } };
}

export function contestedInstances(deps: {
  instances: Model<InstanceRecord>;
  log: Logger;
  checkDelaysMs: readonly number[];
  rewrite: (newest: PendingSnapshot) => void;
}) {
  const { log } = deps;
  const checkDelays = deps.checkDelaysMs;
  const contested = new Map<string, Contested>();
  let checkTimer: NodeJS.Timeout | undefined;
  let checking: Promise<void> | undefined;

  const contest = (instanceId: string) => {
    const held = contested.get(instanceId);
    contested.set(instanceId, { checks: [], ...held, until: Date.now() + CONTESTED_MS });
  };

  /** After a flush: the contested instances of the batch are checked again later. */
  const watch = (batch: PendingSnapshot[]) => {
    const now = Date.now();
    for (const item of batch) {
      const held = contested.get(item.snapshot.instanceId);
      if (!held) continue;
      held.newest = keepNewest(held.newest, item);
      held.checks = checkDelays.map((d) => now + d);
    }
    scheduleCheck();
  };

  const check = async () => {
    const now = Date.now();
    const due: Array<[string, PendingSnapshot]> = [];
    for (const [id, held] of contested) {
      if (held.newest && held.checks.length > 0 && held.checks[0]! <= now) {
        held.checks.shift();
        due.push([id, held.newest]);
      }
      if (held.checks.length === 0 && held.until <= now) contested.delete(id);
    }
    if (due.length === 0) return;
    const stored = await readByIds(due.map(([id]) => id), (id) => deps.instances.findById(id, { sequence: 1 }).lean<{ sequence: number }>());
    for (const [id, newest] of due) {
      const at = stored.get(id)?.sequence ?? -1;
      if (at >= newest.snapshot.sequence) continue;
      log.warn({ instanceId: id, stored: at, sequence: newest.snapshot.sequence }, 'projection went back to an older snapshot (another process wrote it late); writing the newest again');
      deps.rewrite(newest);
    }
  };

  function scheduleCheck() {
    if (checkTimer || checking) return;
    let next = Infinity;
    for (const held of contested.values()) next = Math.min(next, held.checks[0] ?? (held.until > Date.now() ? held.until : Date.now()));
    if (next === Infinity) return;
    checkTimer = setTimeout(() => {
      checkTimer = undefined;
      checking = check()
        .catch((err: unknown) => log.warn({ err }, 'projection check of contested instances failed'))
        .finally(() => {
          checking = undefined;
          scheduleCheck();
        });
    }, Math.max(0, next - Date.now()));
    checkTimer.unref();
  }

  return {
    contest,
    has: (instanceId: string) => contested.has(instanceId),
    get size() { return contested.size; },
    /** After a flush: the contested instances of the batch are checked again later. */
    watch,
    stop() {
      if (checkTimer) clearTimeout(checkTimer);
      checkTimer = undefined;
      contested.clear();
    },
  };
}
