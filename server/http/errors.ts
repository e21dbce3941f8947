/**
 * Errors as HTTP answers: every failure is JSON with a code and, for bad input, the field
 * paths or BPMN element ids at fault. Unexpected errors are 500 with a correlation id in the
 * body and the details only in the log.
 */
import { randomUUID } from 'node:crypto';
import type { ErrorRequestHandler, RequestHandler } from 'express';
import { ZodError } from 'zod';
import type { Logger } from '../log';

export class HttpError extends Error {
  constructor(
    readonly status: number,
    readonly code: string,
    message: string,
    readonly details?: Record<string, unknown>,
  ) {
    super(message);
    this.name = 'HttpError';
  }
}

export function zodErrorBody(error: ZodError) {
  return {
    error: 'invalid_request',
    message: 'The request is not valid',
    fields: error.issues.map((issue) => ({ path: issue.path.join('.'), message: issue.message })),
  };
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
    if (err instanceof HttpError) {
      const retry = err.details?.retryAfterSeconds;
      if (err.status === 429 && typeof retry === 'number') res.set('Retry-After', String(retry));
      res.status(err.status).json({ error: err.code, message: err.message, ...err.details });
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
    const incident = randomUUID();
    log.error({ err, incident, method: req.method, path: req.path }, 'unhandled error in HTTP request');
    res.status(500).json({ error: 'internal', message: 'Something went wrong on our side', incident });
  };
}
