import type { AddressInfo } from 'node:net';
import type { Server } from 'node:http';
import express from 'express';
import pino from 'pino';
import {
  Conflict, Forbidden, Invalid, NotConfigured, NotFound, TooLarge, TooManyRequests, Unauthenticated, Unavailable,
  UnsupportedMediaType, Unprocessable, type DomainError,
} from '../../../server/domain/errors';
import { errorHandler } from '../../../server/http/errors';

/** An express app whose one route throws the given error, answered by the service's error middleware, on a real port. */
async function serveThrowing(make: () => DomainError): Promise<{ url: string; server: Server }> {
  const app = express();
  app.get('/boom', () => {
    throw make();
  });
  app.use(errorHandler(pino({ level: 'silent' })));
  const server = await new Promise<Server>((resolve) => {
    const s = app.listen(0, '127.0.0.1', () => resolve(s));
  });
  return { url: `http://127.0.0.1:${(server.address() as AddressInfo).port}/boom`, server };
}

async function answer(make: () => DomainError) {
  const { url, server } = await serveThrowing(make);
  try {
    const res = await fetch(url);
    return { status: res.status, retryAfter: res.headers.get('retry-after'), body: (await res.json()) as Record<string, unknown> };
  } finally {
    await new Promise<void>((resolve) => server.close(() => resolve()));
  }
}

describe('domain errors at the HTTP edge (server/http/errors.ts, decision 0048)', () => {
  it.each([
    [() => new Invalid('invalid_modification', 'bad', { fields: [{ path: 'instructions.0.elementId', message: 'no such element' }] }), 400],
    [() => new Unauthenticated('invalid_credentials', 'wrong'), 401],
    [() => new Forbidden('four_eyes', 'needs another person'), 403],
    [() => new NotFound('complaint_not_found', "No complaint 'cmp-1'"), 404],
    [() => new Conflict('business_key_in_use', 'taken', { instanceId: 'pi-1' }), 409],
    [() => new TooLarge('payload_too_large', 'too big'), 413],
    [() => new UnsupportedMediaType('unsupported_media_type', 'send XML'), 415],
    [() => new Unprocessable('invalid_bpmn', 'errors', { errors: [{ elementId: 'Task_1', message: 'no type' }] }), 422],
    [() => new NotConfigured('not_configured', 'no forms'), 501],
  ])('answers %p with its status and { error: code, message, ...details }', async (make, status) => {
    // given
    const error = make();
    // when
    const res = await answer(make);
    // then
    expect(res.status).toBe(status);
    expect(res.body).toEqual({ error: error.code, message: error.message, ...error.details });
    expect(res.retryAfter).toBeNull();
  });

  it('sends Retry-After for too many requests and for a busy service that says when', async () => {
    // when
    const throttled = await answer(() => new TooManyRequests('too_many_requests', 'Too many failed sign-ins: try again later', 42));
    const busy = await answer(() => new Unavailable('deployment_contention', 'try again', { retryAfterSeconds: 1 }));
    const loading = await answer(() => new Unavailable('sla_index_loading', 'try again in a minute'));
    // then
    expect(throttled).toEqual({ status: 429, retryAfter: '42', body: { error: 'too_many_requests', message: 'Too many failed sign-ins: try again later', retryAfterSeconds: 42 } });
    expect(busy).toEqual({ status: 503, retryAfter: '1', body: { error: 'deployment_contention', message: 'try again', retryAfterSeconds: 1 } });
    expect(loading).toEqual({ status: 503, retryAfter: null, body: { error: 'sla_index_loading', message: 'try again in a minute' } });
  });
});
