/** GET /api/catalog/element-templates: the activity catalog as Camunda 8 element templates for the web designer. */
import type { OpenAPIRegistry } from '@asteasolutions/zod-to-openapi';
import { Router } from 'express';
import { z } from 'zod';
import { catalog } from '../../../activities/catalog';
import { addRoute } from '../../http/route';
import { elementTemplates } from './elementTemplates';

const TemplateProperty = z.object({
  id: z.string().optional(),
  label: z.string().optional(),
  description: z.string().optional(),
  type: z.enum(['Hidden', 'String', 'Text', 'Number', 'Boolean', 'Dropdown']),
  value: z.union([z.string(), z.number(), z.boolean()]).optional(),
  group: z.string().optional(),
  optional: z.boolean().optional(),
  feel: z.enum(['optional', 'required']).optional(),
  choices: z.array(z.object({ name: z.string(), value: z.string() })).optional(),
  constraints: z.object({ notEmpty: z.boolean() }).optional(),
  binding: z.object({ type: z.string() }).catchall(z.string()).meta({ description: 'Where the value is written: zeebe:taskDefinition, zeebe:input, zeebe:output or zeebe:taskHeader' }),
});

export const ElementTemplate = z.object({
  $schema: z.string(),
  id: z.string().meta({ example: 'complaint-bpm.notify.email' }),
  name: z.string().meta({ example: 'Send e-mail' }),
  version: z.number().int(),
  description: z.string(),
  category: z.object({ id: z.string(), name: z.string() }),
  appliesTo: z.array(z.string()),
  elementType: z.object({ value: z.string() }),
  groups: z.array(z.object({ id: z.string(), label: z.string() })),
  properties: z.array(TemplateProperty),
}).meta({ id: 'ElementTemplate', description: 'A Camunda 8 (Zeebe) element template for one integration of the activity catalog' });

export function catalogRouter(registry: OpenAPIRegistry): Router {
  const router = Router();
  // The catalog is compiled in: generate once.
  const templates = elementTemplates(catalog);
  addRoute(router, registry, {
    method: 'get', path: '/api/catalog/element-templates', operationId: 'listElementTemplates', tags: ['catalog'],
    summary: 'Element templates for the modeler, one per integration of the activity catalog',
    description: 'Camunda 8 element templates (schema @camunda/zeebe-element-templates-json-schema): a service task with the ' +
      'integration\'s task type, its typed input fields and optional output mappings. The web designer offers them in its template chooser.',
    responses: { 200: { description: 'Every template', content: { 'application/json': { schema: z.array(ElementTemplate) } } } },
  }, (_input, _req, res) => {
    res.json(templates);
  });
  return router;
}
