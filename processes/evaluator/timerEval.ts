import type { TimerDef } from '../model/types';
import { cycleTooFrequent, nextDueAt, parseCycle, parseDateTime, parseDuration, addDuration } from '../timers';
import { evalAt } from './feelEval';
import type { Evaluated } from './feelEval';
import type { Run } from './run';

export interface TimerPlan {
  dueAt: number;
  cycle: { value: string; anchor: number; occurrence: number } | null;
}

const FEEL_TEMPORAL: Record<TimerDef['kind'], string> = {
  duration: 'FeelDuration',
  date: 'FeelDateTime',
  cycle: 'FeelDuration',
};

/** The text of a timer value: static, a FEEL string, or a FEEL duration/date-time of the right kind. */
function timerText(run: Run, key: string, timer: TimerDef): Evaluated<string> {
  if ('static' in timer.value) return { ok: true, value: timer.value.static };
  const r = evalAt(run, key, timer.value.feel);
  if (!r.ok) return r;
  const v = r.value;
  if (typeof v === 'string') return { ok: true, value: v };
  if (v !== null && typeof v === 'object' && v.constructor?.name === FEEL_TEMPORAL[timer.kind]) {
    // A FEEL duration used as a cycle means "repeat forever", as in Zeebe.
    return { ok: true, value: timer.kind === 'cycle' ? `R/${String(v)}` : String(v) };
  }
  const found = v === null || v === undefined ? 'null' : typeof v === 'object' ? v.constructor?.name : typeof v;
  return { ok: false, error: `timer ${timer.kind} '${timer.value.feel}' must be a ${timer.kind}, but was ${found}` };
}

/** When a timer created now is first due; errors become EXTRACT_VALUE_ERROR incidents. */
export function planTimer(run: Run, key: string, timer: TimerDef): Evaluated<TimerPlan> {
  const text = timerText(run, key, timer);
  if (!text.ok) return text;
  if (timer.kind === 'duration') {
    const d = parseDuration(text.value);
    return d.ok ? { ok: true, value: { dueAt: addDuration(run.time, d.value), cycle: null } } : d;
  }
  if (timer.kind === 'date') {
    const at = parseDateTime(text.value);
    return at.ok ? { ok: true, value: { dueAt: at.value, cycle: null } } : at;
  }
  const c = parseCycle(text.value);
  if (!c.ok) return c;
  const tooFrequent = run.limits ? cycleTooFrequent(c.value, run.limits.minTimerCycleMs) : null;
  if (tooFrequent) return { ok: false, error: `limit exceeded: timer cycle '${text.value}' ${tooFrequent}` };
  const due = nextDueAt(c.value, run.time, 0);
  if (due === null) return { ok: false, error: `timer cycle '${text.value}' has no repetitions` };
  return { ok: true, value: { dueAt: due, cycle: { value: text.value, anchor: run.time, occurrence: 0 } } };
}

/** The next occurrence of a cycle after `occurrence` fired, or null when it is used up. */
export function nextOccurrence(cycle: NonNullable<TimerPlan['cycle']>): TimerPlan | null {
  const c = parseCycle(cycle.value);
  if (!c.ok) return null;
  if ('cron' in c.value) {
    // Cron: the next match after the occurrence that fired (the anchor rolls forward, so no replay from the start).
    const fired = nextDueAt(c.value, cycle.anchor, cycle.occurrence);
    if (fired === null) return null;
    const due = nextDueAt(c.value, fired, 0);
    return due === null ? null : { dueAt: due, cycle: { ...cycle, anchor: fired, occurrence: 0 } };
  }
  const occurrence = cycle.occurrence + 1;
  const due = nextDueAt(c.value, cycle.anchor, occurrence);
  return due === null ? null : { dueAt: due, cycle: { ...cycle, occurrence } };
}
