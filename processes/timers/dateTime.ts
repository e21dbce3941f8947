import type { Parsed } from './result';

// Date-times must carry `Z` or an offset: a local time would depend on the worker's zone.
const DATE_TIME =
  /^(\d{4})-(\d{2})-(\d{2})T(\d{2}):(\d{2})(?::(\d{2})(?:[.,](\d{1,9}))?)?(Z|[+-]\d{2}:?\d{2})$/;

/** Parses an ISO 8601 date-time with `Z` or `±hh:mm` into epoch milliseconds. */
export function parseDateTime(text: string): Parsed<number> {
  const source = text.trim();
  const m = DATE_TIME.exec(source);
  const fail: Parsed<number> = {
    ok: false,
    error: `'${text}' is not an ISO 8601 date-time with a zone offset (e.g. 2025-01-31T09:00:00Z)`,
  };
  if (!m) return fail;
  const [year, month, day, hour, minute] = [m[1], m[2], m[3], m[4], m[5]].map(Number) as [
    number, number, number, number, number,
  ];
  const second = Number(m[6] ?? 0);
  const millis = Math.floor(Number(`0.${m[7] ?? '0'}`) * 1000);
  if (month < 1 || month > 12 || hour > 24 || minute > 59 || second > 59) return fail;
  if (day < 1 || day > new Date(Date.UTC(year, month, 0)).getUTCDate()) return fail;
  if (hour === 24 && (minute !== 0 || second !== 0 || millis !== 0)) return fail;
  const zone = m[8] ?? 'Z';
  let offsetMinutes = 0;
  if (zone !== 'Z') {
    const digits = zone.slice(1).replace(':', '');
    const oh = Number(digits.slice(0, 2));
    const om = Number(digits.slice(2, 4));
    if (oh > 18 || om > 59) return fail;
    offsetMinutes = (zone.startsWith('-') ? -1 : 1) * (oh * 60 + om);
  }
  const utc = Date.UTC(year, month - 1, day, hour, minute, second, millis);
  return { ok: true, value: utc - offsetMinutes * 60_000 };
}

/** Formats epoch milliseconds as an ISO 8601 UTC date-time (for history and commands). */
export function formatDateTime(epochMs: number): string {
  return new Date(epochMs).toISOString();
}
