/** The memo of evaluations without limits (decision 0042) gives what an evaluation gives. */
import { DEFAULT_FEEL_LIMITS, evaluateFeel } from '../../../processes/feel';

describe('FEEL memo', () => {
  it('gives each context its own result for the same source', () => {
    // when
    const high = evaluateFeel('if severity = "high" then 1 else 2', { severity: 'high', other: 1 });
    const low = evaluateFeel('if severity = "high" then 1 else 2', { severity: 'low', other: 1 });
    const highAgain = evaluateFeel('if severity = "high" then 1 else 2', { severity: 'high', other: 2 });
    // then
    expect(high).toEqual({ ok: true, value: 1 });
    expect(low).toEqual({ ok: true, value: 2 });
    expect(highAgain).toEqual({ ok: true, value: 1 });
  });

  it('keeps values apart that JSON would blur: -0 and 0, a date and its text, undefined and missing', () => {
    // when
    const zero = evaluateFeel('y', { y: 0 });
    const negativeZero = evaluateFeel('y', { y: -0 });
    const text = evaluateFeel('d', { d: '2026-01-01T00:00:00.000Z' });
    const date = evaluateFeel('d', { d: new Date('2026-01-01T00:00:00.000Z') });
    const missing = evaluateFeel('z = null', {}, { allowWarnings: true });
    const undefinedValue = evaluateFeel('z = null', { z: undefined }, { allowWarnings: true });
    // then
    expect(Object.is((zero as { value: unknown }).value, 0)).toBe(true);
    expect(Object.is((negativeZero as { value: unknown }).value, -0)).toBe(true);
    expect(text).toEqual({ ok: true, value: '2026-01-01T00:00:00.000Z' });
    expect(date).toEqual(evaluateFeel('d', { d: new Date('2026-01-01T00:00:00.000Z') }, { limits: DEFAULT_FEEL_LIMITS }));
    expect(undefinedValue).toEqual(evaluateFeel('z = null', { z: undefined }, { allowWarnings: true, limits: DEFAULT_FEEL_LIMITS }));
    expect(missing).toMatchObject({ ok: true, value: true });
  });

  it('tells a missing variable from a present one', () => {
    // when
    const missing = evaluateFeel('amount > 10', {}, { allowWarnings: true });
    const present = evaluateFeel('amount > 10', { amount: 11 }, { allowWarnings: true });
    // then
    expect(missing).toMatchObject({ ok: true, value: null, warnings: [expect.objectContaining({ type: 'NO_VARIABLE_FOUND' })] });
    expect(present).toEqual({ ok: true, value: true });
  });

  it('reads names with spaces and gives fresh lists and contexts each time', () => {
    // when
    const spaced = evaluateFeel('order total * 2', { 'order total': 5 });
    const spacedOther = evaluateFeel('order total * 2', { 'order total': 6 });
    const first = evaluateFeel('[a, a]', { a: 1 });
    const second = evaluateFeel('[a, a]', { a: 1 });
    // then
    expect(spaced).toEqual({ ok: true, value: 10 });
    expect(spacedOther).toEqual({ ok: true, value: 12 });
    expect(first).toEqual(second);
    expect(first.ok && second.ok && first.value !== second.value).toBe(true);
  });

  it('gives the same values with and without limits', () => {
    // given
    const context = { severity: 'medium', n: 3 };
    const sources = ['if severity = "high" then duration("PT3H") else duration("P2D")', 'n * 2 + 1', 'string length(severity)'];
    // when
    const memoized = sources.map((s) => evaluateFeel(s, context));
    const bounded = sources.map((s) => evaluateFeel(s, context, { limits: DEFAULT_FEEL_LIMITS }));
    // then
    expect(memoized.map((r) => r.ok && String(r.value))).toEqual(bounded.map((r) => r.ok && String(r.value)));
  });
});
