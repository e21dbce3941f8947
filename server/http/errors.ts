/**
 * Errors as HTTP answers, the one place that knows statuses: every failure is JSON with a code
 * and, for bad input, the field paths or BPMN element ids at fault. Services throw domain errors
 * (server/domain/errors.ts); each kind maps to one status here (decision 0048). Unexpected errors
 * are 500 with a correlation id in the body and the details only in the log.
 */
import { randomUUID } from 'node:crypto';
import type { ErrorRequestHandler, RequestHandler } from 'express';
import { ZodError } from 'zod';
import { DomainError, type FailureKind } from '../domain/errors';
import type { Logger } from '../log';

/** The HTTP status of each kind of domain failure. */
export const STATUS_OF: Readonly<Record<FailureKind, number>> = {
  invalid: 400,
  unauthenticated: 401,
  forbidden: 403,
  not_found: 404,
  conflict: 409,
  too_large: 413,
  unsupported_media_type: 415,
  unprocessable: 422,
  too_many_requests: 429,
  not_configured: 501,
  unavailable: 503,
};

export function zodErrorBody(error: ZodError) {
  return {
    error: 'invalid_request',
    message: 'The request is not valid',
    fields: error.issues.map((issue) => ({ path: issue.path.join('.'), message: issue.message })),
  };
}

/** Driver errors that mean "the database or Temporal cannot be reached right now", not a bug. */
const UNAVAILABLE_NAMES = new Set([
  'MongoNetworkError', 'MongoNetworkTimeoutError', 'MongoServerSelectionError', 'MongooseServerSelectionError',
  'MongoNotConnectedError', 'MongoTopologyClosedError', 'MongoPoolClearedError', 'LockTimeout', 'WriteContention',
]);

const NETWORK_CODES = new Set(['ECONNRESET', 'ECONNREFUSED', 'EPIPE', 'ETIMEDOUT', 'EHOSTUNREACH', 'ENETUNREACH', 'ECONNABORTED']);

/**
 * Whether `err` (or an error it wraps) says a backing server is unreachable or busy: MongoDB
 * (FerretDB, or PostgreSQL under it), a document lock held elsewhere or a document other
 * writers keep changing (WriteContention), Temporal's gRPC
 * UNAVAILABLE. Those answer 503 with Retry-After: the request may be sent again (intake and
 * evaluation with the same Idempotency-Key complete what an interrupted one began).
 */
export function isUnavailable(err: unknown): boolean {
  // Duck-typed, not `instanceof Error`: Node's socket errors may come from another realm (jest's sandbox).
  let e = err as { name?: unknown; message?: unknown; code?: unknown; cause?: unknown } | null | undefined;
  for (let depth = 0; typeof e === 'object' && e !== null && depth < 5; e = e.cause as typeof e, depth += 1) {
    const name = typeof e.name === 'string' ? e.name : '';
    const message = typeof e.message === 'string' ? e.message : '';
    if (UNAVAILABLE_NAMES.has(name)) return true;
    if (name === 'MongooseError' && /buffering timed out|client must be connected/i.test(message)) return true;
    if (e.code === 14 /* gRPC UNAVAILABLE */) return true;
    // A driver's socket cut under it (the server died mid-command).
    if (typeof e.code === 'string' && NETWORK_CODES.has(e.code)) return true;
    // FerretDB answers with an internal error when its PostgreSQL is gone.
    if (name === 'MongoServerError' && /connection refused|failed to connect|conn closed|the database system is (shutting down|starting up)/i.test(message)) return true;
  }
  return false;
}

export const notFound: RequestHandler = (req, res) => {
  res.status(404).json({ error: 'not_found', message: `No route for ${req.method} ${req.path}` });
};

interface BodyParserError {
  type?: string;
  status?: number;
  limit?: number;
}

export function errorHandler(log: Logger): ErrorRequestHandler {
  return (err: unknown, req, res, _next) => {
    if (err instanceof DomainError) {
      const status = STATUS_OF[err.kind];
      const retry = err.details?.retryAfterSeconds;
      if ((status === 429 || status === 503) && typeof retry === 'number') res.set('Retry-After', String(retry));
      res.status(status).json({ error: err.code, message: err.message, ...err.details });
      return;
    }
    if (err instanceof ZodError) {
      res.status(400).json(zodErrorBody(err));
      return;
    }
    const parserError = err as BodyParserError;
    if (parserError.type === 'entity.too.large') {
      res.status(413).json({ error: 'payload_too_large', message: `The body exceeds the limit of ${parserError.limit} bytes` });
      return;
    }
    if (parserError.type === 'entity.parse.failed') {
      res.status(400).json({ error: 'invalid_json', message: 'The body is not valid JSON' });
      return;
    }
    if (typeof parserError.status === 'number' && parserError.status >= 400 && parserError.status < 500) {
      res.status(parserError.status).json({ error: 'bad_request', message: (err as Error).message });
      return;
    }
    if (isUnavailable(err)) {
      log.warn({ errName: (err as { name?: unknown }).name, method: req.method, path: req.path }, 'backing server unavailable');
      res.status(503).set('retry-after', '2').json({ error: 'unavailable', message: 'A backing server is unavailable; retry (with the same Idempotency-Key where the operation takes one)' });
      return;
    }
    const incident = randomUUID();
    log.error({ err, incident, method: req.method, path: req.path }, 'unhandled error in HTTP request');
    res.status(500).json({ error: 'internal', message: 'Something went wrong on our side', incident });
  };
}
