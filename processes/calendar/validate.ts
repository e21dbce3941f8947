import type { BusinessCalendar, CalendarProblem, WorkingInterval } from './types';
import { WEEKDAYS } from './types';
import { isKnownTimeZone } from './zone';

export type CalendarParse =
  | { ok: true; value: BusinessCalendar }
  | { ok: false; error: string; problems: CalendarProblem[] };

const TIME = /^([01]\d|2[0-3]):([0-5]\d)$/;
const DATE = /^(\d{4})-(\d{2})-(\d{2})$/;

/** `['workingHours','mon',1]` → `workingHours.mon[1]`. */
export function formatPath(path: readonly (string | number)[]): string {
  return path.reduce<string>((out, key) => (typeof key === 'number' ? `${out}[${key}]` : out ? `${out}.${key}` : key), '');
}

/** Minutes after local midnight of `HH:MM` (`24:00` only when `end`), or null. */
export function parseTimeOfDay(text: string, end: boolean): number | null {
  if (end && text === '24:00') return 1440;
  const m = TIME.exec(text);
  return m ? Number(m[1]) * 60 + Number(m[2]) : null;
}

function isDate(text: string): boolean {
  const m = DATE.exec(text);
  if (!m) return false;
  const [y, mo, d] = [Number(m[1]), Number(m[2]), Number(m[3])];
  if (mo < 1 || mo > 12 || d < 1) return false;
  return d <= new Date(Date.UTC(y, mo, 0)).getUTCDate();
}

const isRecord = (v: unknown): v is Record<string, unknown> => typeof v === 'object' && v !== null && !Array.isArray(v);

function checkDay(day: string, value: unknown, problems: CalendarProblem[]): number {
  const at = (...rest: (string | number)[]): (string | number)[] => ['workingHours', day, ...rest];
  if (!Array.isArray(value)) {
    problems.push({ path: at(), message: 'must be a list of ["HH:MM","HH:MM"] intervals' });
    return 0;
  }
  const spans: { index: number; start: number; end: number }[] = [];
  value.forEach((interval: unknown, index) => {
    if (!Array.isArray(interval) || interval.length !== 2 || !interval.every((t) => typeof t === 'string')) {
      problems.push({ path: at(index), message: 'must be ["HH:MM","HH:MM"]' });
      return;
    }
    const [startText, endText] = interval as unknown as WorkingInterval;
    const start = parseTimeOfDay(startText, false);
    const end = parseTimeOfDay(endText, true);
    if (start === null) problems.push({ path: at(index, 0), message: `'${startText}' is not a time HH:MM (00:00–23:59)` });
    if (end === null) problems.push({ path: at(index, 1), message: `'${endText}' is not a time HH:MM (00:00–24:00)` });
    if (start === null || end === null) return;
    if (end < start) problems.push({ path: at(index), message: 'end before start' });
    else if (end === start) problems.push({ path: at(index), message: 'empty interval (end equals start)' });
    else spans.push({ index, start, end });
  });
  const sorted = [...spans].sort((a, b) => a.start - b.start);
  for (let i = 1; i < sorted.length; i += 1) {
    const prev = sorted[i - 1]!;
    const cur = sorted[i]!;
    if (cur.start < prev.end) {
      const [later, earlier] = cur.index > prev.index ? [cur, prev] : [prev, cur];
      problems.push({ path: at(later.index), message: `overlaps workingHours.${day}[${earlier.index}]` });
    }
  }
  return spans.reduce((sum, s) => sum + (s.end - s.start), 0);
}

/**
 * Validates a calendar document. Every problem names its field, e.g.
 * `workingHours.mon[1]: end before start`. Never throws.
 */
export function parseCalendar(input: unknown): CalendarParse {
  const problems: CalendarProblem[] = [];
  if (!isRecord(input)) {
    problems.push({ path: [], message: 'a calendar must be an object' });
  } else {
    for (const key of Object.keys(input)) {
      if (!['id', 'name', 'timeZone', 'workingHours', 'holidays'].includes(key)) {
        problems.push({ path: [key], message: 'unknown field' });
      }
    }
    if (typeof input.id !== 'string' || input.id.trim() === '') problems.push({ path: ['id'], message: 'required (a non-empty string)' });
    if (input.name !== undefined && typeof input.name !== 'string') problems.push({ path: ['name'], message: 'must be a string' });
    if (typeof input.timeZone !== 'string' || input.timeZone === '') {
      problems.push({ path: ['timeZone'], message: 'required (an IANA time zone such as Europe/Berlin)' });
    } else if (!isKnownTimeZone(input.timeZone)) {
      problems.push({ path: ['timeZone'], message: `unknown time zone '${input.timeZone}'` });
    }
    const hours = input.workingHours;
    if (!isRecord(hours)) {
      problems.push({ path: ['workingHours'], message: 'required (an object with mon…sun)' });
    } else {
      let weekly = 0;
      for (const [day, value] of Object.entries(hours)) {
        if (!(WEEKDAYS as readonly string[]).includes(day)) {
          problems.push({ path: ['workingHours', day], message: `unknown day (use ${WEEKDAYS.join(', ')})` });
        } else {
          weekly += checkDay(day, value, problems);
        }
      }
      if (weekly === 0 && problems.length === 0) problems.push({ path: ['workingHours'], message: 'no working time in the week' });
    }
    if (input.holidays !== undefined) {
      if (!Array.isArray(input.holidays)) {
        problems.push({ path: ['holidays'], message: 'must be a list of local dates YYYY-MM-DD' });
      } else {
        input.holidays.forEach((h: unknown, i) => {
          if (typeof h !== 'string' || !isDate(h)) problems.push({ path: ['holidays', i], message: `${JSON.stringify(h)} is not a date YYYY-MM-DD` });
        });
      }
    }
  }
  if (problems.length > 0) {
    return { ok: false, problems, error: problems.map((p) => `${formatPath(p.path) || 'calendar'}: ${p.message}`).join('; ') };
  }
  return { ok: true, value: input as unknown as BusinessCalendar };
}
