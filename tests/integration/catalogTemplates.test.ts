/**
 * GET /api/catalog/element-templates over HTTP: designers get one Camunda 8 element template
 * per integration of the activity catalog, with the task type bound; others are refused.
 */
import { catalog } from '../../activities/catalog';
import { startStack, type Stack } from '../support/stack';

interface Template { id: string; name: string; properties: Array<{ type: string; value?: unknown; binding: Record<string, string> }> }

let stack: Stack;

beforeAll(async () => {
  stack = await startStack({ worker: false });
});

afterAll(async () => {
  await stack?.stop();
});

describe('GET /api/catalog/element-templates', () => {
  it('gives a designer one template per integration, each bound to its task type', async () => {
    // when
    const res = await stack.as('designer')<Template[]>('GET', '/api/catalog/element-templates');

    // then
    expect(res.status).toBe(200);
    expect(res.body.map((t) => t.id)).toEqual(catalog.map((i) => `complaint-bpm.${i.type}`));
    for (const template of res.body) {
      const type = template.properties.find((p) => p.binding.type === 'zeebe:taskDefinition' && p.binding.property === 'type');
      expect(`complaint-bpm.${String(type?.value)}`).toBe(template.id);
    }
    expect(res.body.find((t) => t.id === 'complaint-bpm.notify.email')?.name).toBe('Send e-mail');
  });

  it('is documented in the OpenAPI document and refused to an agent', async () => {
    const doc = await stack.anonymous<{ paths: Record<string, { get?: { operationId: string } }> }>('GET', '/api/openapi.json');
    expect(doc.body.paths['/api/catalog/element-templates']?.get?.operationId).toBe('listElementTemplates');
    expect((await stack.as('agent')('GET', '/api/catalog/element-templates')).status).toBe(403);
    expect((await stack.anonymous('GET', '/api/catalog/element-templates')).status).toBe(401);
  });
});
