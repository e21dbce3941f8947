import { MockActivityEnvironment } from '@temporalio/testing';
import { z } from 'zod';
import { createActivities } from '../../../activities';
import { catalog, catalogManifests, catalogTaskTypes, findIntegration } from '../../../activities/catalog';
import { CATALOG_TASK_TYPES } from '../../../processes/catalogTaskTypes';

describe('activity catalog', () => {
  it('gives every integration a unique type, a one-line description, zod schemas and sane defaults', () => {
    // given
    const types = catalog.map((i) => i.type);

    // then
    expect(new Set(types).size).toBe(types.length);
    for (const integration of catalog) {
      expect(integration.type).toMatch(/^[a-z][a-z0-9]*(\.[a-z][a-z0-9-]*)+$/);
      expect(integration.description.trim()).not.toBe('');
      expect(integration.description).not.toMatch(/\n/);
      expect(integration.input).toBeInstanceOf(z.ZodType);
      expect(integration.output).toBeInstanceOf(z.ZodType);
      expect(integration.defaults.startToCloseTimeoutMs).toBeGreaterThan(0);
      expect(Number.isInteger(integration.defaults.retries) && integration.defaults.retries >= 1).toBe(true);
      expect(findIntegration(integration.type)).toBe(integration);
    }
  });

  it('derives the compiler task types from the catalog', () => {
    // given
    const types = catalog.map((i) => i.type).sort();

    // then
    expect([...catalogTaskTypes()].sort()).toEqual(types);
    expect([...CATALOG_TASK_TYPES].sort()).toEqual(types);
    expect(types).toEqual(expect.arrayContaining(['http.request', 'variables.set']));
  });

  it('keeps the workflow-safe manifests identical to the integrations they describe', () => {
    // given
    const fromCatalog = catalog.map(({ type, description, defaults, templateFields }) => ({ type, description, defaults, templateFields }));

    // then
    expect(catalogManifests).toEqual(fromCatalog);
  });

  it('binds every template field to an input field the schema has, with choices the schema accepts', () => {
    for (const integration of catalog) {
      // given
      expect(integration.input).toBeInstanceOf(z.ZodObject);
      const shape = (integration.input as z.ZodObject).shape;

      for (const field of integration.templateFields ?? []) {
        // then
        if (field.binding.type === 'zeebe:input') {
          expect({ type: integration.type, field: field.binding.name, known: field.binding.name in shape }).toEqual({
            type: integration.type, field: field.binding.name, known: true,
          });
          const fieldSchema = shape[field.binding.name] as z.ZodType;
          if (field.optional) expect(fieldSchema.safeParse(undefined).success).toBe(true);
          for (const choice of field.choices ?? []) expect(fieldSchema.safeParse(choice.value).success).toBe(true);
        }
        expect(field.type === 'dropdown').toBe((field.choices?.length ?? 0) > 0);
      }
    }
  });

  it('registers a working runJob when built without any dependencies', async () => {
    // given
    const activities = createActivities({});

    // when
    const result = await new MockActivityEnvironment().run(activities.runJob, {
      taskType: 'variables.set', elementId: 'Task_1', jobKey: '1', workflowId: 'wf', variables: { variables: { ok: true } }, headers: {},
    });

    // then
    expect(Object.keys(activities)).toEqual(expect.arrayContaining(['healthProbeEcho', 'runJob']));
    expect(result).toEqual({ variables: { ok: true } });
  });
});
