/**
 * The service's own operations — the health check, the OpenAPI document and its HTML page —
 * are declared with addRoute like every other (decision 0048), so with API_CHECK_RESPONSES=1 (on
 * in every jest test) their answers are checked against what they declare: the health report
 * for the 200 and for the 503 of an unhealthy service, the document's outline, the page's media
 * type and frame. A text answer is checked by its media type and its zod schema, as a JSON one
 * by its schema.
 */
import type { Server } from 'node:http';
import type { AddressInfo } from 'node:net';
import express, { type Express } from 'express';
import pino from 'pino';
import { z } from 'zod';
import type { HealthReport } from '../../../server/health';
import { createApp } from '../../../server/http/app';
import { errorHandler } from '../../../server/http/errors';
import { createApiRegistry, openApiRouter } from '../../../server/http/openapi';
import { takeResponseMismatches } from '../../../server/http/responseMismatches';
import { addRoute } from '../../../server/http/route';

const silent = pino({ level: 'silent' });

async function listen(app: Express) {
  const server = await new Promise<Server>((resolve) => {
    const s = app.listen(0, '127.0.0.1', () => resolve(s));
  });
  const url = `http://127.0.0.1:${(server.address() as AddressInfo).port}`;
  const get = async (path: string) => {
    const res = await fetch(`${url}${path}`);
    const text = await res.text();
    const json = (res.headers.get('content-type') ?? '').startsWith('application/json') ? JSON.parse(text) as Record<string, unknown> : undefined;
    return { status: res.status, type: res.headers.get('content-type'), text, json };
  };
  return { get, close: () => new Promise<void>((resolve) => server.close(() => resolve())) };
}

describe('the health check, the OpenAPI document and the docs page answer what they declare', () => {
  let report: HealthReport;
  let api: Awaited<ReturnType<typeof listen>>;
  beforeAll(async () => (api = await listen(createApp({ log: silent, health: async () => report }))));
  afterAll(async () => api.close());

  it('answers a healthy 200 and an unhealthy 503, each fitting the report', async () => {
    // given a healthy service
    report = { status: 'ok', temporal: 'ok', mongo: 'ok', worker: 'ok' };
    // when
    const healthy = await api.get('/api/health');
    // then
    expect([healthy.status, healthy.json]).toEqual([200, report]);

    // given MongoDB down
    report = { status: 'unavailable', temporal: 'ok', mongo: 'down', worker: 'ok', errors: { mongo: 'connection refused' } };
    // when
    const unhealthy = await api.get('/api/health');
    // then
    expect(unhealthy.status).toBe(503);
    expect(unhealthy.json).toMatchObject(report);
  });

  it('turns a report that lost a declared field into a 500 response_mismatch, for the 503 as for the 200', async () => {
    // given reports without `mongo`
    const lost = (r: HealthReport) => { const { mongo: _mongo, ...rest } = r; return rest as HealthReport; };
    // when
    report = lost({ status: 'ok', temporal: 'ok', mongo: 'ok', worker: 'ok' });
    const healthy = await api.get('/api/health');
    report = lost({ status: 'unavailable', temporal: 'down', mongo: 'ok', worker: 'down', errors: { temporal: 'no answer' } });
    const unhealthy = await api.get('/api/health');
    // then both became 500s naming the operation, the status and the field
    expect(healthy).toMatchObject({ status: 500, json: { error: 'response_mismatch', operationId: 'getHealth', status: 200, issues: [{ path: 'mongo' }] } });
    expect(unhealthy).toMatchObject({ status: 500, json: { error: 'response_mismatch', operationId: 'getHealth', status: 503, issues: [{ path: 'mongo' }] } });
    // and were recorded, so the jest setup fails a test that provokes one (taken: these are on purpose)
    expect(takeResponseMismatches().map((m) => [m.operationId, m.status])).toEqual([['getHealth', 200], ['getHealth', 503]]);
  });

  it('answers the OpenAPI document, which declares all three with their schemas, and the HTML page', async () => {
    // when
    const doc = await api.get('/api/openapi.json');
    const page = await api.get('/api/docs');
    // then
    expect(doc.status).toBe(200);
    const paths = doc.json?.paths as Record<string, { get?: { responses: Record<string, { content?: Record<string, { schema: unknown }> }> } }>;
    expect(Object.keys(paths['/api/health']?.get?.responses ?? {})).toEqual(['200', '503']);
    expect(paths['/api/openapi.json']?.get?.responses['200']?.content?.['application/json']?.schema).toEqual({ $ref: '#/components/schemas/OpenApiDocument' });
    expect(paths['/api/docs']?.get?.responses['200']?.content?.['text/html']?.schema).toMatchObject({ type: 'string', pattern: expect.any(String) });
    expect(page.status).toBe(200);
    expect(page.type).toMatch(/^text\/html/);
    expect(page.text).toMatch(/^<!doctype html>.*<\/html>$/s);
    expect(page.text).toContain('id="op-getHealth"');
  });
});

