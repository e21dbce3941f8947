/**
 * Pure helpers of the operator pages (no DOM): durations for people, time left, and the
 * path an instance took through its diagram. tests/unit/web/operatorFormat.test.ts covers them.
 */
import { t } from '../../i18n';

/** `1d 4h`, `3h 12m`, `4m 05s`, `12s` (in 简体中文 `1 天 4 小时` …): the two largest units of a duration. */
export function formatDuration(ms: number): string {
  const total = Math.max(0, Math.floor(Math.abs(ms) / 1000));
  const days = Math.floor(total / 86_400);
  const hours = Math.floor((total % 86_400) / 3600);
  const minutes = Math.floor((total % 3600) / 60);
  const seconds = total % 60;
  const [key, vars, english]: [string, Record<string, string | number>, string] =
    days > 0 ? ['duration.dh', { d: days, h: hours }, `${days}d ${hours}h`]
      : hours > 0 ? ['duration.hm', { h: hours, m: String(minutes).padStart(2, '0') }, `${hours}h ${String(minutes).padStart(2, '0')}m`]
        : minutes > 0 ? ['duration.ms', { m: minutes, s: String(seconds).padStart(2, '0') }, `${minutes}m ${String(seconds).padStart(2, '0')}s`]
          : ['duration.s', { s: seconds }, `${seconds}s`];
  // In the reader's language (web/src/i18n/messages.ts); the English form where no messages are loaded.
  const said = t(key, vars);
  return said === key ? english : said;
}

/** Time left until `dueAt` (negative when overdue), from `now`. */
export function timeLeft(dueAt: string | number | null | undefined, now: number): number | null {
  if (dueAt === null || dueAt === undefined) return null;
  const due = typeof dueAt === 'number' ? dueAt : Date.parse(dueAt);
  return Number.isNaN(due) ? null : due - now;
}

/** How many tokens sit on each element (`activeElements` repeats an element per token). */
export function tokenCounts(activeElements: readonly string[]): Map<string, number> {
  const counts = new Map<string, number>();
  for (const id of activeElements) counts.set(id, (counts.get(id) ?? 0) + 1);
  return counts;
}

export interface FlowLike { id: string; sourceId: string; targetId: string }
export interface ElementEventLike { elementId: string; event: 'activated' | 'completed' | 'terminated' | 'warning' | 'modified' | 'migrated' }

/**
 * The path taken: the elements that completed, and the sequence flows between them. The
 * history records elements, not flows, so a flow counts as taken when its source completed
 * and its target was entered at least once (docs/decisions/0011-instance-path-from-element-events.md).
 */
export function pathTaken(flows: readonly FlowLike[], events: readonly ElementEventLike[]): { elements: Set<string>; flows: Set<string> } {
  const completed = new Set<string>();
  const entered = new Set<string>();
  for (const e of events) {
    if (e.event === 'completed') completed.add(e.elementId);
    if (e.event === 'activated') entered.add(e.elementId);
  }
  const taken = new Set(flows.filter((f) => completed.has(f.sourceId) && entered.has(f.targetId)).map((f) => f.id));
  return { elements: completed, flows: taken };
}

/** Five buckets of a value against the largest one, for the heat map's colours (0 coolest). */
export function heatBucket(value: number, max: number): 0 | 1 | 2 | 3 | 4 {
  if (!(max > 0) || !(value > 0)) return 0;
  return Math.min(4, Math.floor((value / max) * 5)) as 0 | 1 | 2 | 3 | 4;
}

const SLA_SEVERITY = { breached: 3, at_risk: 2, ok: 1, met: 0 } as const;

/** The state an element shows when several clocks run on it: the worst one. */
export function worstSlaState<S extends keyof typeof SLA_SEVERITY>(states: readonly S[]): S | null {
  let worst: S | null = null;
  for (const s of states) if (worst === null || SLA_SEVERITY[s] > SLA_SEVERITY[worst]) worst = s;
  return worst;
}

type Clock<S> = { state: S; elementId?: string | null; taskId?: string | null };

/**
 * The SLA state to colour each element with: a clock names its element, or its task
 * (`<instanceId>.<taskKey>`, resolved through the instance's tasks); the worst clock wins.
 * Clocks of the whole instance (neither) colour nothing.
 */
export function slaByElement<S extends keyof typeof SLA_SEVERITY>(clocks: readonly Clock<S>[], tasks: readonly { key: string; elementId: string }[]): Map<string, S> {
  const taskElement = new Map(tasks.map((task) => [task.key, task.elementId]));
  const states = new Map<string, S[]>();
  for (const clock of clocks) {
    const taskKey = clock.taskId?.split('.').pop();
    const elementId = clock.elementId ?? (taskKey ? taskElement.get(taskKey) : undefined);
    if (elementId) states.set(elementId, [...(states.get(elementId) ?? []), clock.state]);
  }
  const worst = new Map<string, S>();
  for (const [id, list] of states) {
    const state = worstSlaState(list);
    if (state) worst.set(id, state);
  }
  return worst;
}
