import { addDuration, isZeroDuration, parseDuration } from './duration';
import type { IsoDuration } from './duration';
import { parseDateTime } from './dateTime';
import type { Parsed } from './result';

/** `R[n]/[start/]duration`; `repetitions` null means unbounded (`R/...`). */
export interface IsoCycle {
  repetitions: number | null;
  start: number | null;
  interval: IsoDuration;
}

/** Parses `R<n>/<duration>`, `R/<duration>` or `R<n>/<start date-time>/<duration>`. */
export function parseCycle(text: string): Parsed<IsoCycle> {
  const parts = text.trim().split('/');
  const head = parts[0] ?? '';
  const rep = /^R(\d*)$/.exec(head);
  if (!rep || parts.length < 2 || parts.length > 3) {
    return { ok: false, error: `'${text}' is not an ISO 8601 repeating interval (e.g. R3/PT1H)` };
  }
  const repetitions = rep[1] === '' || rep[1] === undefined ? null : Number(rep[1]);
  let start: number | null = null;
  if (parts.length === 3) {
    const parsedStart = parseDateTime(parts[1] ?? '');
    if (!parsedStart.ok) return parsedStart;
    start = parsedStart.value;
  }
  const interval = parseDuration(parts[parts.length - 1] ?? '');
  if (!interval.ok) return interval;
  if (isZeroDuration(interval.value)) {
    return { ok: false, error: `'${text}' repeats a zero interval` };
  }
  return { ok: true, value: { repetitions, start, interval: interval.value } };
}

/**
 * When occurrence `index` (0-based) of a cycle is due, or null once the repetitions
 * are used up. Without a start the first occurrence is one interval after `anchor`
 * (the moment the timer was created); with a start it is the start itself. Each next
 * occurrence adds the interval to the previous one so month arithmetic stays calendar-true.
 */
export function nextDueAt(cycle: IsoCycle, anchor: number, index: number): number | null {
  if (cycle.repetitions !== null && index >= cycle.repetitions) return null;
  let due = cycle.start ?? addDuration(anchor, cycle.interval);
  for (let i = 0; i < index; i += 1) due = addDuration(due, cycle.interval);
  return due;
}
