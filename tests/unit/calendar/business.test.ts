import {
  addBusinessDuration,
  businessTimeBetween,
  isWorkingTime,
  nextWorkingInstant,
} from '../../../processes/calendar';
import { HOUR, MINUTE, at, berlin, shanghai, utc } from './fixtures';

describe('addBusinessDuration (expectations in local time with offset)', () => {
  it.each([
    // Berlin, Mon–Fri 09:00–17:00
    ['Friday 17:30 after hours + 8h = Monday 17:00', berlin, '2026-01-16T17:30+01:00', 8 * HOUR, '2026-01-19T17:00+01:00'],
    ['Friday 16:00 + 1h ends at closing, not Monday', berlin, '2026-01-16T16:00+01:00', HOUR, '2026-01-16T17:00+01:00'],
    ['Friday 16:00 + 2h skips the weekend', berlin, '2026-01-16T16:00+01:00', 2 * HOUR, '2026-01-19T10:00+01:00'],
    ['Saturday 11:00 + 30m = Monday 09:30', berlin, '2026-01-17T11:00+01:00', 30 * MINUTE, '2026-01-19T09:30+01:00'],
    ['Wednesday 08:00 before opening + 8h = Wednesday 17:00', berlin, '2026-01-14T08:00+01:00', 8 * HOUR, '2026-01-14T17:00+01:00'],
    ['Wednesday 12:00 + 16h = Friday 12:00', berlin, '2026-01-14T12:00+01:00', 16 * HOUR, '2026-01-16T12:00+01:00'],
    ['30 business days (240h) from Monday 09:00 end on the 30th day', berlin, '2026-01-05T09:00+01:00', 240 * HOUR, '2026-02-13T17:00+01:00'],
    ['2000 business hours = 250 business days: Friday 18 Dec', berlin, '2026-01-05T09:00+01:00', 2000 * HOUR, '2026-12-18T17:00+01:00'],
    // holidays
    ['Thursday 16:00 before a Friday holiday + 2h = Monday 10:00', berlin, '2026-12-24T16:00+01:00', 2 * HOUR, '2026-12-28T10:00+01:00'],
    ['start on a holiday (Friday 25 Dec 10:00) + 1h = Monday 10:00', berlin, '2026-12-25T10:00+01:00', HOUR, '2026-12-28T10:00+01:00'],
    ['New Year: Wednesday 16:00 + 2h skips 1 Jan', berlin, '2025-12-31T16:00+01:00', 2 * HOUR, '2026-01-02T10:00+01:00'],
    // Shanghai, 09:00–12:00 and 13:00–18:00
    ['Shanghai: 11:00 + 2h crosses lunch = 14:00', shanghai, '2026-06-01T11:00+08:00', 2 * HOUR, '2026-06-01T14:00+08:00'],
    ['Shanghai: start inside lunch 12:30 + 30m = 13:30', shanghai, '2026-06-01T12:30+08:00', 30 * MINUTE, '2026-06-01T13:30+08:00'],
    ['Shanghai: 11:30 + 30m ends at 12:00, not after lunch', shanghai, '2026-06-01T11:30+08:00', 30 * MINUTE, '2026-06-01T12:00+08:00'],
    ['Shanghai: 09:00 + 8h = 18:00 the same day', shanghai, '2026-06-01T09:00+08:00', 8 * HOUR, '2026-06-01T18:00+08:00'],
    ['Shanghai: Monday 17:00 + 8h = Tuesday 17:00', shanghai, '2026-06-01T17:00+08:00', 8 * HOUR, '2026-06-02T17:00+08:00'],
    ['Shanghai: 30 Sep 17:00 + 2h skips National Day week', shanghai, '2026-09-30T17:00+08:00', 2 * HOUR, '2026-10-08T10:00+08:00'],
  ])('%s', (_name, calendar, start, duration, expected) => {
    // given
    const startMs = at(start);
    // when
    const due = addBusinessDuration(calendar, startMs, duration);
    // then
    expect(utc(due)).toBe(utc(at(expected)));
  });

  it.each([
    ['on Saturday', '2026-01-17T11:00+01:00'],
    ['on a holiday', '2026-12-25T10:00+01:00'],
    ['during working hours', '2026-01-14T10:15+01:00'],
    ['at closing time', '2026-01-14T17:00+01:00'],
  ])('a zero duration returns the start unchanged (%s)', (_name, start) => {
    // given
    const startMs = at(start);
    // when
    const due = addBusinessDuration(berlin, startMs, 0);
    // then
    expect(utc(due)).toBe(utc(startMs));
  });

  it.each([-1, Number.NaN, Number.POSITIVE_INFINITY])('refuses the duration %p', (duration) => {
    // when / then
    expect(() => addBusinessDuration(berlin, at('2026-01-14T10:00+01:00'), duration)).toThrow(RangeError);
  });

  it('throws instead of looping forever when holidays cover every working day', () => {
    // given: Mondays only, and every Monday of 2026 a holiday
    const mondays = Array.from({ length: 52 }, (_, i) => new Date(Date.UTC(2026, 0, 5 + 7 * i)).toISOString().slice(0, 10));
    const calendar = { id: 'closed', timeZone: 'UTC', workingHours: { mon: [['09:00', '17:00']] as [string, string][] }, holidays: mondays };
    // when / then
    expect(() => addBusinessDuration(calendar, at('2026-01-01T00:00Z'), HOUR)).toThrow(/no working time/);
    expect(() => nextWorkingInstant(calendar, at('2026-01-01T00:00Z'))).toThrow(/no working time/);
  });
});

