/** Day keys of `workingHours`, Monday first. */
export const WEEKDAYS = ['mon', 'tue', 'wed', 'thu', 'fri', 'sat', 'sun'] as const;
export type Weekday = (typeof WEEKDAYS)[number];

/** A working interval as local wall times `["HH:MM", "HH:MM"]`; the end may be `"24:00"`. */
export type WorkingInterval = readonly [string, string];

/**
 * A business calendar (plain JSON; see docs/calendars.md). Validate with `parseCalendar`
 * before use: the time functions assume a valid calendar and throw on an invalid one.
 */
export interface BusinessCalendar {
  id: string;
  name?: string;
  /** IANA time zone, e.g. `Europe/Berlin`; working hours and holidays are local to it. */
  timeZone: string;
  /** Per weekday, working intervals in local wall time; a missing day has none. */
  workingHours: Partial<Record<Weekday, readonly WorkingInterval[]>>;
  /** Local dates (`YYYY-MM-DD`) without working time, whatever the weekday. */
  holidays?: readonly string[];
}

/** A validation problem, its path in the calendar document (e.g. `['workingHours','mon',1]`). */
export interface CalendarProblem {
  path: (string | number)[];
  message: string;
}
