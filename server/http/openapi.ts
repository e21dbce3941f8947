/**
 * The OpenAPI document of the whole API, generated from the zod schemas the routers validate
 * with (each router registers its operations in the registry it is given), served as
 * /api/openapi.json and as a self-contained HTML page at /api/docs. Both are declared with
 * addRoute, so their answers are checked like any other (the document's outline, the page's
 * media type and frame).
 */
import { createHash } from 'node:crypto';
import { OpenAPIRegistry, OpenApiGeneratorV31 } from '@asteasolutions/zod-to-openapi';
import { Router } from 'express';
import { z } from 'zod';
import { renderDocsPage, type OpenApiDoc } from './docsPage';
import { addRoute, BEARER_SCHEME } from './route';

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

const OpenApiOperationSchema = z
  .object({
    operationId: z.string(),
    summary: z.string(),
    tags: z.array(z.string()).min(1),
    responses: z.record(z.string().regex(/^\d{3}$/), z.object({ description: z.string() }).loose()),
  })
  .loose();

/** The outline of what /api/openapi.json answers: every operation named, summarised and tagged, with its responses. */
export const OpenApiDocumentSchema = z
  .object({
    openapi: z.literal('3.1.0'),
    info: z.object({ title: z.string(), version: z.string(), description: z.string().optional() }),
    tags: z.array(z.object({ name: z.string(), description: z.string().optional() })),
    paths: z.record(
      z.string().startsWith('/'),
      z.object({
        get: OpenApiOperationSchema.optional(),
        post: OpenApiOperationSchema.optional(),
        put: OpenApiOperationSchema.optional(),
        patch: OpenApiOperationSchema.optional(),
        delete: OpenApiOperationSchema.optional(),
      }).loose(),
    ),
    components: z
      .object({
        securitySchemes: z.record(z.string(), z.object({ type: z.string() }).loose()),
        schemas: z.record(z.string(), z.unknown()).optional(),
      })
      .loose(),
  })
  .loose()
  .meta({ id: 'OpenApiDocument', description: 'An OpenAPI 3.1 document; its outline is listed here, the rest is as the specification says' });

/** What /api/docs answers: one HTML document, nothing loaded from elsewhere. */
export const DocsPageSchema = z
  .string()
  .regex(/^<!doctype html>[\s\S]*<\/html>$/)
  .meta({ description: 'A self-contained HTML page: no script, only its own inline stylesheet' });

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

  addRoute(router, registry, {
    method: 'get',
    path: '/api/openapi.json',
    operationId: 'getOpenApi',
    summary: 'This API described as OpenAPI 3.1',
    tags: ['operations'],
    responses: { 200: { description: 'The OpenAPI document', content: { 'application/json': { schema: OpenApiDocumentSchema } } } },
  }, (_input, _req, res) => {
    res.json(document());
  });

  addRoute(router, registry, {
    method: 'get',
    path: '/api/docs',
    operationId: 'getApiDocs',
    summary: 'This API as a readable HTML page',
    tags: ['operations'],
    responses: { 200: { description: 'The HTML page', content: { 'text/html': { schema: DocsPageSchema } } } },
  }, (_input, _req, res) => {
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
