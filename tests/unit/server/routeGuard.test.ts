/**
 * Start-up refuses an `/api` route that bypasses addRoute (undocumented, unauthorized,
 * unchecked), naming it; routes declared with addRoute and routes outside `/api` pass.
 */
import express, { Router } from 'express';
import pino from 'pino';
import { createApp } from '../../../server/http/app';
import { createApiRegistry } from '../../../server/http/openapi';
import { addRoute } from '../../../server/http/route';
import { assertEveryApiRouteDeclared, undeclaredApiRoutes } from '../../../server/http/routeGuard';

const healthRoute = (router: Router) => addRoute(router, createApiRegistry(), {
  method: 'get', path: '/api/health', operationId: 'getHealth', summary: 'health', tags: ['operations'],
  responses: { 200: { description: 'ok' } },
}, async (_input, _req, res) => {
  res.status(200).end();
});

describe('every /api route goes through addRoute', () => {
  it('names a route under /api declared straight on a nested router, and passes the declared one', () => {
    const app = express();
    const router = Router();
    healthRoute(router);
    router.post('/api/complaints/:id/sneak', (_req, res) => {
      res.end();
    });
    app.use(router);
    app.get('/assets/app.js', (_req, res) => {
      res.end();
    });
    expect(undeclaredApiRoutes(app)).toEqual(['POST /api/complaints/:id/sneak']);
    expect(() => assertEveryApiRouteDeclared(app)).toThrow(
      'routes under /api must be declared with addRoute (server/http/route.ts), so they are documented, authorized and checked: POST /api/complaints/:id/sneak');
  });

  it('passes an app whose /api routes are all declared', () => {
    const app = express();
    const router = Router();
    healthRoute(router);
    app.use(router);
    expect(undeclaredApiRoutes(app)).toEqual([]);
  });

  it('holds for the service app itself', () => {
    const app = createApp({ log: pino({ level: 'silent' }), health: async () => ({ status: 'ok', temporal: 'ok', mongo: 'ok', worker: 'ok' }) });
    expect(undeclaredApiRoutes(app)).toEqual([]);
  });
});
