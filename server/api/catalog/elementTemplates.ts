/**
 * Camunda 8 element templates generated from the activity catalog: one template per
 * integration, so a designer picks "Send e-mail" in the modeler's template chooser and gets
 * typed fields bound to the job's input variables, instead of typing a task type and io
 * mappings by hand. The manifests' `templateFields` say which fields and how they bind; the
 * integration's output schema gives the optional `zeebe:output` mappings. Pure data in, JSON
 * out: no I/O, so the route and the unit tests share it.
 */
import { z } from 'zod';
import type { Integration, TemplateField } from '../../../activities/catalog/types';

export const ELEMENT_TEMPLATE_SCHEMA = 'https://unpkg.com/@camunda/zeebe-element-templates-json-schema/resources/schema.json';
/** Bump when the generator's output changes in a way existing diagrams should notice. */
export const TEMPLATE_VERSION = 1;
export const TEMPLATE_ID_PREFIX = 'complaint-bpm.';

type Binding =
  | { type: 'zeebe:taskDefinition'; property: 'type' | 'retries' }
  | { type: 'zeebe:input'; name: string }
  | { type: 'zeebe:output'; source: string }
  | { type: 'zeebe:taskHeader'; key: string };

export interface TemplateProperty {
  id?: string;
  label?: string;
  description?: string;
  type: 'Hidden' | 'String' | 'Text' | 'Number' | 'Boolean' | 'Dropdown';
  value?: string | number | boolean;
  group?: string;
  optional?: boolean;
  feel?: 'optional' | 'required';
  choices?: Array<{ name: string; value: string }>;
  constraints?: { notEmpty: boolean };
  binding: Binding;
}

export interface ElementTemplate {
  $schema: string;
  id: string;
  name: string;
  version: number;
  description: string;
  category: { id: string; name: string };
  appliesTo: ['bpmn:Task'];
  elementType: { value: 'bpmn:ServiceTask' };
  groups: Array<{ id: string; label: string }>;
  properties: TemplateProperty[];
}

/** What the chooser shows: a short verb phrase per task type, the manifest's description below it. */
const NAMES: Readonly<Record<string, string>> = {
  'http.request': 'Call an HTTP API',
  'variables.set': 'Set variables',
  'notify.email': 'Send e-mail',
  'notify.webhook': 'Call a webhook',
  'notify.wecom': 'WeCom robot message',
  'notify.dingtalk': 'DingTalk robot message',
  'notify.feishu': 'Feishu robot message',
  'complaint.classify': 'Classify the complaint',
  'complaint.record': 'Record on the complaint',
  'complaint.check-commitments': 'Check commitments',
  'complaint.fulfil-commitment': 'Fulfil a commitment',
  'dispatch.recommend': 'Recommend staff',
};

const CATEGORIES: Readonly<Record<string, string>> = {
  notify: 'Notifications',
  complaint: 'Complaints',
  dispatch: 'Dispatch',
  http: 'Integration',
  variables: 'Data',
};

/** Free text that is usually long: a multi-line editor. */
const LONG_TEXT = new Set(['text', 'html', 'markdown', 'body']);

function fieldProperty(field: TemplateField): TemplateProperty {
  const binding: Binding = field.binding.type === 'zeebe:input'
    ? { type: 'zeebe:input', name: field.binding.name }
    : { type: 'zeebe:taskHeader', key: field.binding.key };
  const type: TemplateProperty['type'] = field.type === 'number' ? 'Number'
    : field.type === 'boolean' ? 'Boolean'
      : field.type === 'dropdown' ? 'Dropdown'
        : LONG_TEXT.has(field.name) && field.feel !== 'required' ? 'Text' : 'String';
  const property: TemplateProperty = { id: field.name, label: field.label, type, group: field.binding.type === 'zeebe:input' ? 'input' : 'headers', binding };
  if (field.description) property.description = field.description;
  if (field.feel) property.feel = field.feel;
  if (field.choices) property.choices = field.choices.map((c) => ({ name: c.name, value: c.value }));
  if (field.optional) property.optional = true;
  else if (type === 'String' || type === 'Text') property.constraints = { notEmpty: true };
  if (type === 'Dropdown' && !field.optional && field.choices?.[0]) property.value = field.choices[0].value;
  return property;
}

/** The top-level fields of an integration's result, each offered as "store it in a variable". */
function outputProperties(output: z.ZodType): TemplateProperty[] {
  if (!(output instanceof z.ZodObject)) return [];
  return Object.keys(output.shape).map((name) => ({
    id: `output.${name}`,
    label: `Store '${name}' in`,
    description: `Process variable for the result's ${name}; when no result field is mapped, the whole result is merged into the process`,
    type: 'String',
    group: 'output',
    optional: true,
    binding: { type: 'zeebe:output', source: `=${name}` },
  }));
}

export function elementTemplateFor(integration: Integration): ElementTemplate {
  const prefix = integration.type.split('.')[0] ?? integration.type;
  const fields = integration.templateFields ?? [];
  const outputs = outputProperties(integration.output);
  const groups = [
    ...(fields.some((f) => f.binding.type === 'zeebe:input') ? [{ id: 'input', label: 'Input' }] : []),
    ...(fields.some((f) => f.binding.type === 'zeebe:taskHeader') ? [{ id: 'headers', label: 'Headers' }] : []),
    ...(outputs.length ? [{ id: 'output', label: 'Output' }] : []),
    { id: 'retries', label: 'Retries' },
  ];
  return {
    $schema: ELEMENT_TEMPLATE_SCHEMA,
    id: `${TEMPLATE_ID_PREFIX}${integration.type}`,
    name: NAMES[integration.type] ?? integration.type,
    version: TEMPLATE_VERSION,
    description: integration.description,
    category: { id: `${TEMPLATE_ID_PREFIX}${prefix}`, name: CATEGORIES[prefix] ?? prefix },
    appliesTo: ['bpmn:Task'],
    elementType: { value: 'bpmn:ServiceTask' },
    groups,
    properties: [
      { type: 'Hidden', value: integration.type, binding: { type: 'zeebe:taskDefinition', property: 'type' } },
      ...fields.map(fieldProperty),
      ...outputs,
      {
        id: 'retries', label: 'Attempts', type: 'String', group: 'retries', value: String(integration.defaults.retries),
        description: 'Total attempts before an incident (the catalog default)',
        binding: { type: 'zeebe:taskDefinition', property: 'retries' },
      },
    ],
  };
}

export function elementTemplates(catalog: readonly Integration[]): ElementTemplate[] {
  return catalog.map(elementTemplateFor);
}
