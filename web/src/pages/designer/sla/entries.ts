/**
 * The entry components of the "SLA policies" group: @bpmn-io/properties-panel's own
 * TextFieldEntry / SelectEntry / ListEntry / CollapsibleEntry, bound to `sla:` moddle
 * elements. Every change goes through `modeling.updateModdleProperties` (undo/redo).
 */
import { h } from '@bpmn-io/properties-panel/preact';
import { CollapsibleEntry, ListEntry, SelectEntry, TextFieldEntry } from '@bpmn-io/properties-panel';
import { useService } from 'bpmn-js-properties-panel';
import {
  addLevel, CALENDAR_IDS, CHANNELS, DURATION, LEVEL_KINDS, levelParameter, listOf, METRICS, removeFrom,
  replaceLevel, thresholdsOf, type BpmnFactory, type DiagramElement, type Modeling, type ModdleElement,
} from './model';

type Translate = (text: string, vars?: Record<string, string>) => string;
interface Option { value: string; label: string }

interface FieldProps {
  element: DiagramElement;
  id: string;
  node: ModdleElement;
  property: string;
  label: string;
  description?: string;
  validate?: (value: string) => string | null;
  /** Further attributes to set with the value (in the same command). */
  also?: (value: string) => Record<string, unknown>;
}

/** A text attribute of an `sla:` element; empty removes the attribute. */
export function TextField(props: FieldProps) {
  const { element, id, node, property, label, description, validate, also } = props;
  const translate = useService<Translate>('translate');
  const debounce = useService<(fn: unknown) => unknown>('debounceInput');
  const modeling = useService<Modeling>('modeling');
  return h(TextFieldEntry, {
    element, id, debounce, label: translate(label),
    description: description ? translate(description) : undefined,
    getValue: () => String(node.get(property) ?? ''),
    setValue: (value: string | undefined, error: string | null) => {
      const trimmed = (value ?? '').trim();
      // a blur commits the field even unchanged: no command then (the diagram stays clean)
      if (error || trimmed === String(node.get(property) ?? '')) return;
      modeling.updateModdleProperties(element, node, { [property]: trimmed === '' ? undefined : trimmed, ...(also?.(trimmed) ?? {}) });
    },
    validate: validate ? (value: string) => { const error = validate(value); return error ? translate(error) : null; } : undefined,
  });
}

interface SelectProps extends FieldProps {
  options: (translate: Translate) => Option[];
  /** Instead of setting the attribute (e.g. a level's kind replaces the level). */
  onChange?: (value: string, modeling: Modeling, factory: BpmnFactory) => void;
}

export function Select(props: SelectProps) {
  const { element, id, node, property, label, options, onChange, also } = props;
  const translate = useService<Translate>('translate');
  const modeling = useService<Modeling>('modeling');
  const factory = useService<BpmnFactory>('bpmnFactory');
  return h(SelectEntry, {
    element, id, label: translate(label),
    getValue: () => (property === '$type' ? node.$type : String(node.get(property) ?? '')),
    setValue: (value: string) => {
      if (onChange) onChange(value, modeling, factory);
      else modeling.updateModdleProperties(element, node, { [property]: value === '' ? undefined : value, ...(also?.(value) ?? {}) });
    },
    getOptions: () => {
      const list = options(translate);
      const current = property === '$type' ? node.$type : String(node.get(property) ?? '');
      // a value from the XML that the list does not know stays visible (the server names it)
      return list.some((o) => o.value === current) ? list : [...list, { value: current, label: translate('{value} (unknown)', { value: current }) }];
    },
  });
}

export const metricOptions = (translate: Translate): Option[] => METRICS.map((m) => ({ value: m, label: translate(`SLA metric ${m}`) }));
export const calendarOptions = (translate: Translate): Option[] => CALENDAR_IDS.map((c) => ({ value: c, label: translate(`Calendar ${c}`) }));

export function validateDuration(value: string): string | null {
  return DURATION.test(value.trim()) ? null : 'A business duration such as PT8H, PT1H30M or 8 business hours';
}

export function validateThresholds(value: string): string | null {
  const raw = value.trim();
  if (raw === '') return null;
  const parts = raw.split(/\s+/).map(Number);
  const ok = parts.every((n, i) => Number.isInteger(n) && n >= 1 && n <= 99 && (i === 0 || n > (parts[i - 1] ?? 0)));
  return ok ? null : 'Whole percentages 1–99, increasing, separated by spaces';
}

