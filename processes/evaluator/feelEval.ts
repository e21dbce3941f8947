import { evaluateFeel, type FeelLimits, type FeelWarning } from '../feel';
import type { ValueOrExpression } from '../model/types';
import { hasOwn, setOwn, toJsonValue } from './json';
import type { Run } from './run';
import { visibleVariables } from './variables';
import type { Variables } from './types';

/** `warnings`: failures FEEL suppressed on the way to `value` (null-friendly mode only). */
export type Evaluated<T> = { ok: true; value: T; warnings?: FeelWarning[] } | { ok: false; error: string };

// Plain variable references (`approved`, `customer.email`) are the most common
// expressions in diagrams; reading them directly gives the same value as feelin
// without parsing. Anything else, or a missing name, goes to feelin (which warns).
const PATH = /^\s*([A-Za-z_]\w*(?:\.[A-Za-z_]\w*)*)\s*$/;
const RESERVED = new Set([
  'null', 'true', 'false', 'not', 'for', 'if', 'then', 'else', 'some', 'every', 'function', 'and', 'or',
  'in', 'return', 'satisfies', 'between', 'instance', 'of',
]);

function readPath(context: Variables, source: string): { found: boolean; value?: unknown } {
  const m = PATH.exec(source);
  if (!m || !m[1]) return { found: false };
  let current: unknown = context;
  for (const part of m[1].split('.')) {
    if (RESERVED.has(part)) return { found: false };
    if (current === null || typeof current !== 'object' || Array.isArray(current)) return { found: false };
    if (!hasOwn(current, part)) return { found: false };
    current = (current as Variables)[part];
  }
  return { found: true, value: current };
}

// `path <op> literal` with a number, string or boolean literal is the typical gateway
// condition. When the variable holds a value of the literal's type the JS comparison
// equals FEEL's; anything else (null, another type, a missing name) goes to feelin.
const COMPARISON =
  /^\s*([A-Za-z_]\w*(?:\.[A-Za-z_]\w*)*)\s*(<=|>=|!=|<|>|=)\s*(-?\d+(?:\.\d+)?|"[^"\\]*"|true|false)\s*$/;

function compareDirect(context: Variables, source: string): { found: boolean; value?: boolean } {
  const m = COMPARISON.exec(source);
  if (!m || !m[1] || !m[2] || !m[3]) return { found: false };
  const left = readPath(context, m[1]);
  if (!left.found) return { found: false };
  const raw = m[3];
  const right: unknown = raw.startsWith('"') ? raw.slice(1, -1) : raw === 'true' ? true : raw === 'false' ? false : Number(raw);
  const a = left.value;
  if (typeof a !== typeof right) return { found: false };
  const op = m[2];
  if (op === '=') return { found: true, value: a === right };
  if (op === '!=') return { found: true, value: a !== right };
  if (typeof a !== 'number' || typeof right !== 'number') return { found: false };
  const value = op === '<' ? a < right : op === '<=' ? a <= right : op === '>' ? a > right : a >= right;
  return { found: true, value };
}

// A context literal of plain entries, `{ status: "open", n: 1, who: customer.name }`, is the
// typical input mapping (and the variables.set template's example). Each key is a plain
// name or a string without escapes, each value a literal or a path that the context has;
// feelin's parse alone costs ~90 µs per expression, and each new variable set changes the
// context, so its result cannot be cached. A path starting with a key of the literal itself
// (entries see the ones before them), a repeated key, a nested literal, a missing name or
// anything else goes to feelin.
const ENTRY = /\s*(?:([A-Za-z_]\w*)|"([^"\\]+)")\s*:\s*(-?\d+(?:\.\d+)?|"[^"\\]*"|[A-Za-z_]\w*(?:\.[A-Za-z_]\w*)*)\s*([,}])/y;
const NUMBER = /^-?\d/;

function contextDirect(context: Variables, source: string): { found: boolean; value?: Variables } {
  const open = source.indexOf('{');
  if (open < 0 || source.slice(0, open).trim() !== '' || !source.trimEnd().endsWith('}')) return { found: false };
  if (/^\s*}\s*$/.test(source.slice(open + 1))) return { found: true, value: {} };
  const entries: Array<[string, string]> = [];
  const entry = new RegExp(ENTRY); // lastIndex is state: never share it (the module is shared by workflows)
  entry.lastIndex = open + 1;
  for (;;) {
    const m = entry.exec(source);
    if (!m || !m[3] || !m[4]) return { found: false };
    const key = m[1] ?? m[2]!;
    if ((m[1] && RESERVED.has(key)) || entries.some(([k]) => k === key)) return { found: false };
    entries.push([key, m[3]]);
    if (m[4] === '}') break;
  }
  if (source.slice(entry.lastIndex).trim() !== '') return { found: false };
  const keys = new Set(entries.map(([k]) => k));
  const out: Variables = {};
  for (const [key, raw] of entries) {
    let value: unknown;
    if (raw.startsWith('"')) value = raw.slice(1, -1);
    else if (NUMBER.test(raw)) value = Number(raw);
    else if (raw === 'true' || raw === 'false') value = raw === 'true';
    else if (raw === 'null') value = null;
    else {
      if (keys.has(raw.split('.')[0]!)) return { found: false };
      const path = readPath(context, raw);
      if (!path.found) return { found: false };
      value = path.value;
    }
    setOwn(out, key, value);
  }
  return { found: true, value: out };
}

