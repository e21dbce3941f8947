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
