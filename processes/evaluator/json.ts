import type { Variables } from './types';

/** Deep copy of plain JSON data (structuredClone is missing in Temporal's sandbox). */
export function cloneJson<T>(value: T): T {
  return JSON.parse(JSON.stringify(value)) as T;
}

/**
 * Turns a FEEL result into a JSON value: FEEL dates and durations become ISO strings,
 * `undefined` and non-finite numbers become null, so that state stays round-trippable.
 */
export function toJsonValue(value: unknown): unknown {
  if (value === undefined) return null;
  if (typeof value === 'number') return Number.isFinite(value) ? value : null;
  if (value === null || typeof value !== 'object') return value;
  return JSON.parse(JSON.stringify(value)) as unknown;
}

export function hasOwn(obj: object, name: string): boolean {
  return Object.prototype.hasOwnProperty.call(obj, name);
}

/** Sets an own property, also for `__proto__` (a legal variable name). */
export function setOwn(obj: Variables, name: string, value: unknown): void {
  if (name === '__proto__') {
    Object.defineProperty(obj, name, { value, enumerable: true, writable: true, configurable: true });
  } else {
    obj[name] = value;
  }
}

/** Own variables of a stimulus payload, as a fresh JSON object. */
export function ownVariables(input: Variables | undefined): Variables {
  const out: Variables = {};
  if (!input) return out;
  for (const name of Object.keys(input)) setOwn(out, name, toJsonValue(input[name]));
  return out;
}
