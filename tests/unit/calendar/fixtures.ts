import type { BusinessCalendar, WorkingInterval } from '../../../processes/calendar';
import { parseDateTime } from '../../../processes/timers';

export const HOUR = 3_600_000;
export const MINUTE = 60_000;

const nineToFive: WorkingInterval[] = [['09:00', '17:00']];
const weekdays = (hours: WorkingInterval[]) => ({ mon: hours, tue: hours, wed: hours, thu: hours, fri: hours, sat: [], sun: [] });
const everyDay = (hours: WorkingInterval[]) => ({ ...weekdays(hours), sat: hours, sun: hours });

/** Berlin office, Mon–Fri 09:00–17:00, a few public holidays. */
export const berlin: BusinessCalendar = {
  id: 'berlin-office',
  timeZone: 'Europe/Berlin',
  workingHours: weekdays(nineToFive),
  holidays: ['2026-01-01', '2026-10-03', '2026-12-25', '2026-12-26'],
};

/** New York office, Mon–Fri 09:00–17:00. */
export const newYork: BusinessCalendar = { id: 'nyc-office', timeZone: 'America/New_York', workingHours: weekdays(nineToFive) };

/** Shanghai office, Mon–Fri 09:00–12:00 and 13:00–18:00, National Day week off. */
export const shanghai: BusinessCalendar = {
  id: 'shanghai-office',
  timeZone: 'Asia/Shanghai',
  workingHours: weekdays([['09:00', '12:00'], ['13:00', '18:00']]),
  holidays: ['2026-10-01', '2026-10-02', '2026-10-03', '2026-10-04', '2026-10-05', '2026-10-06', '2026-10-07'],
};

/** Round the clock: working time equals elapsed time, so DST shows up as 23 h / 25 h days. */
export const allDay = (timeZone: string): BusinessCalendar => ({ id: `24x7-${timeZone}`, timeZone, workingHours: everyDay([['00:00', '24:00']]) });

/** Sunday-only shifts that start or end inside a DST gap or overlap. */
export const sundayShift = (timeZone: string, start: string, end: string): BusinessCalendar => ({
  id: `sunday-${timeZone}`,
  timeZone,
  workingHours: { sun: [[start, end]] },
});

/** Epoch ms of an ISO date-time written with its local offset, e.g. `2026-03-30T17:00+02:00`. */
export function at(text: string): number {
  const parsed = parseDateTime(text);
  if (!parsed.ok) throw new Error(parsed.error);
  return parsed.value;
}

/** UTC ISO text, for readable failures. */
export const utc = (epochMs: number): string => new Date(epochMs).toISOString();
