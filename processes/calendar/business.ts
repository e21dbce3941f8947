import type { BusinessCalendar } from './types';
import { WEEKDAYS } from './types';
import { parseTimeOfDay } from './validate';
import { DAY_MS, dayKey, fromWall, localDayOf, weekdayIndex } from './zone';

/** A calendar prepared for computation: minutes per weekday (0 = Monday) and a holiday set. */
interface Prepared {
  timeZone: string;
  weekly: [number, number][][];
  holidays: ReadonlySet<string>;
  /** Consecutive days without working time after which the calendar is declared empty. */
  maxIdleDays: number;
}

/**
 * Prepared calendars by object: a calendar is parsed once, not for every clock step (SLA clocks
 * and the simulator ask many times). Calendars are not changed after they are made; a changed
 * copy is another object.
 */
const prepared = new WeakMap<BusinessCalendar, Prepared>();

function prepare(calendar: BusinessCalendar): Prepared {
  let found = prepared.get(calendar);
  if (!found) {
    found = prepareNow(calendar);
    prepared.set(calendar, found);
  }
  return found;
}

function prepareNow(calendar: BusinessCalendar): Prepared {
  const weekly = WEEKDAYS.map((day) =>
    (calendar.workingHours[day] ?? [])
      .map(([s, e]): [number, number] => {
        const start = parseTimeOfDay(s, false);
        const end = parseTimeOfDay(e, true);
        if (start === null || end === null || end <= start) {
          throw new RangeError(`calendar '${calendar.id}': invalid working hours on ${day}; validate it with parseCalendar`);
        }
        return [start, end];
      })
      .sort((a, b) => a[0] - b[0]),
  );
  const holidays = new Set(calendar.holidays ?? []);
  return { timeZone: calendar.timeZone, weekly, holidays, maxIdleDays: holidays.size + 14 };
}

/** The working intervals of one local day as UTC instants `[start, end)`, in order. */
function intervalsOn(p: Prepared, day: number): [number, number][] {
  if (p.holidays.size > 0 && p.holidays.has(dayKey(day))) return [];
  const out: [number, number][] = [];
  for (const [s, e] of p.weekly[weekdayIndex(day)] ?? []) {
    const start = fromWall(p.timeZone, day * DAY_MS + s * 60_000);
    const end = fromWall(p.timeZone, day * DAY_MS + e * 60_000);
    if (end > start) out.push([start, end]);
  }
  return out;
}

function idleGuard(p: Prepared, calendar: BusinessCalendar, idle: number): void {
  if (idle > p.maxIdleDays) {
    throw new RangeError(`calendar '${calendar.id}' has no working time after ${idle} consecutive days`);
  }
}

function checkInstant(name: string, value: number): void {
  if (!Number.isFinite(value)) throw new RangeError(`${name} must be a finite number of epoch milliseconds`);
}

/**
 * The earliest instant at which `durationMs` of working time has elapsed since `startEpochMs`.
 * Time outside working intervals (nights, weekends, breaks, holidays) does not count; a
 * zero duration returns the start unchanged, and a result may be the very end of an interval
 * (Friday 16:00 + 1 h in a 09:00–17:00 calendar is Friday 17:00, not Monday 09:00).
 * Walks day by day over the intervals, so long targets cost one step per calendar day.
 */
export function addBusinessDuration(calendar: BusinessCalendar, startEpochMs: number, durationMs: number): number {
  checkInstant('startEpochMs', startEpochMs);
  if (!Number.isFinite(durationMs) || durationMs < 0) throw new RangeError('durationMs must be a finite number ≥ 0');
  if (durationMs === 0) return startEpochMs;
  const p = prepare(calendar);
  let remaining = durationMs;
  let idle = 0;
  for (let day = localDayOf(p.timeZone, startEpochMs); ; day += 1) {
    let worked = false;
    for (const [s, e] of intervalsOn(p, day)) {
      const from = Math.max(s, startEpochMs);
      if (e <= from) continue;
      worked = true;
      if (remaining <= e - from) return from + remaining;
      remaining -= e - from;
    }
    idle = worked ? 0 : idle + 1;
    idleGuard(p, calendar, idle);
  }
}

/**
 * Working time between two instants, in ms; `businessTimeBetween(c, t, addBusinessDuration(c, t, d)) === d`.
 * Antisymmetric: negative when `toMs` is before `fromMs`.
 */
export function businessTimeBetween(calendar: BusinessCalendar, fromMs: number, toMs: number): number {
  checkInstant('fromMs', fromMs);
  checkInstant('toMs', toMs);
  if (toMs < fromMs) return -businessTimeBetween(calendar, toMs, fromMs);
  const p = prepare(calendar);
  let total = 0;
  const lastDay = localDayOf(p.timeZone, toMs);
  for (let day = localDayOf(p.timeZone, fromMs); day <= lastDay; day += 1) {
    for (const [s, e] of intervalsOn(p, day)) {
      total += Math.max(0, Math.min(e, toMs) - Math.max(s, fromMs));
    }
  }
  return total;
}

/** True when the instant lies in a working interval (start included, end excluded). */
export function isWorkingTime(calendar: BusinessCalendar, epochMs: number): boolean {
  checkInstant('epochMs', epochMs);
  const p = prepare(calendar);
  return intervalsOn(p, localDayOf(p.timeZone, epochMs)).some(([s, e]) => s <= epochMs && epochMs < e);
}

/** The instant itself when it is working time, otherwise the start of the next working interval. */
export function nextWorkingInstant(calendar: BusinessCalendar, epochMs: number): number {
  checkInstant('epochMs', epochMs);
  const p = prepare(calendar);
  let idle = 0;
  for (let day = localDayOf(p.timeZone, epochMs); ; day += 1) {
    for (const [s, e] of intervalsOn(p, day)) {
      if (e > epochMs) return Math.max(s, epochMs);
    }
    idle += 1;
    idleGuard(p, calendar, idle);
  }
}
