/**
 * A properties-panel provider of our own: the "SLA policies" group (a ListGroup, one item per
 * `sla:policy`) on processes (the canvas root or a participant) and on flow nodes, registered
 * after the Bpmn and Zeebe providers, as bpmn-js-properties-panel's own providers are built.
 */
import { ListGroup } from '@bpmn-io/properties-panel';
import { calendarOptions, EscalationItem, metricOptions, NestedList, Select, TargetItem, TextField, validateThresholds } from './entries';
import {
  addEscalation, addPolicy, addTarget, holderOf, listOf, POLICY_ID, policyIdsOfProcess, policiesOf, removeFrom, removePolicy,
  type BpmnFactory, type DiagramElement, type Modeling, type ModdleElement,
} from './model';

type Translate = (text: string, vars?: Record<string, string>) => string;
interface Injector { get<T>(name: string): T }
interface PropertiesPanel { registerProvider(priority: number, provider: unknown): void }
type Group = Record<string, unknown>;

const LOW_PRIORITY = 500;

function policyEntries(element: DiagramElement, policy: ModdleElement, itemId: string, injector: Injector): Array<Record<string, unknown>> {
  const modeling = injector.get<Modeling>('modeling');
  const factory = injector.get<BpmnFactory>('bpmnFactory');
  const holder = holderOf(element);
  const elementMetric = policy.get('metric') === 'element';
  const field = (property: string, label: string, extra: Record<string, unknown> = {}) =>
    ({ id: `${itemId}-${property}`, component: TextField, node: policy, property, label, ...extra });
  return [
    field('id', 'Policy id', {
      validate: (value: string) => {
        const id = value.trim();
        if (!POLICY_ID.test(id)) return 'Letters, digits, _ . - only';
        const others = holder ? policyIdsOfProcess(holder).filter((p) => p !== policy.get('id')) : [];
        return others.includes(id) ? 'Another policy of this process has this id' : null;
      },
    }),
    field('name', 'Name'),
    { id: `${itemId}-metric`, component: Select, node: policy, property: 'metric', label: 'Metric', options: metricOptions,
      // start/stop do not apply to an element's own time
      also: (metric: string) => (metric === 'element' ? { start: undefined, stop: undefined } : { element: undefined }) },
    { id: `${itemId}-calendar`, component: Select, node: policy, property: 'calendar', label: 'Business calendar', options: calendarOptions },
    {
      id: `${itemId}-targets`, component: NestedList, itemComponent: TargetItem, label: 'Targets', items: listOf(policy, 'targets'),
      onAdd: () => addTarget(element, policy, modeling, factory),
      onRemove: (target: ModdleElement) => removeFrom(element, policy, 'targets', target, modeling),
    },
    field('thresholds', 'Warning thresholds (%)', { validate: validateThresholds, description: 'Empty: 50 75' }),
    {
      id: `${itemId}-escalations`, component: NestedList, itemComponent: EscalationItem, label: 'Escalations', items: listOf(policy, 'escalations'),
      onAdd: () => addEscalation(element, policy, modeling, factory),
      onRemove: (escalation: ModdleElement) => removeFrom(element, policy, 'escalations', escalation, modeling),
    },
    ...(elementMetric ? [] : [
      field('start', 'Starts when these begin', { description: 'Element ids, space-separated; empty: the process start' }),
      field('stop', 'Stops when these complete', { description: 'Element ids, space-separated' }),
    ]),
    ...(elementMetric && holder?.$instanceOf('bpmn:Process') ? [
      field('element', 'Element measured', { description: 'The id of the element whose time counts' }),
    ] : []),
    field('pauseWhile', 'Paused while these are active', { description: 'Element ids, space-separated' }),
    field('severityVariable', 'Severity variable', { description: 'Empty: severity' }),
    field('tierVariable', 'Customer tier variable', { description: 'Empty: customerTier' }),
  ];
}

function slaGroup(element: DiagramElement, injector: Injector): Group | null {
  const holder = holderOf(element);
  if (!holder) return null;
  const translate = injector.get<Translate>('translate');
  const modeling = injector.get<Modeling>('modeling');
  const factory = injector.get<BpmnFactory>('bpmnFactory');
  const items = policiesOf(holder).map((policy, index) => {
    const itemId = `${element.id}-sla-policy-${index}`;
    const name = String(policy.get('name') ?? '') || String(policy.get('id') ?? '');
    return {
      id: itemId,
      label: name || translate('<unnamed policy>'),
      entries: policyEntries(element, policy, itemId, injector),
      autoFocusEntry: `${itemId}-id`,
      remove: () => removePolicy(element, policy, modeling),
    };
  });
  return {
    id: 'sla-policies',
    label: translate('SLA policies'),
    component: ListGroup,
    items,
    add: (event: Event) => { event.stopPropagation(); addPolicy(element, holder, modeling, factory); },
  };
}

export default function SlaPropertiesProvider(this: { getGroups: unknown }, propertiesPanel: PropertiesPanel, injector: Injector): void {
  this.getGroups = (element: DiagramElement) => (groups: Group[]) => {
    const group = slaGroup(element, injector);
    return group ? [...groups, group] : groups;
  };
  // after getGroups exists: the panel checks for it when a provider registers
  propertiesPanel.registerProvider(LOW_PRIORITY, this);
}
SlaPropertiesProvider.$inject = ['propertiesPanel', 'injector'];

export const slaPropertiesProviderModule = {
  __init__: ['slaPropertiesProvider'],
  slaPropertiesProvider: ['type', SlaPropertiesProvider],
};
