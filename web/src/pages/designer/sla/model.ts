/**
 * The `sla:` extension (processes/sla/descriptor.json, docs/sla.md) as the properties panel
 * edits it: reading the policies of a process or flow node, and the changes, each ONE
 * `element.updateModdleProperties` command, so undo/redo take back exactly one edit.
 */
import { SHIPPED_CALENDARS } from '../../../../../processes/sla/calendars';

/** A moddle element as bpmn-js hands it out (only what we use). */
export interface ModdleElement {
  $type: string;
  $parent?: ModdleElement;
  $instanceOf(type: string): boolean;
  get(name: string): unknown;
  [key: string]: unknown;
}

/** A diagram element of the modeler: a shape or the root. */
export interface DiagramElement {
  id: string;
  businessObject: ModdleElement;
}

export interface Modeling {
  updateModdleProperties(element: DiagramElement, target: ModdleElement, properties: Record<string, unknown>): void;
}

export interface BpmnFactory {
  create(type: string, attrs?: Record<string, unknown>): ModdleElement;
}

export const METRICS = ['firstResponse', 'resolution', 'element'] as const;
export const LEVEL_KINDS = ['sla:RaisePriority', 'sla:Reassign', 'sla:Notify'] as const;
export const CHANNELS = ['email', 'webhook', 'wecom', 'dingtalk', 'feishu'] as const;
/** The shipped business calendars (processes/calendars), the ones the server accepts. */
export const CALENDAR_IDS: readonly string[] = [...SHIPPED_CALENDARS.keys()];

export const POLICY_ID = /^[A-Za-z0-9_.-]+$/;
/** A business duration as the compiler reads it: PT…H…M…S or "8 business hours". */
export const DURATION = /^(PT(?=\d)(\d+H)?(\d+M)?(\d+(\.\d+)?S)?|\d+(\.\d+)? business (hours?|minutes?))$/;

/** The object carrying the extension: the process for the root or a participant, else the element's. */
export function holderOf(element: DiagramElement): ModdleElement | null {
  const bo = element.businessObject;
  if (bo.$instanceOf('bpmn:Participant')) return (bo.get('processRef') as ModdleElement | undefined) ?? null;
  if (bo.$instanceOf('bpmn:Process') || bo.$instanceOf('bpmn:FlowNode')) return bo;
  return null;
}

function extensionValues(holder: ModdleElement): ModdleElement[] {
  const ext = holder.get('extensionElements') as ModdleElement | undefined;
  return (ext?.get('values') as ModdleElement[] | undefined) ?? [];
}

function containers(holder: ModdleElement): ModdleElement[] {
  return extensionValues(holder).filter((v) => v.$instanceOf('sla:Policies'));
}

export function policiesOf(holder: ModdleElement): ModdleElement[] {
  return containers(holder).flatMap((c) => (c.get('policies') as ModdleElement[]) ?? []);
}

export function listOf(node: ModdleElement, name: 'targets' | 'escalations' | 'levels'): ModdleElement[] {
  return (node.get(name) as ModdleElement[] | undefined) ?? [];
}

/** Every policy id of the process the holder belongs to (ids are unique per process). */
export function policyIdsOfProcess(holder: ModdleElement): string[] {
  let process: ModdleElement | undefined = holder;
  while (process && !process.$instanceOf('bpmn:Process')) process = process.$parent;
  if (!process) return policiesOf(holder).map((p) => String(p.get('id') ?? ''));
  const ids: string[] = [];
  const visit = (node: ModdleElement) => {
    ids.push(...policiesOf(node).map((p) => String(p.get('id') ?? '')));
    for (const child of (node.get('flowElements') as ModdleElement[] | undefined) ?? []) {
      if (child.$instanceOf('bpmn:FlowNode')) visit(child);
    }
  };
  visit(process);
  return ids;
}

function created(factory: BpmnFactory, type: string, attrs: Record<string, unknown>, parent: ModdleElement): ModdleElement {
  const node = factory.create(type, attrs);
  node.$parent = parent;
  return node;
}

/** The thresholds of a policy (default 50 75) as numbers. */
export function thresholdsOf(policy: ModdleElement): number[] {
  const raw = String(policy.get('thresholds') ?? '').trim();
  return (raw ? raw.split(/\s+/) : ['50', '75']).map(Number).filter((n) => Number.isInteger(n));
}

/**
 * Adds a policy the compiler accepts as it is: a fresh id, the element's own metric on a
 * flow node (resolution on a process), the first shipped calendar and a fallback target.
 */
