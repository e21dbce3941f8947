import { Cron } from 'croner';
import { addDuration, isZeroDuration, parseDuration } from './duration';
import type { IsoDuration } from './duration';
import { parseDateTime } from './dateTime';
import type { Parsed } from './result';

/** `R[n]/[start/]duration`; `repetitions` null means unbounded (`R/...`). */
export interface IsoRepeat {
  repetitions: number | null;
  start: number | null;
  interval: IsoDuration;
}

/** A cron expression as Camunda 8 accepts it (Spring's: six fields from seconds, or a macro), in UTC. */
export interface CronCycle {
  cron: string;
}

export type IsoCycle = IsoRepeat | CronCycle;

const CRON_MACROS = new Set(['@yearly', '@annually', '@monthly', '@weekly', '@daily', '@midnight', '@hourly']);

function cronOf(pattern: string): Cron {
  // utcOffset 0: no time zone database (the evaluator runs in Temporal's sandbox); paused: never schedules anything.
  return new Cron(pattern, { utcOffset: 0, paused: true, domAndDow: true });
}

function parseCron(text: string): Parsed<IsoCycle> {
  const pattern = text.trim().replace(/\s+/g, ' ');
  const fields = pattern.split(' ').length;
  if (!(CRON_MACROS.has(pattern.toLowerCase()) || fields === 6)) {
    return { ok: false, error: `'${text}' is neither an ISO 8601 repeating interval (e.g. R3/PT1H) nor a cron expression of six fields from seconds (e.g. 0 0 9-17 * * MON-FRI)` };
  }
  try {
    const cron = cronOf(pattern.startsWith('@') ? pattern.toLowerCase() : pattern);
    if (cron.nextRun(new Date(0)) === null) return { ok: false, error: `cron expression '${text}' never fires` };
  } catch (err) {
    return { ok: false, error: `'${text}' is not a valid cron expression: ${err instanceof Error ? err.message : String(err)}` };
  }
  return { ok: true, value: { cron: pattern.startsWith('@') ? pattern.toLowerCase() : pattern } };
}

/**
 * Parses `R<n>/<duration>`, `R/<duration>` or `R<n>/<start date-time>/<duration>`, or a cron
 * expression (Camunda 8 accepts both in a timer cycle).
 */
export function parseCycle(text: string): Parsed<IsoCycle> {
  if (!text.trim().startsWith('R')) return parseCron(text);
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
  if ('cron' in cycle) {
    // Each occurrence is the first time the expression matches after the one before.
    const cron = cronOf(cycle.cron);
    let due = anchor;
    for (let i = 0; i <= index; i += 1) {
      const next = cron.nextRun(new Date(due));
      if (next === null) return null;
      due = next.getTime();
    }
    return due;
  }
  if (cycle.repetitions !== null && index >= cycle.repetitions) return null;
  let due = cycle.start ?? addDuration(anchor, cycle.interval);
  for (let i = 0; i < index; i += 1) due = addDuration(due, cycle.interval);
  return due;
}
