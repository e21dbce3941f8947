import { parseBusinessDuration } from '../../../processes/calendar';
import { HOUR, MINUTE } from './fixtures';

describe('parseBusinessDuration', () => {
  it.each([
    ['PT8H', 8 * HOUR],
    ['PT1H30M', 90 * MINUTE],
    ['PT90S', 90_000],
    ['PT0S', 0],
    ['PT240H', 240 * HOUR],
    ['8 business hours', 8 * HOUR],
    ['1 business hour', HOUR],
    ['1.5 Business Hours', 90 * MINUTE],
    ['30 business minutes', 30 * MINUTE],
  ])('%s is %p ms of working time', (text, expected) => {
    // when
    const parsed = parseBusinessDuration(text);
    // then
    expect(parsed).toEqual({ ok: true, value: expected });
  });

  it.each([
    ['P1D', /hours, minutes and seconds only/],
    ['P1W', /hours, minutes and seconds only/],
    ['P1DT2H', /hours, minutes and seconds only/],
    ['8 hours', /not an ISO 8601 duration/],
    ['PT', /not an ISO 8601 duration/],
    ['-PT1H', /not an ISO 8601 duration/],
  ])('refuses %j', (text, reason) => {
    // when
    const parsed = parseBusinessDuration(text);
    // then
    expect(parsed.ok ? '' : parsed.error).toMatch(reason);
  });
});
