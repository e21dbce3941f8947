import { evaluateFeel, expressionSource, feelSyntaxError, isExpression } from '../../../processes/feel';

describe('FEEL wrapper', () => {
  it('evaluates expressions against a context', () => {
    expect(evaluateFeel('severity = "high" and amount > 100', { severity: 'high', amount: 250 }))
      .toEqual({ ok: true, value: true });
  });

  it('turns unknown variables into failures instead of silent nulls', () => {
    const result = evaluateFeel('customer.tier', {});
    expect(result.ok).toBe(false);
    expect(result.ok === false && result.error).toMatch(/customer/);
  });

  it('with allowWarnings goes on with null as Camunda 8.3+ does, and names what it suppressed without values', () => {
    expect(evaluateFeel('if reminders = null then 1 else reminders + 1', {}, { allowWarnings: true }))
      .toEqual({ ok: true, value: 1, warnings: [{ type: 'NO_VARIABLE_FOUND', message: "Variable 'reminders' not found" }] });
    expect(evaluateFeel('if reminders = null then 1 else reminders + 1', { reminders: 2 }, { allowWarnings: true }))
      .toEqual({ ok: true, value: 3 });
    expect(evaluateFeel('customer.tier', { customer: { name: 'Ada Secret' } }, { allowWarnings: true }))
      .toEqual({ ok: true, value: null, warnings: [{ type: 'NO_CONTEXT_ENTRY_FOUND', message: "Key 'tier' not found" }] });
    const mixed = evaluateFeel('"order-" + n', { n: 4711 }, { allowWarnings: true });
    expect(mixed).toEqual({ ok: true, value: null, warnings: [{ type: 'INVALID_TYPE', message: 'INVALID_TYPE' }] });
    expect(JSON.stringify(evaluateFeel('nosuch(1)', {}, { allowWarnings: true }))).toContain('NO_FUNCTION_FOUND');
  });

  it('supports Camunda\'s assert(), which fails the evaluation when its condition is not true', () => {
    expect(evaluateFeel('assert(w, w != null) - 1', { w: 3 })).toEqual({ ok: true, value: 2 });
    const failed = evaluateFeel('assert(w, w != null, "w is not set")', {}, { allowWarnings: true });
    expect(failed).toEqual({ ok: false, error: 'Assertion failure: w is not set' });
    expect(evaluateFeel('assert(w, w > 5)', { w: 3 })).toEqual({ ok: false, error: 'Assertion failure: the condition is not fulfilled' });
  });

  it('reports syntax errors with their position and never evaluates', () => {
    expect(feelSyntaxError('a +')).toMatch(/position 3/);
    // the range is measured from its bounds, never iterated (the limit: docs/security.md)
    expect(feelSyntaxError('for x in 1..100000000000 return x')).toBe("'for x in 1..100000000000 return x' would iterate 100000000000 times; the limit is 100000");
    expect(feelSyntaxError('for x in 1..n return x')).toBeNull();
    expect(feelSyntaxError('   ')).toBe('empty expression');
  });

  it('tells expressions from static values', () => {
    expect(isExpression('=a')).toBe(true);
    expect(isExpression('PT1H')).toBe(false);
    expect(expressionSource(' =a + 1')).toBe('a + 1');
    expect(expressionSource('PT1H')).toBe('PT1H');
  });
});