export function addPolicy(element: DiagramElement, holder: ModdleElement, modeling: Modeling, factory: BpmnFactory): ModdleElement {
  const taken = new Set(policyIdsOfProcess(holder));
  let n = 1;
  const base = holder.$instanceOf('bpmn:Process') ? 'policy' : `${holder.get('id') as string}-sla`;
  while (taken.has(n === 1 ? base : `${base}-${n}`)) n += 1;
  const policy = factory.create('sla:Policy', {
    id: n === 1 ? base : `${base}-${n}`,
    metric: holder.$instanceOf('bpmn:Process') ? 'resolution' : 'element',
    calendar: CALENDAR_IDS[0],
  });
  policy.targets = [created(factory, 'sla:Target', { duration: 'PT8H' }, policy)];

  const ext = holder.get('extensionElements') as ModdleElement | undefined;
  const container = containers(holder)[0];
  if (container) {
    policy.$parent = container;
    modeling.updateModdleProperties(element, container, { policies: [...policiesOf(holder), policy] });
  } else if (ext) {
    const fresh = created(factory, 'sla:Policies', { policies: [policy] }, ext);
    policy.$parent = fresh;
    modeling.updateModdleProperties(element, ext, { values: [...extensionValues(holder), fresh] });
  } else {
    const fresh = factory.create('bpmn:ExtensionElements', { values: [] });
    const list = created(factory, 'sla:Policies', { policies: [policy] }, fresh);
    policy.$parent = list;
    fresh.values = [list];
    fresh.$parent = holder;
    modeling.updateModdleProperties(element, holder, { extensionElements: fresh });
  }
  return policy;
}

/** Removes a policy; an emptied `sla:policies` goes with it. */
export function removePolicy(element: DiagramElement, policy: ModdleElement, modeling: Modeling): void {
  const container = policy.$parent;
  if (!container) return;
  const rest = listOfPolicies(container).filter((p) => p !== policy);
  const ext = container.$parent;
  if (rest.length === 0 && ext) {
    modeling.updateModdleProperties(element, ext, { values: ((ext.get('values') as ModdleElement[]) ?? []).filter((v) => v !== container) });
  } else {
    modeling.updateModdleProperties(element, container, { policies: rest });
  }
}

function listOfPolicies(container: ModdleElement): ModdleElement[] {
  return (container.get('policies') as ModdleElement[] | undefined) ?? [];
}

export function addTarget(element: DiagramElement, policy: ModdleElement, modeling: Modeling, factory: BpmnFactory): void {
  const target = created(factory, 'sla:Target', { severity: 'high', duration: 'PT4H' }, policy);
  modeling.updateModdleProperties(element, policy, { targets: [...listOf(policy, 'targets'), target] });
}

function newLevel(factory: BpmnFactory, kind: string, parent: ModdleElement): ModdleElement {
  const attrs: Record<string, unknown> = kind === 'sla:RaisePriority' ? { by: '25' }
    : kind === 'sla:Reassign' ? { group: 'supervisor' } : { channel: 'email' };
  return created(factory, kind, attrs, parent);
}

/** A new escalation at the first threshold (or the breach) that has none yet, raising priority. */
export function addEscalation(element: DiagramElement, policy: ModdleElement, modeling: Modeling, factory: BpmnFactory): void {
  const used = new Set(listOf(policy, 'escalations').map((e) => String(e.get('at') ?? '')));
  const at = [...thresholdsOf(policy).map(String), 'breach'].find((a) => !used.has(a)) ?? 'breach';
  const escalation = created(factory, 'sla:Escalation', { at }, policy);
  escalation.levels = [newLevel(factory, 'sla:RaisePriority', escalation)];
  modeling.updateModdleProperties(element, policy, { escalations: [...listOf(policy, 'escalations'), escalation] });
}

export function addLevel(element: DiagramElement, escalation: ModdleElement, modeling: Modeling, factory: BpmnFactory): void {
  modeling.updateModdleProperties(element, escalation, { levels: [...listOf(escalation, 'levels'), newLevel(factory, 'sla:RaisePriority', escalation)] });
}

/** Changes a level's kind: a new level of that kind takes its place. */
export function replaceLevel(element: DiagramElement, level: ModdleElement, kind: string, modeling: Modeling, factory: BpmnFactory): void {
  const escalation = level.$parent;
  if (!escalation || level.$type === kind) return;
  const levels = listOf(escalation, 'levels').map((l) => (l === level ? newLevel(factory, kind, escalation) : l));
  modeling.updateModdleProperties(element, escalation, { levels });
}

export function removeFrom(element: DiagramElement, parent: ModdleElement, name: 'targets' | 'escalations' | 'levels', item: ModdleElement, modeling: Modeling): void {
  modeling.updateModdleProperties(element, parent, { [name]: listOf(parent, name).filter((x) => x !== item) });
}

/** The one parameter a level kind is edited by (notify: its address, named by the channel). */
export function levelParameter(level: ModdleElement): 'by' | 'group' | 'user' | 'to' | 'url' | 'credential' {
  if (level.$type === 'sla:RaisePriority') return 'by';
  if (level.$type === 'sla:Reassign') return level.get('user') ? 'user' : 'group';
  const channel = String(level.get('channel') ?? '');
  if (channel === 'email') return 'to';
  if (channel === 'webhook' && level.get('url')) return 'url';
  return 'credential';
}
