import { addBusinessDuration, businessTimeBetween, nextWorkingInstant } from '../../../processes/calendar';
import { HOUR, allDay, at, berlin, newYork, sundayShift, utc } from './fixtures';

// Europe/Berlin: 2026-03-29 02:00 CET → 03:00 CEST; 2026-10-25 03:00 CEST → 02:00 CET.
// America/New_York: 2026-03-08 02:00 EST → 03:00 EDT; 2026-11-01 02:00 EDT → 01:00 EST.

describe('addBusinessDuration across DST changes', () => {
  it.each([
    ['Berlin office, Friday 16:00 + 2h over spring-forward', berlin, '2026-03-27T16:00+01:00', 2 * HOUR, '2026-03-30T10:00+02:00'],
    ['Berlin office, Friday 17:30 + 8h over spring-forward', berlin, '2026-03-27T17:30+01:00', 8 * HOUR, '2026-03-30T17:00+02:00'],
    ['Berlin office, Friday 16:00 + 2h over fall-back', berlin, '2026-10-23T16:00+02:00', 2 * HOUR, '2026-10-26T10:00+01:00'],
    ['Berlin 24/7, Sunday 00:00 + 23h is the next midnight', allDay('Europe/Berlin'), '2026-03-29T00:00+01:00', 23 * HOUR, '2026-03-30T00:00+02:00'],
    ['Berlin 24/7, Saturday 23:00 + 3h = Sunday 03:00 (02:xx never happens)', allDay('Europe/Berlin'), '2026-03-28T23:00+01:00', 3 * HOUR, '2026-03-29T03:00+02:00'],
    ['Berlin 24/7, Saturday 23:00 + 4h = the second 02:00', allDay('Europe/Berlin'), '2026-10-24T23:00+02:00', 4 * HOUR, '2026-10-25T02:00+01:00'],
    ['Berlin 24/7, Sunday 00:00 + 25h is the next midnight', allDay('Europe/Berlin'), '2026-10-25T00:00+02:00', 25 * HOUR, '2026-10-26T00:00+01:00'],
    ['New York office, Friday 16:00 + 3h over spring-forward', newYork, '2026-03-06T16:00-05:00', 3 * HOUR, '2026-03-09T11:00-04:00'],
    ['New York office, Friday 16:00 + 3h over fall-back', newYork, '2026-10-30T16:00-04:00', 3 * HOUR, '2026-11-02T11:00-05:00'],
    ['New York 24/7, Sunday 00:00 + 2h = the second 01:00', allDay('America/New_York'), '2026-11-01T00:00-04:00', 2 * HOUR, '2026-11-01T01:00-05:00'],
    ['New York 24/7, Sunday 00:00 + 2h = 03:00 after spring-forward', allDay('America/New_York'), '2026-03-08T00:00-05:00', 2 * HOUR, '2026-03-08T03:00-04:00'],
  ])('%s', (_name, calendar, start, duration, expected) => {
    // when
    const due = addBusinessDuration(calendar, at(start), duration);
    // then
    expect(utc(due)).toBe(utc(at(expected)));
  });
});

describe('working time of a whole day across DST changes', () => {
  it.each([
    ['Berlin spring-forward Sunday has 23h', allDay('Europe/Berlin'), '2026-03-29T00:00+01:00', '2026-03-30T00:00+02:00', 23 * HOUR],
    ['Berlin fall-back Sunday has 25h', allDay('Europe/Berlin'), '2026-10-25T00:00+02:00', '2026-10-26T00:00+01:00', 25 * HOUR],
    ['New York spring-forward Sunday has 23h', allDay('America/New_York'), '2026-03-08T00:00-05:00', '2026-03-09T00:00-04:00', 23 * HOUR],
    ['New York fall-back Sunday has 25h', allDay('America/New_York'), '2026-11-01T00:00-04:00', '2026-11-02T00:00-05:00', 25 * HOUR],
    // 02:30 does not exist → 03:30 CEST; the shift 02:30–05:00 lasts 1.5h that day
    ['Berlin shift 02:30–05:00 starting in the gap', sundayShift('Europe/Berlin', '02:30', '05:00'), '2026-03-29T00:00+01:00', '2026-03-30T00:00+02:00', 1.5 * HOUR],
    // 02:30 happens twice → the first (CEST); 02:30+02:00 … 05:00+01:00 is 3.5h
    ['Berlin shift 02:30–05:00 starting in the overlap', sundayShift('Europe/Berlin', '02:30', '05:00'), '2026-10-25T00:00+02:00', '2026-10-26T00:00+01:00', 3.5 * HOUR],
    // 02:00 does not exist → 03:00 EDT; 03:00–04:00 EDT is 1h
    ['New York shift 02:00–04:00 starting in the gap', sundayShift('America/New_York', '02:00', '04:00'), '2026-03-08T00:00-05:00', '2026-03-09T00:00-04:00', HOUR],
    // 01:30 happens twice → the first (EDT); 01:30-04:00 … 03:00-05:00 is 2.5h
    ['New York shift 01:30–03:00 starting in the overlap', sundayShift('America/New_York', '01:30', '03:00'), '2026-11-01T00:00-04:00', '2026-11-02T00:00-05:00', 2.5 * HOUR],
  ])('%s', (_name, calendar, from, to, expected) => {
    // when
    const worked = businessTimeBetween(calendar, at(from), at(to));
    // then
    expect(worked).toBe(expected);
  });
});

describe('nextWorkingInstant at nonexistent and ambiguous wall times', () => {
  it.each([
    ['Berlin gap: 02:30 moves forward to 03:30 CEST', sundayShift('Europe/Berlin', '02:30', '05:00'), '2026-03-29T00:00+01:00', '2026-03-29T03:30+02:00'],
    ['Berlin overlap: the first 02:30 (CEST)', sundayShift('Europe/Berlin', '02:30', '05:00'), '2026-10-25T00:00+02:00', '2026-10-25T02:30+02:00'],
    ['New York gap: 02:00 moves forward to 03:00 EDT', sundayShift('America/New_York', '02:00', '04:00'), '2026-03-08T00:00-05:00', '2026-03-08T03:00-04:00'],
    ['New York overlap: the first 01:30 (EDT)', sundayShift('America/New_York', '01:30', '03:00'), '2026-11-01T00:00-04:00', '2026-11-01T01:30-04:00'],
  ])('%s', (_name, calendar, instant, expected) => {
    // when
    const next = nextWorkingInstant(calendar, at(instant));
    // then
    expect(utc(next)).toBe(utc(at(expected)));
  });
});
