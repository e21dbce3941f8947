import {
  addDuration,
  nextDueAt,
  parseCycle,
  parseDateTime,
  parseDuration,
  validateTimerValue,
} from '../../../processes/timers';

const at = (iso: string): number => Date.parse(iso);

describe('parseDuration', () => {
  it.each([
    ['PT1H', { hours: 1 }],
    ['P1Y2M3DT4H5M6S', { years: 1, months: 2, days: 3, hours: 4, minutes: 5, seconds: 6 }],
    ['P2W', { weeks: 2 }],
    ['PT0.5S', { seconds: 0.5 }],
    ['PT1,5S', { seconds: 1.5 }],
    ['P10D', { days: 10 }],
  ])('accepts %s', (text, expected) => {
    // given
    const zero = { years: 0, months: 0, weeks: 0, days: 0, hours: 0, minutes: 0, seconds: 0 };
    // when
    const parsed = parseDuration(text);
    // then
    expect(parsed).toEqual({ ok: true, value: { ...zero, ...expected } });
  });

  it.each(['', 'P', 'PT', '1H', 'PT1H2D', 'P1.5Y', 'PT-1H', 'P1DT', 'pt1h'])('rejects %j', (text) => {
    // when
    const parsed = parseDuration(text);
    // then
    expect(parsed.ok).toBe(false);
  });
});

describe('addDuration (calendar-true in UTC)', () => {
  it.each([
    ['2024-01-31T10:00:00Z', 'P1M', '2024-02-29T10:00:00.000Z'],
    ['2023-01-31T10:00:00Z', 'P1M', '2023-02-28T10:00:00.000Z'],
    ['2024-02-29T00:00:00Z', 'P1Y', '2025-02-28T00:00:00.000Z'],
    ['2024-12-15T00:00:00Z', 'P1M', '2025-01-15T00:00:00.000Z'],
    ['2024-01-01T00:00:00Z', 'P1W', '2024-01-08T00:00:00.000Z'],
    ['2024-01-01T23:30:00Z', 'PT45M', '2024-01-02T00:15:00.000Z'],
    ['2024-01-01T00:00:00Z', 'P1Y2M3DT4H5M6.5S', '2025-03-04T04:05:06.500Z'],
  ])('%s + %s = %s', (start, duration, expected) => {
    // given
    const parsed = parseDuration(duration);
    if (!parsed.ok) throw new Error(parsed.error);
    // when
    const result = addDuration(at(start), parsed.value);
    // then
    expect(new Date(result).toISOString()).toBe(expected);
  });
});

describe('parseDateTime', () => {
  it.each([
    ['2025-01-31T09:00:00Z', '2025-01-31T09:00:00.000Z'],
    ['2025-01-31T09:00:00+02:00', '2025-01-31T07:00:00.000Z'],
    ['2025-01-31T09:00:00-0530', '2025-01-31T14:30:00.000Z'],
    ['2025-01-31T09:00Z', '2025-01-31T09:00:00.000Z'],
    ['2025-01-31T09:00:00.123Z', '2025-01-31T09:00:00.123Z'],
  ])('accepts %s', (text, expected) => {
    // when
    const parsed = parseDateTime(text);
    // then
    expect(parsed.ok && new Date(parsed.value).toISOString()).toBe(expected);
  });

  it.each(['2025-01-31T09:00:00', '2025-02-30T09:00:00Z', '2025-13-01T00:00:00Z', 'tomorrow', '2025-01-31'])(
    'rejects %j',
    (text) => {
      // when
      const parsed = parseDateTime(text);
      // then
      expect(parsed.ok).toBe(false);
    },
  );
});

describe('parseCycle and nextDueAt', () => {
  it('R3/PT1H fires three times, one hour apart from the anchor', () => {
    // given
    const cycle = parseCycle('R3/PT1H');
    if (!cycle.ok) throw new Error(cycle.error);
    const anchor = at('2025-01-01T00:00:00Z');
    // when
    const dues = [0, 1, 2, 3].map((i) => nextDueAt(cycle.value, anchor, i));
    // then
    expect(dues).toEqual([
      at('2025-01-01T01:00:00Z'),
      at('2025-01-01T02:00:00Z'),
      at('2025-01-01T03:00:00Z'),
      null,
    ]);
  });

  it('R2/start/P1M starts at the start and moves by calendar months', () => {
    // given
    const cycle = parseCycle('R2/2025-01-31T08:00:00Z/P1M');
    if (!cycle.ok) throw new Error(cycle.error);
    // when
    const dues = [0, 1, 2].map((i) => nextDueAt(cycle.value, 0, i));
    // then
    expect(dues).toEqual([at('2025-01-31T08:00:00Z'), at('2025-02-28T08:00:00Z'), null]);
  });

  it('R/PT5M repeats without bound', () => {
    // given
    const cycle = parseCycle('R/PT5M');
    if (!cycle.ok) throw new Error(cycle.error);
    // when
    const due = nextDueAt(cycle.value, 0, 1000);
    // then
    expect('repetitions' in cycle.value && cycle.value.repetitions).toBeNull();
    expect(due).toBe(1001 * 5 * 60_000);
  });

  it('accepts cron as Camunda 8 does (six fields from seconds, or a macro) and fires on its matches in UTC', () => {
    // given: Saturday 2026-12-05 11:00 UTC
    const anchor = at('2026-12-05T11:00:00Z');
    const weekdays = parseCycle('0 0 9-17 * * MON-FRI');
    const everyFive = parseCycle('*/5 * * * * ?');
    const daily = parseCycle('@daily');
    if (!weekdays.ok || !everyFive.ok || !daily.ok) throw new Error('cron refused');
    // when / then
    expect([0, 1, 9].map((i) => nextDueAt(weekdays.value, anchor, i))).toEqual([
      at('2026-12-07T09:00:00Z'), at('2026-12-07T10:00:00Z'), at('2026-12-08T09:00:00Z'),
    ]);
    expect([0, 1].map((i) => nextDueAt(everyFive.value, anchor, i))).toEqual([at('2026-12-05T11:00:05Z'), at('2026-12-05T11:00:10Z')]);
    expect(nextDueAt(daily.value, anchor, 0)).toBe(at('2026-12-06T00:00:00Z'));
  });

  it.each(['0 9 * * *', '0 0 25 * * *', '0 0 9 31 2 *', 'every day'])('rejects the cron expression %j', (text) => {
    // when
    const parsed = parseCycle(text);
    // then
    expect(parsed.ok).toBe(false);
  });

  it.each(['PT1H', 'R3', 'R3/PT0S', 'Rx/PT1H', 'R3/nope/PT1H', 'R3/PT1H/PT1H/x'])('rejects %j', (text) => {
    // when
    const parsed = parseCycle(text);
    // then
    expect(parsed.ok).toBe(false);
  });
});

describe('validateTimerValue', () => {
  it('reports the reason for the wrong kind and null for a valid value', () => {
    // when / then
    expect(validateTimerValue('duration', 'PT1H')).toBeNull();
    expect(validateTimerValue('cycle', 'R3/PT1H')).toBeNull();
    expect(validateTimerValue('date', '2025-01-01T00:00:00Z')).toBeNull();
    expect(validateTimerValue('date', 'PT1H')).toMatch(/date-time/);
    expect(validateTimerValue('cycle', 'PT1H')).toMatch(/repeating interval/);
  });
});