function targetLabel(target: ModdleElement, translate: Translate): string {
  const when = [target.get('severity'), target.get('tier')].filter(Boolean).join(' · ');
  const duration = String(target.get('duration') ?? '?');
  return when ? `${when}: ${duration}` : translate('Otherwise: {duration}', { duration });
}

interface ItemProps { element: DiagramElement; id: string; index: number; item: ModdleElement; open: boolean }

export function TargetItem({ element, id, index, item, open }: ItemProps) {
  const translate = useService<Translate>('translate');
  const itemId = `${id}-${index}`;
  return h(CollapsibleEntry, {
    element, id: itemId, open, label: targetLabel(item, translate),
    entries: [
      { id: `${itemId}-severity`, component: TextField, node: item, property: 'severity', label: 'Severity', description: 'Empty: any severity' },
      { id: `${itemId}-tier`, component: TextField, node: item, property: 'tier', label: 'Customer tier', description: 'Empty: any tier' },
      { id: `${itemId}-duration`, component: TextField, node: item, property: 'duration', label: 'Duration', validate: validateDuration, description: 'Business time: PT4H, PT1H30M, 8 business hours' },
    ],
  });
}

function levelLabel(level: ModdleElement, translate: Translate): string {
  const parameter = levelParameter(level);
  return translate(`SLA level ${level.$type}`) + (level.get(parameter) ? ` ${String(level.get(parameter))}` : '');
}

export function LevelItem({ element, id, index, item, open }: ItemProps) {
  const translate = useService<Translate>('translate');
  const itemId = `${id}-${index}`;
  const parameter = levelParameter(item);
  const entries: Array<Record<string, unknown>> = [{
    id: `${itemId}-kind`, component: Select, node: item, property: '$type', label: 'Action',
    options: (tr: Translate) => LEVEL_KINDS.map((k) => ({ value: k, label: tr(`SLA level ${k}`) })),
    onChange: (kind: string, modeling: Modeling, factory: BpmnFactory) => replaceLevel(element, item, kind, modeling, factory),
  }];
  if (item.$type === 'sla:Notify') {
    entries.push({
      id: `${itemId}-channel`, component: Select, node: item, property: 'channel', label: 'Channel',
      options: () => CHANNELS.map((c) => ({ value: c, label: c })),
      // the address moves to the attribute the new channel reads
      also: (channel: string) => {
        const address = item.get(parameter);
        const to = channel === 'email' ? 'to' : channel === 'webhook' && /:\/\//.test(String(address ?? '')) ? 'url' : 'credential';
        return { to: undefined, url: undefined, credential: undefined, [to]: address };
      },
    });
  }
  entries.push({
    id: `${itemId}-parameter`, component: TextField, node: item, property: parameter, label: `SLA parameter ${parameter}`,
    validate: parameter === 'by' ? (v: string) => (/^\d+$/.test(v.trim()) && Number(v) >= 1 && Number(v) <= 100 ? null : 'A whole number 1–100') : undefined,
  });
  return h(CollapsibleEntry, { element, id: itemId, open, label: levelLabel(item, translate), entries });
}

export function EscalationItem({ element, id, index, item, open }: ItemProps) {
  const translate = useService<Translate>('translate');
  const modeling = useService<Modeling>('modeling');
  const factory = useService<BpmnFactory>('bpmnFactory');
  const itemId = `${id}-${index}`;
  const policy = item.$parent;
  const at = String(item.get('at') ?? '');
  const levels = listOf(item, 'levels');
  return h(CollapsibleEntry, {
    element, id: itemId, open,
    label: at === 'breach' ? translate('At the breach') : translate('At {at} %', { at }),
    entries: [
      {
        id: `${itemId}-at`, component: Select, node: item, property: 'at', label: 'When',
        options: (tr: Translate) => [
          ...(policy ? thresholdsOf(policy) : [50, 75]).map((n) => ({ value: String(n), label: tr('At {at} %', { at: String(n) }) })),
          { value: 'breach', label: tr('At the breach') },
        ],
      },
      {
        id: `${itemId}-levels`, component: NestedList, itemComponent: LevelItem, label: 'Actions (up to four, in order)',
        items: levels,
        onAdd: () => { if (levels.length < 4) addLevel(element, item, modeling, factory); },
        onRemove: (level: ModdleElement) => removeFrom(element, item, 'levels', level, modeling),
      },
    ],
  });
}

/** A list inside a list item: ListEntry takes its item renderer as `component`, the prop an entry's own component uses. */
export function NestedList({ itemComponent, label, ...props }: Record<string, unknown>) {
  const translate = useService<Translate>('translate');
  return h(ListEntry, { ...props, label: translate(String(label)), component: itemComponent });
}
