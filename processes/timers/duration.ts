import type { Parsed } from './result';

/** An ISO 8601 duration split into its calendar and clock parts (all non-negative). */
export interface IsoDuration {
  years: number;
  months: number;
  weeks: number;
  days: number;
  hours: number;
  minutes: number;
  seconds: number;
}

// Fractions are allowed only on the last (smallest) component, as ISO 8601 requires;
// `PnW` may be combined with other parts because Java's Period (Camunda) accepts it.
const DURATION =
  /^P(?:(\d+)Y)?(?:(\d+)M)?(?:(\d+)W)?(?:(\d+)D)?(?:T(?:(\d+)H)?(?:(\d+)M)?(?:(\d+(?:[.,]\d+)?)S)?)?$/;

/** Parses `PnYnMnWnDTnHnMnS` (any subset, at least one part; seconds may be fractional). */
export function parseDuration(text: string): Parsed<IsoDuration> {
  const source = text.trim();
  const m = DURATION.exec(source);
  if (!m || source === 'P' || source.endsWith('T')) {
    return { ok: false, error: `'${text}' is not an ISO 8601 duration (e.g. PT1H, P2D, P1W)` };
  }
  const n = (i: number): number => {
    const part = m[i];
    return part === undefined ? 0 : Number(part.replace(',', '.'));
  };
  return {
    ok: true,
    value: { years: n(1), months: n(2), weeks: n(3), days: n(4), hours: n(5), minutes: n(6), seconds: n(7) },
  };
}

function daysInMonth(year: number, monthIndex: number): number {
  return new Date(Date.UTC(year, monthIndex + 1, 0)).getUTCDate();
}

/**
 * Adds a duration to an instant, in UTC: years and months move the calendar date and
 * clamp the day (Jan 31 + P1M = Feb 28/29, as java.time does), the rest is exact time.
 */
export function addDuration(epochMs: number, d: IsoDuration): number {
  let t = epochMs;
  const months = d.years * 12 + d.months;
  if (months !== 0) {
    const at = new Date(t);
    const total = at.getUTCFullYear() * 12 + at.getUTCMonth() + months;
    const year = Math.floor(total / 12);
    const month = total - year * 12;
    const day = Math.min(at.getUTCDate(), daysInMonth(year, month));
    t = Date.UTC(year, month, day, at.getUTCHours(), at.getUTCMinutes(), at.getUTCSeconds(), at.getUTCMilliseconds());
  }
  const seconds = ((d.weeks * 7 + d.days) * 24 + d.hours) * 3600 + d.minutes * 60 + d.seconds;
  return t + Math.round(seconds * 1000);
}

/** True when the duration is zero (a cycle of zero would fire forever at once). */
export function isZeroDuration(d: IsoDuration): boolean {
  return d.years + d.months + d.weeks + d.days + d.hours + d.minutes + d.seconds === 0;
}
