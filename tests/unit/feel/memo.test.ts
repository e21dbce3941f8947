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
