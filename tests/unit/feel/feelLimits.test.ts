import { DEFAULT_FEEL_LIMITS, evaluateFeel } from '../../../processes/feel';

const bounded = (source: string, context: Record<string, unknown> = {}) => evaluateFeel(source, context, { limits: DEFAULT_FEEL_LIMITS });

describe('FEEL regex functions with limits (RE2)', () => {
  it('answers a catastrophic pattern on a long input instead of hanging (issue 12)', () => {
    // JavaScript's backtracking RegExp needs ~2^n steps for this; RE2 is linear
    const input = `${'a'.repeat(40)}!`;
    expect(bounded('matches(s, "(a+)+$")', { s: input })).toEqual({ ok: true, value: false });
    expect(bounded('matches(s, "^(a|aa)+$")', { s: `${'a'.repeat(5000)}b` })).toEqual({ ok: true, value: false });
  });

  it('gives the same results as feelin for ordinary patterns, named arguments and flags included', () => {
    const cases: Array<[string, Record<string, unknown>]> = [
      ['matches("Complaint 42", "\\\\d+")', {}],
      ['matches(input: "ABC", pattern: "b", flags: "i")', {}],
      ['replace("abcb", "b", "[$0]")', {}],
      ['replace("2024-05-01", "(\\\\d+)-(\\\\d+)-(\\\\d+)", "$3.$2.$1")', {}],
      ['split("a, b,,c", ",\\\\s*")', {}],
      ['split(string: "x1y2z", delimiter: "\\\\d")', {}],
    ];
    for (const [source, context] of cases) {
      const plain = evaluateFeel(source, context);
      expect(plain.ok).toBe(true);
      expect({ source, result: bounded(source, context) }).toEqual({ source, result: plain });
    }
  });

  it('refuses what RE2 cannot run as an error, never a silent null', () => {
    const backref = bounded('matches("aa", "(a)\\\\1")');
    expect(backref.ok).toBe(false);
    expect(!backref.ok && backref.error).toMatch(/matches\(\): pattern '\(a\)\\1' is not a valid RE2 expression/);
    const flag = bounded('matches("a", "a", "x")');
    expect(!flag.ok && flag.error).toMatch(/flag 'x' is not supported/);
  });
});

describe('FEEL structural limits', () => {
  const run = (source: string, over: Partial<typeof DEFAULT_FEEL_LIMITS>, context: Record<string, unknown> = {}) =>
    evaluateFeel(source, context, { limits: { ...DEFAULT_FEEL_LIMITS, ...over } });

  it('refuses nesting deeper than the limit before parsing; brackets in strings do not count', () => {
    expect(run('((1))', { maxNestingDepth: 3 })).toEqual({ ok: true, value: 1 });
    expect(run('(((("a"))))', { maxNestingDepth: 3 })).toEqual({ ok: false, error: 'limit exceeded: expression nests deeper than the limit of 3 brackets' });
    expect(run('"(((((("', { maxNestingDepth: 3 })).toEqual({ ok: true, value: '((((((' });
  });

  it('counts iterations from the range bounds, multiplying the ranges of one for', () => {
    expect(run('for x in 1..n return x', { maxIterations: 10 }, { n: 4 })).toEqual({ ok: true, value: [1, 2, 3, 4] });
    expect(run('for x in 1..n return x', { maxIterations: 10 }, { n: 11 })).toEqual({ ok: false, error: "limit exceeded: 'for x in 1..n return x' would iterate 11 times; the limit is 10" });
    expect(run('for x in 1..3, y in 1..3 return x', { maxIterations: 10 }).ok).toBe(true);
    expect(run('for x in 1..4, y in 1..3 return x', { maxIterations: 10 })).toEqual({ ok: false, error: "limit exceeded: 'for x in 1..4, y in 1..3 return x' would iterate 12 times; the limit is 10" });
  });

  it('refuses results over the string and item limits', () => {
    expect(run('"abcdef"', { maxStringLength: 5 })).toEqual({ ok: false, error: 'limit exceeded: result holds a string of 6 characters; the limit is 5' });
    expect(run('[[1, 2], [3]]', { maxResultItems: 4 })).toEqual({ ok: false, error: 'limit exceeded: result holds more than 4 items' });
    expect(run('[[1, 2], [3]]', { maxResultItems: 5 })).toEqual({ ok: true, value: [[1, 2], [3]] });
  });
});
