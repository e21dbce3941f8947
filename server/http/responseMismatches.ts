/**
 * The answers that did not fit their declared response schema (API_CHECK_RESPONSES=1, decision
 * 0048) and that nobody has taken yet. The jest setup (tests/support/responseCheck.ts) takes them
 * after each test and fails it with them, so a mismatch cannot hide behind a test that does not
 * look at the 500 it became. Kept on the global object, so a test sees those of servers loaded
 * in any module registry; only written while checking. No imports: the setup of every test
 * file loads it.
 */

/** One answer that did not fit: what the 500 `response_mismatch` says. */
export interface ResponseMismatch {
  operationId: string;
  status: number;
  issues: Array<{ path: string; message: string }>;
}

const MISMATCHES = Symbol.for('complaint-bpm.responseMismatches');

function log(): ResponseMismatch[] {
  const holder = globalThis as { [MISMATCHES]?: ResponseMismatch[] };
  holder[MISMATCHES] ??= [];
  return holder[MISMATCHES];
}

export function recordResponseMismatch(mismatch: ResponseMismatch): void {
  log().push(mismatch);
}

/** Hands over (and forgets) the mismatches answered since the last call. */
export function takeResponseMismatches(): ResponseMismatch[] {
  return log().splice(0);
}
