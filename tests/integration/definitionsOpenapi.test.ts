import type { Express } from 'express';
import type { Connection } from 'mongoose';
import { connectMongo } from '../../server/db/mongo';
import { createApp } from '../../server/http/app';
import { createLogger } from '../../server/log';
import { serve } from '../support/http';
import { testEnv, uniqueName } from '../support/servers';

interface Layer {
  route?: { path: string; methods: Record<string, boolean> };
  handle?: { stack?: Layer[] };
}

/** Every `METHOD /path` the express app really serves, in OpenAPI path syntax. */
function mountedRoutes(app: Express): string[] {
  const walk = (stack: Layer[]): string[] =>
    stack.flatMap((layer) => {
      if (layer.route) {
        const path = layer.route.path.replace(/:([A-Za-z_]\w*)/g, '{$1}');
        return Object.keys(layer.route.methods).map((m) => `${m.toUpperCase()} ${path}`);
      }
      return layer.handle?.stack ? walk(layer.handle.stack) : [];
    });
  return walk((app as unknown as { router: { stack: Layer[] } }).router.stack).sort();
}

interface Operation {
  operationId?: string;
  parameters?: Array<{ name: string; in: string; schema?: object }>;
  requestBody?: { content: Record<string, { schema?: object }> };
  responses: Record<string, { content?: Record<string, { schema?: object }> }>;
}
type Doc = { openapi: string; paths: Record<string, Record<string, Operation>>; components: { schemas: Record<string, object> } };

describe('the API description', () => {
  let mongo: Connection;
  let app: Express;
  let api: Awaited<ReturnType<typeof serve>>;
  let doc: Doc;

  const operations = () =>
    Object.entries(doc.paths).flatMap(([path, item]) => Object.entries(item).map(([method, op]) => ({ method, path, op })));

  beforeAll(async () => {
    mongo = await connectMongo(testEnv.mongoUri, uniqueName('definitions_openapi').replace(/-/g, '_'));
    const health = async () => ({ status: 'ok' as const, temporal: 'ok' as const, mongo: 'ok' as const, worker: 'ok' as const });
    app = createApp({ log: createLogger('silent'), health, mongo });
    api = await serve(app);
    doc = (await (await fetch(`${api.url}/api/openapi.json`)).json()) as Doc;
  });

  afterAll(async () => {
    await api?.close();
    await mongo?.close();
  });

  it('is OpenAPI 3.1 and documents exactly the routes the app serves', () => {
    // when
    const documented = operations().map(({ method, path }) => `${method.toUpperCase()} ${path}`).sort();
    // then
    expect(doc.openapi).toBe('3.1.0');
    expect(documented).toEqual(mountedRoutes(app));
    expect(documented).toEqual(
      expect.arrayContaining([
        'POST /api/definitions',
        'GET /api/definitions',
        'GET /api/definitions/{key}/versions',
        'GET /api/definitions/{key}/versions/{version}',
        'GET /api/definitions/{key}/versions/{version}/xml',
        'GET /api/health',
        'GET /api/openapi.json',
        'GET /api/docs',
      ]),
    );
  });

  it('gives every operation an id and every response body a schema', () => {
    for (const { method, path, op } of operations()) {
      expect(`${method} ${path}: ${op.operationId ?? 'no operationId'}`).toMatch(/: \w+$/);
      for (const [status, response] of Object.entries(op.responses)) {
        for (const [type, media] of Object.entries(response.content ?? {})) {
          expect({ at: `${method} ${path} ${status} ${type}`, hasSchema: media.schema !== undefined }).toEqual({ at: `${method} ${path} ${status} ${type}`, hasSchema: true });
        }
      }
    }
  });

  it('describes the deployment request and its answers with the validated schemas', () => {
    // when
    const deploy = doc.paths['/api/definitions']!.post!;
    // then
    expect(Object.keys(deploy.requestBody!.content).sort()).toEqual(['application/xml', 'multipart/form-data', 'text/xml']);
    expect(Object.keys(deploy.responses).sort()).toEqual(['200', '201', '202', '400', '401', '403', '413', '415', '422', '503']);
    expect(JSON.stringify(deploy.responses['201']!.content!['application/json']!.schema)).toContain('#/components/schemas/DeployResult');
    expect(deploy.responses['422']!.content!['application/json']!.schema).toEqual({ $ref: '#/components/schemas/InvalidBpmn' });
    expect(doc.components.schemas.BpmnProblem).toMatchObject({ required: expect.arrayContaining(['elementId', 'elementType', 'message', 'severity']) });
    expect(deploy.parameters).toEqual([expect.objectContaining({ name: 'resourceName', in: 'query' })]);
  });

  it('describes path and query parameters with their constraints', () => {
    // when
    const version = doc.paths['/api/definitions/{key}/versions/{version}']!.get!;
    const list = doc.paths['/api/definitions']!.get!;
    // then
    expect(version.parameters!.map((p) => `${p.in}:${p.name}`)).toEqual(['path:key', 'path:version']);
    expect(version.parameters![1]!.schema).toMatchObject({ pattern: '^[1-9][0-9]{0,8}$' });
    expect(list.parameters).toEqual(
      expect.arrayContaining([expect.objectContaining({ name: 'pageSize', in: 'query', schema: expect.objectContaining({ maximum: 100 }) })]),
    );
    expect(version.responses['200']!.content!['application/json']!.schema).toEqual({ $ref: '#/components/schemas/DefinitionVersion' });
  });

  it('serves /api/docs as a self-contained HTML page naming every operation', async () => {
    // when
    const res = await fetch(`${api.url}/api/docs`);
    const html = await res.text();
    // then
    expect(res.status).toBe(200);
    expect(res.headers.get('content-type')).toMatch(/^text\/html/);
    for (const { method, path, op } of operations()) {
      expect(html).toContain(`${method.toUpperCase()}</span> <code>${path}</code>`);
      expect(html).toContain(`id="op-${op.operationId}"`);
      expect(html).toContain(`href="#op-${op.operationId}"`);
    }
    for (const schema of Object.keys(doc.components.schemas)) expect(html).toContain(`id="schema-${schema}"`);
    // and nothing is loaded from elsewhere, nor any script run
    expect(html).not.toMatch(/<script|<link|<img|src=|https?:\/\//i);
    const csp = res.headers.get('content-security-policy') ?? '';
    expect(csp).toMatch(/default-src 'none'/);
    expect(csp).toMatch(/style-src 'sha256-[A-Za-z0-9+/=]+'/);
    expect(csp).not.toContain('unsafe');
  });
});
