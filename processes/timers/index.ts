/**
 * ISO 8601 timer values (durations, date-times, repeating intervals) as pure functions:
 * no clock, no I/O, so the evaluator (in Temporal's sandbox) and the compiler (validating
 * static timer values at deploy time) share one parser. Time is always epoch ms in UTC.
 */
export type { Parsed } from './result';
export type { IsoDuration } from './duration';
export type { IsoCycle, IsoRepeat, CronCycle } from './cycle';
export { parseDuration, addDuration, isZeroDuration } from './duration';
export { parseDateTime, formatDateTime } from './dateTime';
export { parseCycle, nextDueAt } from './cycle';
export { validateTimerValue, cycleTooFrequent, DEFAULT_MIN_CYCLE_MS } from './validate';
