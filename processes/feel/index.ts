/**
 * FEEL (Friendly Enough Expression Language) through `feelin`, with failures as values.
 *
 * Camunda 8 marks an attribute as an expression by a leading `=`; everything else is a
 * static value. Evaluation never throws: a parse error or a runtime error comes back as
 * `ok: false`. A warning (an unknown variable, a missing context entry, an unknown function,
 * a type mismatch that FEEL turns into null) is a failure too unless `allowWarnings` is set;
 * then the value (often null) comes back with the warnings, as Camunda 8.3+ (FEEL-Scala)
 * evaluates: "if something goes wrong, return null".
 */
import { evaluate, parseExpression } from 'feelin';
import { SAFE_REGEX_FUNCTIONS } from './safeRegex';
import { DEFAULT_FEEL_LIMITS, depthError, iterationError, resultSizeError, type FeelLimits } from './limits';
import { escapeLineBreaksInStrings, writtenOffset } from './multilineStrings';

export { DEFAULT_FEEL_LIMITS, type FeelLimits } from './limits';

/** A failure FEEL suppressed (the expression went on with null). */
export interface FeelWarning {
  /** feelin's type, e.g. NO_VARIABLE_FOUND, NO_CONTEXT_ENTRY_FOUND, NO_FUNCTION_FOUND, INVALID_TYPE. */
  type: string;
  /**
   * What went wrong without the values involved (they may be personal data): the variable or
   * key name for a missing variable or context entry (names come from the expression itself),
   * otherwise the type only.
   */
  message: string;
}

export type FeelResult =
  | { ok: true; value: unknown; warnings?: FeelWarning[] }
  | { ok: false; error: string };

/**
 * Camunda's `assert(value, condition[, cause])`, which feelin lacks: the documented way to make
 * an evaluation fail (an incident) where FEEL would otherwise go on with null.
 */
function feelAssert(value: unknown, condition: unknown, cause?: unknown): unknown {
  if (condition !== true) throw new Error(typeof cause === 'string' ? `Assertion failure: ${cause}` : 'Assertion failure: the condition is not fulfilled');
  return value;
}
const ASSERT_CALL = /\bassert\s*\(/;

const NAMED_WARNINGS = new Set(['NO_VARIABLE_FOUND', 'NO_CONTEXT_ENTRY_FOUND', 'NO_PROPERTY_FOUND']);

function describeWarning(w: { type?: unknown; message?: unknown }): FeelWarning {
  const type = typeof w.type === 'string' ? w.type : 'WARNING';
  const message = typeof w.message === 'string' && NAMED_WARNINGS.has(type) ? w.message.replace(/ in '.*'$/s, '') : type;
  return { type, message };
}

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
    // A string literal may span lines, as in Camunda (see multilineStrings.ts).
    const normalized = escapeLineBreaksInStrings(source);
    let errorAt: number | null = null;
    parseExpression(normalized.source, {}, undefined).iterate({
      enter(node: { type: { isError: boolean }; from: number }) {
        if (errorAt === null && node.type.isError) errorAt = node.from;
      },
    });
    if (errorAt !== null) return `FEEL syntax error at position ${writtenOffset(normalized, errorAt)} in '${source}'`;
    return iterationError(normalized.source, {}, limits);
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
  // Without limits (the what-if simulator, decision 0042), repeated evaluations are memoized.
  const memoKey = limits ? null : memoKeyOf(source, context, options.allowWarnings === true);
  if (memoKey !== null) {
    const known = memo.get(memoKey);
    if (known) return known;
    const result = evaluateUncached(source, context, options);
    if (result.ok && result.value !== null && typeof result.value === 'object' && Object.getPrototypeOf(result.value) === Object.prototype) return result;
    if (result.ok && Array.isArray(result.value)) return result;
    if (memo.size >= MEMO_LIMIT) memo.clear();
    memo.set(memoKey, result);
    return result;
  }
  return evaluateUncached(source, context, options);
}

/*
 * The memo: feelin parses each expression again for every context (~90 µs). A result depends
 * on the source and on the context entries the source names, so the key is the source plus the
 * JSON of the entries whose names occur in it as identifiers. Not memoized: contexts with a
 * name that is not a plain identifier (FEEL names may contain spaces), sources reading the
 * clock (now(), today()), plain-object and list results (a caller may change them). Bounded.
 */
