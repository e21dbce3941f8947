import { nextDueAt, parseCycle, type IsoCycle } from './cycle';
import { parseDateTime } from './dateTime';
import { addDuration, parseDuration } from './duration';

/** Default shortest interval of a repeating timer (TIMER_MIN_CYCLE_SECONDS): R/PT0.001S fired every second forever; Camunda diagrams use cycles of seconds (R/PT20S). */
export const DEFAULT_MIN_CYCLE_MS = 1_000;

/** Null when the cycle repeats no more often than `minMs`, otherwise the reason. */
export function cycleTooFrequent(cycle: IsoCycle, minMs: number): string | null {
  // A cron expression: the shortest gap among its first occurrences after a fixed moment.
  const every = 'cron' in cycle ? cronGap(cycle) : addDuration(0, cycle.interval);
  return every < minMs
    ? `repeats every ${every} ms; the shortest interval allowed is ${minMs} ms (TIMER_MIN_CYCLE_SECONDS)`
    : null;
}

const CRON_SAMPLES = 16;
function cronGap(cycle: IsoCycle): number {
  let shortest = Number.POSITIVE_INFINITY;
  let previous = nextDueAt(cycle, 0, 0);
  for (let i = 1; i < CRON_SAMPLES && previous !== null; i++) {
    const next = nextDueAt(cycle, 0, i);
    if (next === null) break;
    shortest = Math.min(shortest, next - previous);
    previous = next;
  }
  return shortest;
}

/**
 * For the compiler: null when a static timer value is valid for its kind, otherwise
 * the reason. Expressions (`=...`) can only be checked at run time.
 */
export function validateTimerValue(kind: 'duration' | 'date' | 'cycle', value: string, minCycleMs = DEFAULT_MIN_CYCLE_MS): string | null {
  if (kind === 'cycle') {
    const cycle = parseCycle(value);
    return cycle.ok ? cycleTooFrequent(cycle.value, minCycleMs) : cycle.error;
  }
  const parsed = kind === 'duration' ? parseDuration(value) : parseDateTime(value);
  return parsed.ok ? null : parsed.error;
}
