/** A parse result: failures are values so that callers can turn them into incidents. */
export type Parsed<T> = { ok: true; value: T } | { ok: false; error: string };
