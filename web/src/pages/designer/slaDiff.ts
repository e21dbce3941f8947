/**
 * The SLA edits between two versions: the `sla:` policies (processes/sla/descriptor.json) of
 * the process and of each flow node, compared by policy id, field by field, old → new.
 * bpmn-js-differ sees extension elements only as opaque children, so these are listed apart.
 */
import type { ModdleElement } from './sla/model';

export interface SlaEdit {
  /** The element holding the policy (the process or a flow node). */
  elementId: string;
  elementName?: string;
  policyId: string;
  kind: 'added' | 'removed' | 'changed';
  /** For `changed`: each field that differs, with its value before and after. */
  fields: Array<{ field: string; old: string; new: string }>;
}

type Fields = Map<string, string>;

const str = (v: unknown) => (v === undefined || v === null ? '' : String(v));

/** One policy as flat fields: its attributes, targets, and escalation levels. */
function flatten(policy: ModdleElement): Fields {
  const fields: Fields = new Map();
  for (const attr of ['name', 'metric', 'element', 'start', 'stop', 'pauseWhile', 'calendar', 'thresholds', 'severityVariable', 'tierVariable']) {
    const value = str(policy.get(attr));
    if (value) fields.set(attr, value);
  }
  for (const target of (policy.get('targets') as ModdleElement[] | undefined) ?? []) {
    const scope = [str(target.get('severity')), str(target.get('tier'))].filter(Boolean).join('/') || '*';
    fields.set(`target ${scope}`, str(target.get('duration')));
  }
  for (const escalation of (policy.get('escalations') as ModdleElement[] | undefined) ?? []) {
    const levels = ((escalation.get('levels') as ModdleElement[] | undefined) ?? []).map((level) => {
      const kind = level.$type.replace(/^sla:/, '');
      const attrs = Object.entries(level).filter(([k, v]) => !k.startsWith('$') && typeof v !== 'object' && v !== undefined).map(([k, v]) => `${k}=${str(v)}`);
      return `${kind}(${attrs.join(', ')})`;
    });
    fields.set(`escalation at ${str(escalation.get('at'))}`, levels.join('; '));
  }
  return fields;
}

interface Held { elementId: string; elementName?: string; fields: Fields }

/** Every policy of the definitions, by policy id. */
function policiesOf(definitions: ModdleElement | undefined): Map<string, Held> {
  const found = new Map<string, Held>();
  const visit = (node: ModdleElement) => {
    const values = ((node.get('extensionElements') as ModdleElement | undefined)?.get('values') as ModdleElement[] | undefined) ?? [];
    for (const container of values.filter((v) => v.$instanceOf('sla:Policies'))) {
      for (const policy of (container.get('policies') as ModdleElement[] | undefined) ?? []) {
        found.set(str(policy.get('id')), { elementId: str(node.get('id')), elementName: str(node.get('name')) || undefined, fields: flatten(policy) });
      }
    }
    for (const child of (node.get('flowElements') as ModdleElement[] | undefined) ?? []) visit(child);
  };
  for (const root of (definitions?.get('rootElements') as ModdleElement[] | undefined) ?? []) {
    if (root.$instanceOf('bpmn:Process')) visit(root);
  }
  return found;
}

export function slaEdits(oldDefinitions: ModdleElement | undefined, newDefinitions: ModdleElement | undefined): SlaEdit[] {
  const before = policiesOf(oldDefinitions);
  const after = policiesOf(newDefinitions);
  const edits: SlaEdit[] = [];
  for (const [policyId, held] of after) {
    const old = before.get(policyId);
    if (!old) { edits.push({ elementId: held.elementId, elementName: held.elementName, policyId, kind: 'added', fields: [] }); continue; }
    const names = [...new Set([...old.fields.keys(), ...held.fields.keys()])];
    const fields = names.filter((f) => (old.fields.get(f) ?? '') !== (held.fields.get(f) ?? ''))
      .map((f) => ({ field: f, old: old.fields.get(f) ?? '', new: held.fields.get(f) ?? '' }));
    if (old.elementId !== held.elementId) fields.unshift({ field: 'on', old: old.elementId, new: held.elementId });
    if (fields.length) edits.push({ elementId: held.elementId, elementName: held.elementName, policyId, kind: 'changed', fields });
  }
  for (const [policyId, held] of before) {
    if (!after.has(policyId)) edits.push({ elementId: held.elementId, elementName: held.elementName, policyId, kind: 'removed', fields: [] });
  }
  return edits;
}
