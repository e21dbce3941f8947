/**
 * Request logs through pino-http: one line per finished request, carrying a request id — the
 * caller's `X-Request-Id` when it is a plain token, else a new UUID. The id goes back in the
 * `X-Request-Id` response header and into every JSON error body (`requestId`), so a report
 * ("it said …, request id …") finds its log line. Logged: method, path without the query
 * (search text and tokens stay out), status and duration; never headers or bodies.
 */
import { randomUUID } from 'node:crypto';
import type { IncomingMessage, ServerResponse } from 'node:http';
import type { RequestHandler } from 'express';
import { pinoHttp } from 'pino-http';
import type { Logger } from '../log';

export const REQUEST_ID_HEADER = 'x-request-id';

/** An incoming id is kept when it is 1–128 letters, digits or `._:-` (no room for log injection). */
const ACCEPTED_ID = /^[A-Za-z0-9._:-]{1,128}$/;

export function requestIdOf(header: string | string[] | undefined): string {
  const given = Array.isArray(header) ? header[0] : header;
  return given !== undefined && ACCEPTED_ID.test(given) ? given : randomUUID();
}

const pathOf = (url: string | undefined) => (url ?? '').split('?')[0];

/** Frequent and uninteresting when they succeed: health probes and metric scrapes log at debug. */
const QUIET_PATHS = new Set(['/api/health', '/metrics']);

export function requestLog(log: Logger): RequestHandler {
  return pinoHttp({
    logger: log,
    genReqId: (req: IncomingMessage, res: ServerResponse) => {
      const id = requestIdOf(req.headers[REQUEST_ID_HEADER]);
      res.setHeader('X-Request-Id', id);
      return id;
    },
    serializers: {
      req: (req: { id: unknown; method: string; url: string }) => ({ id: req.id, method: req.method, path: pathOf(req.url) }),
      res: (res: { statusCode: number }) => ({ statusCode: res.statusCode }),
    },
    wrapSerializers: false,
    customLogLevel: (req, res, err) => {
      if (err || res.statusCode >= 500) return 'error';
      if (res.statusCode < 400 && QUIET_PATHS.has(pathOf(req.url) ?? '')) return 'debug';
      return 'info';
    },
  }) as unknown as RequestHandler;
}

/** Adds `requestId` to each JSON error body (status 4xx/5xx, a plain object) this app sends. */
export const requestIdInErrors: RequestHandler = (req, res, next) => {
  const json = res.json.bind(res);
  res.json = (body?: unknown) => {
    if (res.statusCode >= 400 && body !== null && typeof body === 'object' && !Array.isArray(body) && !('requestId' in body)) {
      return json({ ...body, requestId: String(req.id) });
    }
    return json(body);
  };
  next();
};
