import { parseCycle, type IsoCycle } from './cycle';
import { addDuration } from './duration';

/** Default shortest interval of a repeating timer (TIMER_MIN_CYCLE_SECONDS): R/PT0.001S fired every second forever. */
export const DEFAULT_MIN_CYCLE_MS = 60_000;

/** Null when the cycle repeats no more often than `minMs`, otherwise the reason. */
export function cycleTooFrequent(cycle: IsoCycle, minMs: number): string | null {
  const every = addDuration(0, cycle.interval);
  return every < minMs
    ? `repeats every ${every} ms; the shortest interval allowed is ${minMs} ms (TIMER_MIN_CYCLE_SECONDS)`
    : null;
}
import { parseDateTime } from './dateTime';
import { parseDuration } from './duration';

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
