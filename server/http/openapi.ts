/**
 * The OpenAPI document of the whole API, generated from the zod schemas the routers validate
 * with (each router registers its operations in the registry it is given), served as
 * /api/openapi.json and as a self-contained HTML page at /api/docs.
 */
import { createHash } from 'node:crypto';
import { OpenAPIRegistry, OpenApiGeneratorV31 } from '@asteasolutions/zod-to-openapi';
import { Router } from 'express';
import { authorize } from '../auth/middleware';
import { renderDocsPage, type OpenApiDoc } from './docsPage';
import { BEARER_SCHEME } from './route';

export const API_TITLE = 'Complaint BPM API';
export const API_VERSION = '0.1.0';

export function createApiRegistry(): OpenAPIRegistry {
  const registry = new OpenAPIRegistry();
  registry.registerComponent('securitySchemes', BEARER_SCHEME, {
    type: 'http',
    scheme: 'bearer',
    description: 'The token from POST /api/auth/login',
  });
  return registry;
}

export function generateOpenApi(registry: OpenAPIRegistry): OpenApiDoc {
  const generator = new OpenApiGeneratorV31(registry.definitions);
  return generator.generateDocument({
    openapi: '3.1.0',
    info: {
      title: API_TITLE,
      version: API_VERSION,
      description:
        'Deploy BPMN 2.0 process definitions (Camunda 8 `zeebe:` extensions) and run complaint-handling instances. ' +
        'Every error is JSON: `{ error, message, ... }`.',
    },
    tags: [
      { name: 'definitions', description: 'Deployed BPMN process definitions and their versions' },
      { name: 'decisions', description: 'Deployed DMN decisions (business rule tasks with zeebe:calledDecision), versioned by decision id' },
      { name: 'operations', description: 'Health and API description' },
      { name: 'jobs', description: 'Jobs of external workers: task types outside the activity catalog (docs/integrations.md)' },
      { name: 'compliance', description: 'Complete, tamper-evident complaint records: search, record, diagram, streamed exports (docs/compliance.md)' },
      { name: 'simulation', description: 'What-if simulation of a draft and diagram coverage (docs/designer.md)' },
    ],
  }) as OpenApiDoc;
}

const sha256Base64 = (text: string) => createHash('sha256').update(text, 'utf8').digest('base64');

/**
 * Serves the document; call after every router has registered. Both answers are built once,
 * on first request, when the registry is complete.
 */
export function openApiRouter(registry: OpenAPIRegistry): Router {
  const router = Router();
  let doc: OpenApiDoc | undefined;
  let page: { html: string; csp: string } | undefined;
  const document = () => (doc ??= generateOpenApi(registry));

  registry.registerPath({
    method: 'get',
    path: '/api/openapi.json',
    operationId: 'getOpenApi',
    summary: 'This API described as OpenAPI 3.1',
    tags: ['operations'],
    responses: { 200: { description: 'The OpenAPI document', content: { 'application/json': { schema: { type: 'object' } } } } },
  });
  registry.registerPath({
    method: 'get',
    path: '/api/docs',
    operationId: 'getApiDocs',
    summary: 'This API as a readable HTML page',
    tags: ['operations'],
    responses: { 200: { description: 'The HTML page', content: { 'text/html': { schema: { type: 'string' } } } } },
  });

  router.get('/api/openapi.json', authorize('getOpenApi'), (_req, res) => {
    res.json(document());
  });

  router.get('/api/docs', authorize('getApiDocs'), (_req, res) => {
    page ??= (() => {
      const rendered = renderDocsPage(document());
      // Only the page's own inline stylesheet may apply; no script, image, font or frame at all.
      const csp = `default-src 'none'; style-src 'sha256-${sha256Base64(rendered.css)}'; base-uri 'none'; form-action 'none'; frame-ancestors 'none'`;
      return { html: rendered.html, csp };
    })();
    res.set('Content-Security-Policy', page.csp);
    res.type('html').send(page.html);
  });

  return router;
}
