/**
 * Business calendars for SLA clocks: working hours per weekday in an IANA time zone, minus
 * holidays; working-time arithmetic that is exact across DST changes. Pure (no clock, no
 * I/O, no date library: `Intl.DateTimeFormat` maps UTC ↔ local wall time), so it runs in
 * Temporal's workflow sandbox. Time is epoch ms in UTC. See docs/calendars.md.
 * The zod schema for the HTTP layer is in ./schema (not re-exported here).
 */
export type { BusinessCalendar, CalendarProblem, Weekday, WorkingInterval } from './types';
export { WEEKDAYS } from './types';
export type { CalendarParse } from './validate';
export { parseCalendar, formatPath } from './validate';
export { addBusinessDuration, businessTimeBetween, isWorkingTime, nextWorkingInstant } from './business';
export { parseBusinessDuration } from './duration';
