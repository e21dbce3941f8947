/**
 * FEEL (Friendly Enough Expression Language) through `feelin`, with failures as values.
 *
 * Camunda 8 marks an attribute as an expression by a leading `=`; everything else is a
 * static value. Evaluation never throws: a parse error, a runtime error or a warning (an
 * unknown variable, a type mismatch that FEEL turns into null) comes back as `ok: false`
 * so that the evaluator can raise an incident instead of taking a silent decision.
 */
import { evaluate, parseExpression } from 'feelin';
import { SAFE_REGEX_FUNCTIONS } from './safeRegex';
import { DEFAULT_FEEL_LIMITS, depthError, iterationError, resultSizeError, type FeelLimits } from './limits';

export { DEFAULT_FEEL_LIMITS, type FeelLimits } from './limits';

export type FeelResult =
  | { ok: true; value: unknown }
  | { ok: false; error: string };

/** True when a zeebe attribute value is a FEEL expression (`=...`). */
export function isExpression(value: string): boolean {
  return value.trimStart().startsWith('=');
}

/** The FEEL source of an `=expr` attribute, or the value itself when it has no `=`. */
export function expressionSource(value: string): string {
  const trimmed = value.trimStart();
  return trimmed.startsWith('=') ? trimmed.slice(1) : value;
}

/**
 * Returns a human-readable parse error, or null when `source` is valid FEEL. Nesting deeper
 * than the limit is refused before parsing (300k parentheses took the parser 11 s), and a
 * `for` over literal ranges longer than the iteration limit is refused too.
 */
export function feelSyntaxError(source: string, limits: FeelLimits = DEFAULT_FEEL_LIMITS): string | null {
  if (source.trim() === '') return 'empty expression';
  const tooDeep = depthError(source, limits);
  if (tooDeep) return tooDeep;
  try {
    // Parse only: evaluating here could run an arbitrarily long `for` loop at deploy time.
    let errorAt: number | null = null;
    parseExpression(source, {}, undefined).iterate({
      enter(node: { type: { isError: boolean }; from: number }) {
        if (errorAt === null && node.type.isError) errorAt = node.from;
      },
    });
    if (errorAt !== null) return `FEEL syntax error at position ${errorAt} in '${source}'`;
    return iterationError(source, {}, limits);
  } catch (err) {
    return err instanceof Error ? err.message : String(err);
  }
}

/**
 * Evaluates FEEL `source` against `context`. Warnings (e.g. a variable that does not
 * exist) make the result a failure unless `allowWarnings` is set.
 */
export function evaluateFeel(
  source: string,
  context: Record<string, unknown>,
  options: { allowWarnings?: boolean; limits?: FeelLimits } = {},
): FeelResult {
  const { limits } = options;
  try {
    if (limits) {
      const refused = depthError(source, limits) ?? iterationError(source, context, limits);
      if (refused) return { ok: false, error: `limit exceeded: ${refused}` };
    }
    // With limits, the regex functions run on RE2 (linear time) instead of backtracking RegExp.
    const scope = limits ? { ...context, ...SAFE_REGEX_FUNCTIONS } : context;
    const { value, warnings } = evaluate(source, scope) as {
      value: unknown;
      warnings: Array<{ message: string }>;
    };
    if (!options.allowWarnings && warnings.length > 0) {
      return { ok: false, error: warnings.map((w) => w.message).join('; ') };
    }
    const tooBig = limits ? resultSizeError(value, limits) : null;
    if (tooBig) return { ok: false, error: `limit exceeded: ${tooBig}` };
    return { ok: true, value };
  } catch (err) {
    return { ok: false, error: err instanceof Error ? err.message : String(err) };
  }
}
