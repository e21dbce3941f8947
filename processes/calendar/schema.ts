import { z } from 'zod';
import type { BusinessCalendar } from './types';
import { parseCalendar } from './validate';

const time = z.string().describe('local wall time HH:MM (an end may be 24:00)');
const intervals = z.array(z.tuple([time, time])).optional();

/**
 * The calendar document for the HTTP layer: the shape for OpenAPI, then the pure
 * `parseCalendar` for everything else, its problems reported at their paths.
 */
export const businessCalendarSchema = z
  .object({
    id: z.string(),
    name: z.string().optional(),
    timeZone: z.string().describe('IANA time zone, e.g. Europe/Berlin'),
    workingHours: z.object({ mon: intervals, tue: intervals, wed: intervals, thu: intervals, fri: intervals, sat: intervals, sun: intervals }).strict(),
    holidays: z.array(z.string().describe('local date YYYY-MM-DD')).optional(),
  })
  .strict()
  .superRefine((value, ctx) => {
    const parsed = parseCalendar(value);
    if (!parsed.ok) for (const p of parsed.problems) ctx.addIssue({ code: 'custom', path: p.path, message: p.message });
  })
  .transform((value) => value as BusinessCalendar);