const memo = new Map<string, FeelResult>();
const MEMO_LIMIT = 5000;
const IDENTIFIER = /^[A-Za-z_][A-Za-z0-9_]*$/;
const TOKENS = /[A-Za-z_][A-Za-z0-9_]*/g;
const CLOCK = /\b(now|today)\s*\(/;

function memoKeyOf(source: string, context: Record<string, unknown>, allowWarnings: boolean): string | null {
  if (CLOCK.test(source) || ASSERT_CALL.test(source)) return null;
  const names = Object.keys(context);
  for (const name of names) if (!IDENTIFIER.test(name)) return null;
  const used = new Set(source.match(TOKENS) ?? []);
  const entries: Array<[string, unknown]> = [];
  for (const name of names) if (used.has(name)) entries.push([name, context[name]]);
  const encoded = keyOf(entries, 0);
  return encoded === null ? null : `${allowWarnings ? 'w' : 's'}\u0000${source}\u0000${encoded}`;
}

/**
 * An exact key for plain JSON-like values, or null (not memoized). Unlike JSON.stringify it
 * keeps -0 apart from 0 and refuses what JSON would blur: undefined, NaN, infinities, dates,
 * class instances, functions, deep or large values.
 */
function keyOf(value: unknown, depth: number): string | null {
  if (value === null) return 'n';
  switch (typeof value) {
    case 'string': return JSON.stringify(value);
    case 'boolean': return value ? 't' : 'f';
    case 'number': return Number.isFinite(value) ? (Object.is(value, -0) ? '-0' : String(value)) : null;
    case 'object': break;
    default: return null;
  }
  if (depth > 8) return null;
  const parts: string[] = [];
  if (Array.isArray(value)) {
    if (value.length > 200) return null;
    for (const item of value) {
      const k = keyOf(item, depth + 1);
      if (k === null) return null;
      parts.push(k);
    }
    return `[${parts.join(',')}]`;
  }
  if (Object.getPrototypeOf(value) !== Object.prototype) return null;
  const entries = Object.entries(value as Record<string, unknown>);
  if (entries.length > 200) return null;
  for (const [name, item] of entries) {
    const k = keyOf(item, depth + 1);
    if (k === null) return null;
    parts.push(`${JSON.stringify(name)}:${k}`);
  }
  return `{${parts.join(',')}}`;
}

function evaluateUncached(
  written: string,
  context: Record<string, unknown>,
  options: { allowWarnings?: boolean; limits?: FeelLimits },
): FeelResult {
  const { limits } = options;
  // A string literal may span lines, as in Camunda (see multilineStrings.ts).
  const source = escapeLineBreaksInStrings(written).source;
  try {
    if (limits) {
      const refused = depthError(source, limits) ?? iterationError(source, context, limits);
      if (refused) return { ok: false, error: `limit exceeded: ${refused}` };
    }
    // With limits, the regex functions run on RE2 (linear time) instead of backtracking RegExp.
    const safe = limits ? { ...context, ...SAFE_REGEX_FUNCTIONS } : context;
    const scope = ASSERT_CALL.test(source) && !Object.prototype.hasOwnProperty.call(context, 'assert') ? { ...safe, assert: feelAssert } : safe;
    const { value, warnings } = evaluate(source, scope) as {
      value: unknown;
      warnings: Array<{ message: string; type?: string }>;
    };
    const tooBig = limits ? resultSizeError(value, limits) : null;
    if (tooBig) return { ok: false, error: `limit exceeded: ${tooBig}` };
    if (warnings.length === 0) return { ok: true, value };
    if (!options.allowWarnings) return { ok: false, error: warnings.map((w) => w.message).join('; ') };
    const seen = new Set<string>();
    const described = warnings.map(describeWarning).filter((w) => {
      const id = `${w.type}\u0000${w.message}`;
      if (seen.has(id)) return false;
      seen.add(id);
      return true;
    });
    return { ok: true, value, warnings: described };
  } catch (err) {
    return { ok: false, error: err instanceof Error ? err.message : String(err) };
  }
}