describe('the OpenAPI document is checked against its outline', () => {
  it('turns a document with an operation lacking its operationId into a 500 response_mismatch', async () => {
    // given an operation registered by hand without an operationId
    const registry = createApiRegistry();
    registry.registerPath({ method: 'get', path: '/api/stray', summary: 'stray', tags: ['probe'], responses: { 200: { description: 'ok' } } });
    const app = express();
    app.use(openApiRouter(registry));
    app.use(errorHandler(silent));
    const api = await listen(app);
    try {
      // when
      const res = await api.get('/api/openapi.json');
      // then
      expect(res).toMatchObject({ status: 500, json: { error: 'response_mismatch', operationId: 'getOpenApi', status: 200, issues: [{ path: 'paths./api/stray.get.operationId' }] } });
      expect(takeResponseMismatches()).toEqual([expect.objectContaining({ operationId: 'getOpenApi', status: 200 })]);
    } finally {
      await api.close();
    }
  });
});

describe('a text answer is checked by its media type and schema', () => {
  const Page = z.string().regex(/^<!doctype html>/);
  let api: Awaited<ReturnType<typeof listen>>;
  beforeAll(async () => {
    const app = express();
    const router = express.Router();
    // (getApiDocs for its public policy)
    addRoute(router, createApiRegistry(), {
      method: 'get', path: '/api/page/{kind}', operationId: 'getApiDocs', summary: 'probe', tags: ['probe'],
      params: z.object({ kind: z.enum(['fits', 'plain', 'frameless', 'nothing']) }),
      responses: { 200: { description: 'a page', content: { 'text/html': { schema: Page } } } },
    }, ({ params }, _req, res) => {
      if (params.kind === 'fits') res.type('html').send('<!doctype html><p>hi</p>');
      else if (params.kind === 'plain') res.type('text/plain').send('<!doctype html><p>hi</p>');
      else if (params.kind === 'frameless') res.send('<p>hi</p>');
      else res.status(201).send('<!doctype html>');
    });
    app.use(router);
    app.use(errorHandler(silent));
    api = await listen(app);
  });
  afterAll(async () => api.close());

  it('lets a fitting page through, and turns another media type, another shape or another status into a 500', async () => {
    // when
    const fits = await api.get('/api/page/fits');
    const plain = await api.get('/api/page/plain');
    const frameless = await api.get('/api/page/frameless');
    const undeclared = await api.get('/api/page/nothing');
    // then
    expect([fits.status, fits.text]).toEqual([200, '<!doctype html><p>hi</p>']);
    expect(plain.json).toMatchObject({ error: 'response_mismatch', status: 200, issues: [{ message: 'text/plain is not declared for status 200 (declared: text/html)' }] });
    expect(frameless.json).toMatchObject({ error: 'response_mismatch', status: 200, issues: [{ path: '' }] });
    expect(undeclared.json).toMatchObject({ error: 'response_mismatch', status: 201, issues: [{ message: 'status 201 is not declared' }] });
    expect([plain.status, frameless.status, undeclared.status]).toEqual([500, 500, 500]);
    expect(takeResponseMismatches().map((m) => m.status)).toEqual([200, 200, 201]);
  });
});
