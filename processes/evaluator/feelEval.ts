import { evaluateFeel } from '../feel';
import type { ValueOrExpression } from '../model/types';
import { hasOwn, toJsonValue } from './json';
import type { Run } from './run';
import { visibleVariables } from './variables';
import type { Variables } from './types';

export type Evaluated<T> = { ok: true; value: T } | { ok: false; error: string };

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

/** Evaluates FEEL in a given context; the result is raw (FEEL dates and durations kept). */
export function evalInContext(source: string, context: Variables): Evaluated<unknown> {
  const direct = readPath(context, source);
  if (direct.found) return { ok: true, value: direct.value };
  const compared = compareDirect(context, source);
  if (compared.found) return { ok: true, value: compared.value };
  const result = evaluateFeel(source, context);
  return result.ok ? { ok: true, value: result.value } : { ok: false, error: `'${source}': ${result.error}` };
}

/** Evaluates FEEL as seen from an instance. */
export function evalAt(run: Run, key: string, source: string): Evaluated<unknown> {
  return evalInContext(source, visibleVariables(run, key));
}

/** A JSON value (what variables may hold). */
export function evalJson(run: Run, key: string, source: string): Evaluated<unknown> {
  const r = evalAt(run, key, source);
  return r.ok ? { ok: true, value: toJsonValue(r.value) } : r;
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
    return { ok: false, error: `'${source}' must be a boolean, but was ${typeName(r.value)}` };
  }
  return { ok: true, value: r.value };
}

export function evalList(run: Run, key: string, source: string): Evaluated<unknown[]> {
  const r = evalJson(run, key, source);
  if (!r.ok) return r;
  if (!Array.isArray(r.value)) return { ok: false, error: `'${source}' must be a list, but was ${typeName(r.value)}` };
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
  return { ok: false, error: `${what} '${source}' must be a non-empty string, but was ${typeName(r.value)}` };
}
