import { parseCycle } from './cycle';
import { parseDateTime } from './dateTime';
import { parseDuration } from './duration';

/**
 * For the compiler: null when a static timer value is valid for its kind, otherwise
 * the reason. Expressions (`=...`) can only be checked at run time.
 */
export function validateTimerValue(kind: 'duration' | 'date' | 'cycle', value: string): string | null {
  const parsed =
    kind === 'duration' ? parseDuration(value) : kind === 'date' ? parseDateTime(value) : parseCycle(value);
  return parsed.ok ? null : parsed.error;
}