/**
 * Evaluates FEEL in a given context; the result is raw (FEEL dates and durations kept).
 * `nullFriendly`: a suppressed failure (missing variable, missing context entry, unknown
 * function, mismatched types) gives the value FEEL goes on with, usually null, and the
 * warnings (Camunda 8.3+); otherwise it is an error. `limits`: the FEEL execution limits (issue 12).
 */
export function evalInContext(source: string, context: Variables, nullFriendly = false, limits?: FeelLimits): Evaluated<unknown> {
  const direct = readPath(context, source);
  if (direct.found) return { ok: true, value: direct.value };
  const compared = compareDirect(context, source);
  if (compared.found) return { ok: true, value: compared.value };
  const literal = contextDirect(context, source);
  if (literal.found) return { ok: true, value: literal.value };
  const result = evaluateFeel(source, context, { allowWarnings: nullFriendly, ...(limits ? { limits } : {}) });
  if (!result.ok) return { ok: false, error: `'${source}': ${result.error}` };
  return result.warnings ? { ok: true, value: result.value, warnings: result.warnings } : { ok: true, value: result.value };
}

/** True unless the instance keeps the pre-Camunda-8.3 rule (a FEEL warning is an incident). */
export function nullFriendly(run: Run): boolean {
  return run.state.feelMode !== 'strict';
}

/**
 * Evaluates FEEL for the element instance `key` in `context`. Suppressed failures are
 * recorded on the element (`expressionWarning`) so that a designer sees why a value was null.
 */
export function evalFor(run: Run, key: string, source: string, context: Variables): Evaluated<unknown> {
  const r = evalInContext(source, context, nullFriendly(run), run.limits?.feel);
  if (r.ok && r.warnings) {
    const inst = run.state.instances[key];
    run.commands.push({
      type: 'expressionWarning',
      key,
      elementId: inst?.elementId ?? run.state.processId,
      expression: source,
      warnings: r.warnings,
      time: run.time,
    });
  }
  return r;
}

/** Evaluates FEEL as seen from an instance. */
export function evalAt(run: Run, key: string, source: string): Evaluated<unknown> {
  return evalFor(run, key, source, visibleVariables(run, key));
}

/** Camunda's wording: the value's type, then what FEEL suppressed on the way. */
function withWarnings(message: string, r: { warnings?: FeelWarning[] }): string {
  if (!r.warnings || r.warnings.length === 0) return message;
  return `${message}. The evaluation reported the following warnings: ${r.warnings.map((w) => `[${w.type}] ${w.message}`).join('; ')}`;
}

/** A JSON value (what variables may hold). */
export function evalJson(run: Run, key: string, source: string): Evaluated<unknown> {
  const r = evalAt(run, key, source);
  return r.ok ? { ...r, value: toJsonValue(r.value) } : r;
}

function typeName(value: unknown): string {
  if (value === null || value === undefined) return 'null';
  if (Array.isArray(value)) return 'list';
  return typeof value === 'object' ? (value.constructor?.name ?? 'context') : typeof value;
}

/** A condition must be a boolean: null or another type is an error, never `false`. */
export function evalBoolean(run: Run, key: string, source: string): Evaluated<boolean> {
  const r = evalAt(run, key, source);
  if (!r.ok) return r;
  if (typeof r.value !== 'boolean') {
    return { ok: false, error: withWarnings(`'${source}' must be a boolean, but was ${typeName(r.value)}`, r) };
  }
  return { ok: true, value: r.value };
}

export function evalList(run: Run, key: string, source: string): Evaluated<unknown[]> {
  const r = evalJson(run, key, source);
  if (!r.ok) return r;
  if (!Array.isArray(r.value)) return { ok: false, error: withWarnings(`'${source}' must be a list, but was ${typeName(r.value)}`, r) };
  return { ok: true, value: r.value };
}

/** Static value or FEEL giving a non-empty string (numbers accepted, as Zeebe does for keys). */
export function evalString(run: Run, key: string, value: ValueOrExpression, what: string): Evaluated<string> {
  if ('static' in value) return { ok: true, value: value.static };
  return stringResult(evalAt(run, key, value.feel), value.feel, what);
}

export function evalFeelString(run: Run, key: string, source: string, what: string): Evaluated<string> {
  return stringResult(evalAt(run, key, source), source, what);
}

function stringResult(r: Evaluated<unknown>, source: string, what: string): Evaluated<string> {
  if (!r.ok) return r;
  if (typeof r.value === 'string' && r.value !== '') return { ok: true, value: r.value };
  if (typeof r.value === 'number' && Number.isFinite(r.value)) return { ok: true, value: String(r.value) };
  return { ok: false, error: withWarnings(`${what} '${source}' must be a non-empty string, but was ${typeName(r.value)}`, r) };
}
