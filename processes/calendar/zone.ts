/**
 * UTC ↔ local wall time in an IANA time zone through `Intl.DateTimeFormat` only (no date
 * library, no clock). A "wall" value is the local date and time encoded as if it were UTC
 * epoch milliseconds; a "day" is a local calendar date as days since 1970-01-01.
 */

export const DAY_MS = 86_400_000;

const formatters = new Map<string, Intl.DateTimeFormat>();

function formatter(timeZone: string): Intl.DateTimeFormat {
  let f = formatters.get(timeZone);
  if (!f) {
    f = new Intl.DateTimeFormat('en-US', {
      timeZone,
      hourCycle: 'h23',
      year: 'numeric',
      month: 'numeric',
      day: 'numeric',
      hour: 'numeric',
      minute: 'numeric',
      second: 'numeric',
    });
    formatters.set(timeZone, f);
  }
  return f;
}

/** True when the runtime knows the IANA time zone. */
export function isKnownTimeZone(timeZone: string): boolean {
  try {
    formatter(timeZone);
    return true;
  } catch {
    return false;
  }
}

// formatToParts costs microseconds and SLA clocks ask for the same instants (day boundaries,
// working-hour starts) again and again (the what-if simulator runs thousands of clocks):
// results are remembered per zone and second. A pure function of its inputs, so this changes
// no result; bounded, cleared when full.
const wallCache = new Map<string, Map<number, number>>();
const WALL_CACHE_LIMIT = 20_000;

/** The local wall time of an instant (second precision, milliseconds carried over). */
export function toWall(timeZone: string, epochMs: number): number {
  const seconds = Math.floor(epochMs / 1000) * 1000;
  let cache = wallCache.get(timeZone);
  if (!cache) wallCache.set(timeZone, (cache = new Map()));
  const known = cache.get(seconds);
  if (known !== undefined) return known + (epochMs - seconds);
  const wallSeconds = formatWall(timeZone, seconds);
  if (cache.size >= WALL_CACHE_LIMIT) cache.clear();
  cache.set(seconds, wallSeconds);
  return wallSeconds + (epochMs - seconds);
}

function formatWall(timeZone: string, seconds: number): number {
  const p: Record<string, number> = {};
  for (const part of formatter(timeZone).formatToParts(new Date(seconds))) {
    if (part.type !== 'literal') p[part.type] = Number(part.value);
  }
  return Date.UTC(p.year ?? 1970, (p.month ?? 1) - 1, p.day ?? 1, (p.hour ?? 0) % 24, p.minute ?? 0, p.second ?? 0);
}

/** The zone's UTC offset at an instant, in ms (local = UTC + offset). */
export function offsetAt(timeZone: string, epochMs: number): number {
  return toWall(timeZone, epochMs) - epochMs;
}

/** The local date (days since epoch) of an instant. */
export function localDayOf(timeZone: string, epochMs: number): number {
  return Math.floor(toWall(timeZone, epochMs) / DAY_MS);
}

/**
 * The instant of a local wall time. Tries the offsets in force a day before and a day after
 * (a zone changes offset at most once in that window) and keeps those that map back to the
 * wall time: two valid instants → ambiguous (fall-back) → the first occurrence; none → the
 * wall time is in a spring-forward gap → it is read with the offset before the gap, which
 * moves it forward by the gap's length (02:30 in a 02:00→03:00 gap is 03:30).
 */
export function fromWall(timeZone: string, wall: number): number {
  const before = offsetAt(timeZone, wall - DAY_MS);
  const after = offsetAt(timeZone, wall + DAY_MS);
  const early = wall - before;
  const late = wall - after;
  const earlyValid = offsetAt(timeZone, early) === before;
  const lateValid = offsetAt(timeZone, late) === after;
  if (earlyValid && lateValid) return Math.min(early, late);
  if (lateValid) return late;
  return early;
}

/** `YYYY-MM-DD` of a day number. */
export function dayKey(day: number): string {
  return new Date(day * DAY_MS).toISOString().slice(0, 10);
}

/** 0 = Monday … 6 = Sunday (1970-01-01 was a Thursday). */
export function weekdayIndex(day: number): number {
  return (((day + 3) % 7) + 7) % 7;
}
