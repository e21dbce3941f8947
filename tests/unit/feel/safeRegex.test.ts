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
