/**
 * What an integration throws to say how a failure should be handled. runJob turns each
 * into a Temporal ApplicationFailure; any other error is retried per the retry policy.
 */

/** A business outcome the diagram may catch with an error boundary event (`errorCode`). */
export class BpmnError extends Error {
  override readonly name = 'BpmnError';
  constructor(
    readonly errorCode: string,
    message: string,
    readonly variables: Record<string, unknown> = {},
  ) {
    super(message);
  }
}

/** Retrying cannot help (bad request, refused host, missing credential): an incident at once. */
export class PermanentError extends Error {
  override readonly name = 'PermanentError';
  constructor(
    /** Failure type shown in the incident, e.g. `HttpClientError`. */
    readonly type: string,
    message: string,
    readonly details?: Record<string, unknown>,
  ) {
    super(message);
  }
}

/** May succeed later (5xx, timeout, network). Retried; `retryAfterMs` overrides the next delay. */
export class TransientError extends Error {
  override readonly name = 'TransientError';
  constructor(
    readonly type: string,
    message: string,
    readonly options: { retryAfterMs?: number; details?: Record<string, unknown> } = {},
  ) {
    super(message);
  }
}
