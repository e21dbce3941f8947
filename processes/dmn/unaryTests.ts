/**
 * FEEL unary tests (the input entries of a decision table) through feelin's `unaryTest`, with
 * failures as values like processes/feel does for expressions. The input value is `?`.
 */
import { parseUnaryTests, unaryTest } from 'feelin';
import { DEFAULT_FEEL_LIMITS, depthError, iterationError, type FeelLimits } from '../feel/limits';

export type UnaryTestResult = { ok: true; matched: boolean } | { ok: false; error: string };

/** `-` and an empty entry match any value (DMN's "irrelevant"). */
export function isAnyValue(text: string): boolean {
  const trimmed = text.trim();
  return trimmed === '' || trimmed === '-';
}

/** A readable parse error of unary tests, or null when they parse. */
export function unaryTestsSyntaxError(text: string, limits: FeelLimits = DEFAULT_FEEL_LIMITS): string | null {
  if (isAnyValue(text)) return null;
  const tooDeep = depthError(text, limits);
  if (tooDeep) return tooDeep;
  try {
    let errorAt: number | null = null;
    parseUnaryTests(text, {}, undefined).iterate({
      enter(node: { type: { isError: boolean }; from: number }) {
        if (errorAt === null && node.type.isError) errorAt = node.from;
      },
    });
    return errorAt === null ? null : `FEEL syntax error at position ${errorAt} in the unary tests '${text}'`;
  } catch (err) {
    return err instanceof Error ? err.message : String(err);
  }
}

/**
 * Whether `value` satisfies the unary tests `text` in `context`. A test that evaluates to null
 * (e.g. `> 5` against a string) does not match, as in Camunda; only an exception fails.
 */
export function testInput(text: string, value: unknown, context: Record<string, unknown>, limits: FeelLimits = DEFAULT_FEEL_LIMITS): UnaryTestResult {
  if (isAnyValue(text)) return { ok: true, matched: true };
  const refused = depthError(text, limits) ?? iterationError(text, context, limits);
  if (refused) return { ok: false, error: `limit exceeded: ${refused}` };
  try {
    const { value: result } = unaryTest(text, { ...context, '?': value === undefined ? null : value });
    return { ok: true, matched: result === true };
  } catch (err) {
    return { ok: false, error: err instanceof Error ? err.message : String(err) };
  }
}
