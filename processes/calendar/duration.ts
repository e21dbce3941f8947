import { parseDuration } from '../timers';
import type { Parsed } from '../timers';

const WORDS = /^(\d+(?:\.\d+)?)\s*business\s+(hours?|minutes?)$/i;

/**
 * A working-time target in ms: an ISO 8601 clock duration (`PT8H`, `PT1H30M`, `PT90S`)
 * or words (`8 business hours`, `30 business minutes`). Days, weeks, months and years are
 * refused: how much working time a "day" holds depends on the calendar.
 */
export function parseBusinessDuration(text: string): Parsed<number> {
  const words = WORDS.exec(text.trim());
  if (words) {
    const unit = (words[2] ?? '').toLowerCase().startsWith('hour') ? 3_600_000 : 60_000;
    return { ok: true, value: Math.round(Number(words[1]) * unit) };
  }
  const parsed = parseDuration(text);
  if (!parsed.ok) return { ok: false, error: `${parsed.error}, or '8 business hours'` };
  const d = parsed.value;
  if (d.years + d.months + d.weeks + d.days > 0) {
    return { ok: false, error: `'${text}': a business duration takes hours, minutes and seconds only (e.g. PT8H); a business day's length depends on the calendar` };
  }
  return { ok: true, value: Math.round((d.hours * 3600 + d.minutes * 60 + d.seconds) * 1000) };
}
