/**
 * Comparing two evaluator states for the replay dry run: where the tokens stand (active
 * elements as a multiset), and whether open tasks, timers (with their due times),
 * message subscriptions, jobs, SLA clocks and process variables correspond one to one.
 */
import { activeElements, openJobs, openMessageSubscriptions, openUserTasks, pendingTimers, variables, type State } from '../evaluator';

export interface Mismatch {
  kind: 'task' | 'timer' | 'subscription' | 'job' | 'slaClock' | 'variable';
  elementId: string;
  /** What the target's replay has there, and what the migrated state has (counts or values, as text). */
  replayed: string;
  migrated: string;
}

function count(items: string[]): Map<string, number> {
  const out = new Map<string, number>();
  for (const item of items) out.set(item, (out.get(item) ?? 0) + 1);
  return out;
}

/** Active element ids (process instance excluded), `map`ped when given, sorted. */
export function tokens(state: State, map?: ReadonlyMap<string, string>): string[] {
  return activeElements(state).map((e) => (map ? map.get(e.elementId) ?? e.elementId : e.elementId)).sort();
}

/** The first element whose token count differs between two token lists, or null when they are equal. */
export function firstTokenDifference(a: string[], b: string[]): { elementId: string; left: number; right: number } | null {
  const ca = count(a);
  const cb = count(b);
  for (const id of [...new Set([...a, ...b])].sort()) {
    const left = ca.get(id) ?? 0;
    const right = cb.get(id) ?? 0;
    if (left !== right) return { elementId: id, left, right };
  }
  return null;
}

const stable = (value: unknown): string => JSON.stringify(value, (_k, v: unknown) => (
  v && typeof v === 'object' && !Array.isArray(v) ? Object.fromEntries(Object.entries(v as Record<string, unknown>).sort(([x], [y]) => (x < y ? -1 : x > y ? 1 : 0))) : v));

/** Equal as JSON values, whatever the key order. */
export function sameJson(a: unknown, b: unknown): boolean {
  return stable(a) === stable(b);
}

type Keyed = { elementId: string; what: string };

function compareKind(kind: Mismatch['kind'], replayed: Keyed[], migrated: Keyed[], out: Mismatch[]): void {
  const label = (k: Keyed) => `${k.elementId}\u0000${k.what}`;
  const r = count(replayed.map(label));
  const m = count(migrated.map(label));
  for (const key of [...new Set([...r.keys(), ...m.keys()])].sort()) {
    if ((r.get(key) ?? 0) === (m.get(key) ?? 0)) continue;
    const [elementId = '', what = ''] = key.split('\u0000');
    const describe = (n: number) => (what ? `${n} × ${what}` : String(n));
    out.push({ kind, elementId, replayed: describe(r.get(key) ?? 0), migrated: describe(m.get(key) ?? 0) });
  }
}

/** Everything open in `replayed` (the target's replay) that does not correspond one to one with `migrated`. */
export function mismatches(replayed: State, migrated: State): Mismatch[] {
  const out: Mismatch[] = [];
  const tasks = (s: State) => openUserTasks(s).map((t) => ({ elementId: t.elementId, what: '' }));
  const timers = (s: State) => pendingTimers(s).map((t) => ({ elementId: t.elementId, what: `due ${new Date(t.dueAt).toISOString()}` }));
  const subs = (s: State) => openMessageSubscriptions(s).map((m) => ({ elementId: m.elementId, what: `'${m.messageName}'${m.correlationKey === null ? '' : ` (${m.correlationKey})`}` }));
  const jobs = (s: State) => openJobs(s).map((j) => ({ elementId: j.elementId, what: j.taskType }));
  const clocks = (s: State) => (s.sla?.clocks ?? []).filter((c) => c.stoppedAt === null).map((c) => ({ elementId: c.elementId ?? s.processId, what: `${c.clockKey} ${c.state}` }));
  compareKind('task', tasks(replayed), tasks(migrated), out);
  compareKind('timer', timers(replayed), timers(migrated), out);
  compareKind('subscription', subs(replayed), subs(migrated), out);
  compareKind('job', jobs(replayed), jobs(migrated), out);
  compareKind('slaClock', clocks(replayed), clocks(migrated), out);
  const vr = variables(replayed);
  const vm = variables(migrated);
  for (const name of [...new Set([...Object.keys(vr), ...Object.keys(vm)])].sort()) {
    if (sameJson(vr[name], vm[name])) continue;
    // Values are not shown (they may be personal data): only that they differ.
    out.push({ kind: 'variable', elementId: name, replayed: name in vr ? 'set' : 'absent', migrated: name in vm ? (name in vr ? 'another value' : 'set') : 'absent' });
  }
  return out;
}
