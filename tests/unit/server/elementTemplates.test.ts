/**
 * The element templates generated from the activity catalog: one per integration, each valid
 * against Camunda's Zeebe element-template JSON schema (the validator bpmn-js-element-templates
 * uses), with the task type bound and every manifest field typed and bound to its input.
 */
import { validateZeebe } from '@bpmn-io/element-templates-validator';
import { catalog } from '../../../activities/catalog';
import { ELEMENT_TEMPLATE_SCHEMA, elementTemplateFor, elementTemplates } from '../../../server/api/catalog/elementTemplates';

describe('element templates from the activity catalog', () => {
  const templates = elementTemplates(catalog);

  it('gives one template per integration, with unique ids', () => {
    expect(templates.map((t) => t.id)).toEqual(catalog.map((i) => `complaint-bpm.${i.type}`));
    expect(new Set(templates.map((t) => t.id)).size).toBe(catalog.length);
  });

  it.each(catalog.map((i) => [i.type, i] as const))('%s: validates against the Zeebe element-template schema', (_type, integration) => {
    // when
    const template = elementTemplateFor(integration);
    const result = validateZeebe(template);

    // then
    expect(result.errors ?? []).toEqual([]);
    expect(result.valid).toBe(true);
    expect(template).toEqual(expect.objectContaining({
      $schema: ELEMENT_TEMPLATE_SCHEMA, appliesTo: ['bpmn:Task'], elementType: { value: 'bpmn:ServiceTask' }, version: 1,
      description: integration.description,
    }));
  });

  it.each(catalog.map((i) => [i.type, i] as const))('%s: binds the task type and every manifest field with its type', (type, integration) => {
    // when
    const template = elementTemplateFor(integration);

    // then the task type is fixed and hidden
    expect(template.properties).toContainEqual({ type: 'Hidden', value: type, binding: { type: 'zeebe:taskDefinition', property: 'type' } });
    for (const field of integration.templateFields ?? []) {
      const property = template.properties.find((p) => p.id === field.name);
      const expectedType = { number: ['Number'], boolean: ['Boolean'], dropdown: ['Dropdown'], string: ['String', 'Text'] }[field.type];
      expect({ field: field.name, known: expectedType.includes(property?.type ?? 'none') }).toEqual({ field: field.name, known: true });
      expect(property?.binding).toEqual(field.binding.type === 'zeebe:input'
        ? { type: 'zeebe:input', name: field.binding.name } : { type: 'zeebe:taskHeader', key: field.binding.key });
      // a required text field cannot be left empty; an optional one writes nothing when empty
      if (field.optional) expect(property?.optional).toBe(true);
      else if (field.type === 'string') expect(property?.constraints).toEqual({ notEmpty: true });
      if (field.feel) expect(property?.feel).toBe(field.feel);
    }
  });

  it('offers the e-mail integration as "Send e-mail" with its required fields and result mappings', () => {
    const email = templates.find((t) => t.id === 'complaint-bpm.notify.email');
    expect(email?.name).toBe('Send e-mail');
    expect(email?.properties.filter((p) => p.constraints?.notEmpty).map((p) => p.id)).toEqual(['to', 'subject', 'text']);
    const http = templates.find((t) => t.id === 'complaint-bpm.http.request');
    expect(http?.properties.filter((p) => p.binding.type === 'zeebe:output').map((p) => p.binding)).toEqual(
      expect.arrayContaining([{ type: 'zeebe:output', source: '=status' }]));
    expect(http?.properties.find((p) => p.id === 'method')).toEqual(expect.objectContaining({ type: 'Dropdown', optional: true }));
  });

  it('the schema check catches a template without its binding (the validator is not a no-op)', () => {
    const [first] = templates;
    const broken = { ...first, properties: [{ type: 'String', label: 'x' }] };
    expect(validateZeebe(broken).valid).toBe(false);
  });
});
