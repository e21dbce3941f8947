/**
 * GET /metrics (outside /api): the Prometheus text exposition of the service's registry.
 * Allowed to operators and admins with their bearer token (policy getMetrics), or to a
 * scraper with the static METRICS_TOKEN: `scrapeTokenShortcut` runs before authentication,
 * so that token is never looked up as a session.
 */
import type { OpenAPIRegistry } from '@asteasolutions/zod-to-openapi';
import { Router, type RequestHandler, type Response } from 'express';
import { addRoute } from '../http/route';
import { isScrapeToken, type Metrics } from './index';

export const METRICS_PATH = '/metrics';

async function send(metrics: Metrics, res: Response): Promise<void> {
  const body = await metrics.registry.metrics();
  res.status(200).type(metrics.registry.contentType).send(body);
}

/** Serves /metrics at once to the scrape token; anyone else goes on to the policy check. */
export function scrapeTokenShortcut(metrics: Metrics, token: string | undefined): RequestHandler {
  return (req, res, next) => {
    if (req.method !== 'GET' || req.path !== METRICS_PATH || !isScrapeToken(req.headers.authorization, token)) {
      next();
      return;
    }
    send(metrics, res).catch(next);
  };
}

export function metricsRouter(metrics: Metrics, registry: OpenAPIRegistry): Router {
  const router = Router();
  addRoute(router, registry, {
    method: 'get',
    path: METRICS_PATH,
    operationId: 'getMetrics',
    summary: 'Prometheus metrics of this service',
    description: 'Prometheus text format 0.0.4. Operators and admins, or the static METRICS_TOKEN as bearer token.',
    tags: ['operations'],
    responses: { 200: { description: 'The metrics', content: { 'text/plain; version=0.0.4': { schema: { type: 'string' } } } } },
  }, async (_input, _req, res) => {
    await send(metrics, res);
  });
  return router;
}
