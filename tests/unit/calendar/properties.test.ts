import fc from 'fast-check';
import { addBusinessDuration, businessTimeBetween, isWorkingTime, nextWorkingInstant } from '../../../processes/calendar';
import { HOUR, at, berlin, newYork, shanghai, sundayShift } from './fixtures';

// Starts anywhere from 2025 to 2027 (every DST change of those years), durations up to 300 business hours.
const calendars = fc.constantFrom(berlin, newYork, shanghai, sundayShift('Europe/Berlin', '02:30', '05:00'), sundayShift('America/New_York', '01:30', '03:00'));
const start = fc.integer({ min: at('2025-01-01T00:00Z'), max: at('2027-12-31T00:00Z') });
const duration = fc.integer({ min: 0, max: 300 * HOUR });

describe('calendar properties', () => {
  it('businessTimeBetween(start, addBusinessDuration(start, d)) == d', () => {
    fc.assert(
      fc.property(calendars, start, duration, (calendar, s, d) => {
        // when
        const due = addBusinessDuration(calendar, s, d);
        // then
        expect(due).toBeGreaterThanOrEqual(s);
        expect(businessTimeBetween(calendar, s, due)).toBe(d);
      }),
      { numRuns: 300 },
    );
  });

  it('a positive target is reached in working time: the millisecond before it is working time', () => {
    fc.assert(
      fc.property(calendars, start, fc.integer({ min: 1, max: 300 * HOUR }), (calendar, s, d) => {
        // when
        const due = addBusinessDuration(calendar, s, d);
        // then
        expect(isWorkingTime(calendar, due - 1)).toBe(true);
      }),
      { numRuns: 200 },
    );
  });

  it('nextWorkingInstant is where the first working millisecond begins', () => {
    fc.assert(
      fc.property(calendars, start, (calendar, s) => {
        // when
        const next = nextWorkingInstant(calendar, s);
        // then
        expect(next).toBe(addBusinessDuration(calendar, s, 1) - 1);
        expect(isWorkingTime(calendar, next)).toBe(true);
        expect(businessTimeBetween(calendar, s, next)).toBe(0);
      }),
      { numRuns: 200 },
    );
  });
});
