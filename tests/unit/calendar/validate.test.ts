import { parseCalendar } from '../../../processes/calendar';
import { businessCalendarSchema } from '../../../processes/calendar/schema';

const valid = {
  id: 'shanghai-office',
  name: 'Shanghai office',
  timeZone: 'Asia/Shanghai',
  workingHours: { mon: [['09:00', '12:00'], ['13:00', '18:00']], tue: [['13:00', '18:00'], ['09:00', '12:00']], sat: [['22:00', '24:00']], sun: [] },
  holidays: ['2026-10-01', '2024-02-29'],
};

describe('parseCalendar', () => {
  it('accepts a valid calendar (unordered intervals, 24:00 as an end, missing days closed)', () => {
    // when
    const parsed = parseCalendar(valid);
    // then
    expect(parsed).toEqual({ ok: true, value: valid });
  });

  it.each([
    ['end before start', { workingHours: { mon: [['09:00', '12:00'], ['13:00', '12:30']] } }, 'workingHours.mon[1]: end before start'],
    ['empty interval', { workingHours: { mon: [['09:00', '09:00']] } }, 'workingHours.mon[0]: empty interval (end equals start)'],
    ['overlap', { workingHours: { tue: [['09:00', '13:00'], ['12:00', '18:00']] } }, 'workingHours.tue[1]: overlaps workingHours.tue[0]'],
    ['overlap listed out of order', { workingHours: { tue: [['12:00', '18:00'], ['09:00', '13:00']] } }, 'workingHours.tue[1]: overlaps workingHours.tue[0]'],
    ['unknown time zone', { timeZone: 'Mars/Olympus_Mons' }, "timeZone: unknown time zone 'Mars/Olympus_Mons'"],
    ['missing time zone', { timeZone: undefined }, 'timeZone: required'],
    ['bad start time', { workingHours: { mon: [['9:00', '12:00']] } }, "workingHours.mon[0][0]: '9:00' is not a time HH:MM"],
    ['24:00 as a start', { workingHours: { mon: [['24:00', '24:00']] } }, "workingHours.mon[0][0]: '24:00' is not a time"],
    ['bad end time', { workingHours: { mon: [['09:00', '24:30']] } }, "workingHours.mon[0][1]: '24:30' is not a time"],
    ['not a pair', { workingHours: { mon: [['09:00']] } }, 'workingHours.mon[0]: must be ["HH:MM","HH:MM"]'],
    ['day not a list', { workingHours: { mon: '09:00-17:00' } }, 'workingHours.mon: must be a list'],
    ['unknown day', { workingHours: { monday: [['09:00', '17:00']] } }, 'workingHours.monday: unknown day'],
    ['no working time', { workingHours: { sun: [] } }, 'workingHours: no working time in the week'],
    ['impossible holiday', { holidays: ['2026-10-01', '2026-02-30'] }, 'holidays[1]: "2026-02-30" is not a date YYYY-MM-DD'],
    ['holiday not a string', { holidays: [20261001] }, 'holidays[0]: 20261001 is not a date'],
    ['empty id', { id: ' ' }, 'id: required'],
    ['unknown field', { zone: 'UTC' }, 'zone: unknown field'],
  ])('%s', (_name, change, message) => {
    // given
    const input = { ...valid, ...change };
    // when
    const parsed = parseCalendar(input);
    // then
    expect(parsed.ok).toBe(false);
    expect(parsed.ok ? '' : parsed.error).toContain(message);
  });

  it('reports every problem, each with its path', () => {
    // given
    const input = { id: 'x', timeZone: 'Nowhere/City', workingHours: { mon: [['18:00', '09:00']] }, holidays: ['tomorrow'] };
    // when
    const parsed = parseCalendar(input);
    // then
    expect(parsed.ok ? [] : parsed.problems.map((p) => p.path)).toEqual([['timeZone'], ['workingHours', 'mon', 0], ['holidays', 0]]);
  });

  it.each([null, [], 'calendar'])('refuses %p as a calendar', (input) => {
    // when
    const parsed = parseCalendar(input);
    // then
    expect(parsed.ok ? '' : parsed.error).toBe('calendar: a calendar must be an object');
  });
});

describe('businessCalendarSchema (zod, for the HTTP layer)', () => {
  it('accepts a valid calendar', () => {
    // when
    const parsed = businessCalendarSchema.safeParse(valid);
    // then
    expect(parsed.success).toBe(true);
  });

  it.each([
    ['semantic problem', { workingHours: { mon: [['13:00', '12:00']] } }, ['workingHours', 'mon', 0], 'end before start'],
    ['shape problem', { timeZone: 7 }, ['timeZone'], undefined],
  ])('reports a %s at its path', (_name, change, path, message) => {
    // when
    const parsed = businessCalendarSchema.safeParse({ ...valid, ...change });
    // then
    expect(parsed.success).toBe(false);
    const issue = parsed.error?.issues[0];
    expect(issue?.path).toEqual(path);
    if (message !== undefined) expect(issue?.message).toBe(message);
  });
});