describe('businessTimeBetween', () => {
  it.each([
    ['Friday 17:30 → Monday 17:00', berlin, '2026-01-16T17:30+01:00', '2026-01-19T17:00+01:00', 8 * HOUR],
    ['a full week Monday 09:00 → Friday 17:00', berlin, '2026-01-12T09:00+01:00', '2026-01-16T17:00+01:00', 40 * HOUR],
    ['a week containing Christmas', berlin, '2026-12-21T00:00+01:00', '2026-12-28T00:00+01:00', 32 * HOUR],
    ['backwards is negative', berlin, '2026-01-19T17:00+01:00', '2026-01-16T17:30+01:00', -8 * HOUR],
    ['same instant', berlin, '2026-01-14T10:00+01:00', '2026-01-14T10:00+01:00', 0],
    ['a weekend only', berlin, '2026-01-17T00:00+01:00', '2026-01-19T00:00+01:00', 0],
    ['Shanghai day without lunch', shanghai, '2026-06-01T00:00+08:00', '2026-06-02T00:00+08:00', 8 * HOUR],
    ['Shanghai 11:30 → 13:30', shanghai, '2026-06-01T11:30+08:00', '2026-06-01T13:30+08:00', HOUR],
  ])('%s', (_name, calendar, from, to, expected) => {
    // when
    const worked = businessTimeBetween(calendar, at(from), at(to));
    // then
    expect(worked).toBe(expected);
  });
});

describe('isWorkingTime', () => {
  it.each([
    ['berlin', '2026-01-14T09:00+01:00', true, berlin],
    ['berlin', '2026-01-14T16:59:59.999+01:00', true, berlin],
    ['berlin', '2026-01-14T17:00+01:00', false, berlin],
    ['berlin', '2026-01-14T08:59+01:00', false, berlin],
    ['berlin', '2026-01-17T12:00+01:00', false, berlin],
    ['berlin', '2026-12-25T12:00+01:00', false, berlin],
    ['shanghai', '2026-06-01T11:59+08:00', true, shanghai],
    ['shanghai', '2026-06-01T12:00+08:00', false, shanghai],
    ['shanghai', '2026-06-01T13:00+08:00', true, shanghai],
  ])('%s: %s is %p', (_name, instant, expected, calendar) => {
    // when
    const working = isWorkingTime(calendar, at(instant));
    // then
    expect(working).toBe(expected);
  });
});

describe('nextWorkingInstant', () => {
  it.each([
    ['Friday after hours → Monday opening', berlin, '2026-01-16T17:30+01:00', '2026-01-19T09:00+01:00'],
    ['inside working hours → itself', berlin, '2026-01-14T10:00+01:00', '2026-01-14T10:00+01:00'],
    ['at closing time → next morning', berlin, '2026-01-14T17:00+01:00', '2026-01-15T09:00+01:00'],
    ['before Christmas → after the holidays and weekend', berlin, '2026-12-24T18:00+01:00', '2026-12-28T09:00+01:00'],
    ['Shanghai lunch → 13:00', shanghai, '2026-06-01T12:15+08:00', '2026-06-01T13:00+08:00'],
  ])('%s', (_name, calendar, instant, expected) => {
    // when
    const next = nextWorkingInstant(calendar, at(instant));
    // then
    expect(utc(next)).toBe(utc(at(expected)));
  });
});
