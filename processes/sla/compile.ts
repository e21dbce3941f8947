/**
 * `sla:policies` extension elements -> SlaModel. Every problem names the BPMN element the
 * policy is written on (the process id for process-level policies) and the policy id.
 */
import { parseBusinessDuration, parseCalendar, formatPath, type BusinessCalendar } from '../calendar';
import type { ElementDef } from '../model/types';
import { storeCalendar, type Escalation, type EscalationLevel, type SlaMetric, type SlaModel, type SlaPolicyDef, type SlaTarget } from './types';

/** The moddle view of our extension (attributes are strings or absent). */
interface MSla {
  $type: string;
  [name: string]: unknown;
}
interface MHolder {
  id?: string;
  $type: string;
  extensionElements?: { values?: MSla[] };
  flowElements?: MHolder[];
}

export interface SlaCompileInput {
  /** The moddle bpmn:Process (read through the narrow MHolder view). */
  process: unknown;
  elements: readonly ElementDef[];
  calendars: ReadonlyMap<string, BusinessCalendar>;
  /** Known job types (`notify.<channel>` must be one); null = any. */
  taskTypes: ReadonlySet<string> | null;
  error(elementId: string, elementType: string, message: string): void;
}

export const MAX_ESCALATION_LEVELS = 4;
const METRICS: readonly SlaMetric[] = ['firstResponse', 'resolution', 'element'];
const DEFAULT_THRESHOLDS = [50, 75];

const str = (node: MSla, name: string): string | undefined => {
  const v = node[name];
  return typeof v === 'string' && v.trim() !== '' ? v.trim() : undefined;
};
const list = (node: MSla, name: string): string[] => (str(node, name) ?? '').split(/[\s,]+/).filter((s) => s !== '');
const children = (node: MSla, name: string): MSla[] => (Array.isArray(node[name]) ? (node[name] as MSla[]) : []);

/** Every `sla:policy` of the process and its flow nodes, compiled; undefined when there is none. */
export function compileSla(input: SlaCompileInput): SlaModel | undefined {
  const policies: SlaPolicyDef[] = [];
  const calendars = new Map<string, BusinessCalendar>();
  const ids = new Set<string>();
  const known = new Set(input.elements.map((e) => e.id));
  const visit = (holder: MHolder, attachedTo: string | null) => {
    for (const ext of holder.extensionElements?.values ?? []) {
      if (ext.$type !== 'sla:Policies') continue;
      for (const policy of children(ext, 'policies')) {
        const where = { id: holder.id ?? '', type: holder.$type };
        const compiled = compilePolicy(policy, attachedTo, where, known, input, calendars);
        if (!compiled) continue;
        if (ids.has(compiled.id)) input.error(where.id, where.type, `sla policy '${compiled.id}': the id is used by another policy of this process`);
        ids.add(compiled.id);
        policies.push(compiled);
      }
    }
    for (const child of holder.flowElements ?? []) visit(child, child.id ?? null);
  };
  visit(input.process as MHolder, null);
  if (policies.length === 0) return undefined;
  return { policies, calendars: [...calendars.values()].map(storeCalendar) };
}

function compilePolicy(
  node: MSla,
  attachedTo: string | null,
  where: { id: string; type: string },
  known: ReadonlySet<string>,
  input: SlaCompileInput,
  calendars: Map<string, BusinessCalendar>,
): SlaPolicyDef | null {
  const id = str(node, 'id');
  const fail = (message: string) => input.error(where.id, where.type, `sla policy '${id ?? '?'}': ${message}`);
  let ok = true;
  const problem = (message: string) => {
    ok = false;
    fail(message);
  };
  if (id === undefined) problem('id is required');
  else if (!/^[A-Za-z][\w.-]{0,63}$/.test(id)) problem('id must start with a letter and hold only letters, digits, _ . - (at most 64)');
  const metric = str(node, 'metric') as SlaMetric | undefined;
  if (metric === undefined || !METRICS.includes(metric)) problem(`metric must be one of ${METRICS.join(', ')}`);

  const refs = (name: string): string[] => {
    const values = list(node, name);
    for (const ref of values) if (!known.has(ref)) problem(`${name} names '${ref}', which is not an element of this process`);
    return values;
  };
  const startAt = refs('start');
  const stopAt = refs('stop');
  const pauseWhile = refs('pauseWhile');
  let elementId: string | null = null;
  if (metric === 'element') {
    elementId = str(node, 'element') ?? attachedTo;
    if (elementId === null) problem('metric element needs element="<id>" or the policy written on that element');
    else if (!known.has(elementId)) problem(`element names '${elementId}', which is not an element of this process`);
    if (startAt.length || stopAt.length) problem('metric element starts and stops with its element: start/stop are not allowed');
  } else if (metric === 'firstResponse' && stopAt.length === 0) {
    problem('metric firstResponse needs stop="<element ids>" (the first response)');
  }

  const calendarId = str(node, 'calendar');
  if (calendarId === undefined) problem('calendar is required (a business calendar id)');
  else if (!calendars.has(calendarId)) {
    const calendar = input.calendars.get(calendarId);
    if (!calendar) problem(`unknown calendar '${calendarId}' (known: ${[...input.calendars.keys()].join(', ')})`);
    else {
      const parsed = parseCalendar(calendar);
      if (!parsed.ok) problem(`calendar '${calendarId}' is invalid: ${parsed.problems.map((p) => `${formatPath(p.path)}: ${p.message}`).join('; ')}`);
      else calendars.set(calendarId, parsed.value);
    }
  }

  const targets: SlaTarget[] = [];
  for (const target of children(node, 'targets')) {
    const duration = str(target, 'duration') ?? '';
    const parsed = parseBusinessDuration(duration);
    const label = `target${str(target, 'severity') ? ` severity=${str(target, 'severity')}` : ''}${str(target, 'tier') ? ` tier=${str(target, 'tier')}` : ''}`;
    if (!parsed.ok) problem(`${label}: bad duration '${duration}': ${parsed.error}`);
    else if (parsed.value <= 0) problem(`${label}: the duration must be positive`);
    else targets.push({ severity: str(target, 'severity') ?? null, customerTier: str(target, 'tier') ?? null, duration, durationMs: parsed.value });
  }
  if (children(node, 'targets').length === 0) problem('needs at least one <sla:target duration="PT8H"/>');
  else if (!children(node, 'targets').some((t) => str(t, 'severity') === undefined && str(t, 'tier') === undefined)) {
    problem('needs a fallback target without severity and tier (used until they are known)');
  }

  const thresholds = parseThresholds(str(node, 'thresholds'), problem);
  const escalations = parseEscalations(children(node, 'escalations'), thresholds, input.taskTypes, problem);
  if (!ok || id === undefined || metric === undefined || calendarId === undefined) return null;
  return {
    id,
    name: str(node, 'name') ?? null,
    metric,
    attachedTo,
    elementId,
    startAt,
    stopAt,
    pauseWhile,
    calendarId,
    severityVariable: str(node, 'severityVariable') ?? 'severity',
    tierVariable: str(node, 'tierVariable') ?? 'customerTier',
    targets,
    thresholds,
    escalations,
  };
}

function parseThresholds(text: string | undefined, problem: (m: string) => void): number[] {
  if (text === undefined) return [...DEFAULT_THRESHOLDS];
  const values: number[] = [];
  for (const part of text.split(/[\s,]+/).filter((s) => s !== '')) {
    const value = /^\d{1,2}$/.test(part) ? Number(part) : NaN;
    if (!(value >= 1 && value <= 99)) {
      problem(`thresholds: '${part}' is not a whole percentage between 1 and 99`);
      continue;
    }
    if (values.length > 0 && value <= (values[values.length - 1] ?? 0)) problem(`thresholds must be increasing ('${part}' after ${values[values.length - 1]})`);
    values.push(value);
  }
  return values;
}

function parseEscalations(nodes: MSla[], thresholds: number[], taskTypes: ReadonlySet<string> | null, problem: (m: string) => void): Escalation[] {
  const out: Escalation[] = [];
  for (const node of nodes) {
    const atText = str(node, 'at') ?? '';
    const at = atText === 'breach' ? 100 : /^\d{1,2}$/.test(atText) ? Number(atText) : NaN;
    if (!(at === 100 || thresholds.includes(at))) {
      problem(`escalation at='${atText}' must be one of the thresholds (${thresholds.join(', ')}) or 'breach'`);
      continue;
    }
    if (out.some((e) => e.at === at)) problem(`escalation at='${atText}' is given twice`);
    const levelNodes = children(node, 'levels');
    if (levelNodes.length === 0) problem(`escalation at='${atText}' has no level`);
    if (levelNodes.length > MAX_ESCALATION_LEVELS) problem(`escalation at='${atText}' has ${levelNodes.length} levels; at most ${MAX_ESCALATION_LEVELS}`);
    const levels = levelNodes.map((level, index) => parseLevel(level, `escalation at='${atText}' level ${index + 1}`, taskTypes, problem));
    out.push({ at, levels: levels.filter((l): l is EscalationLevel => l !== null) });
  }
  return out.sort((a, b) => a.at - b.at);
}

function parseLevel(node: MSla, label: string, taskTypes: ReadonlySet<string> | null, problem: (m: string) => void): EscalationLevel | null {
  switch (node.$type) {
    case 'sla:Notify': {
      const channel = str(node, 'channel') ?? '';
      const url = str(node, 'url') ?? null;
      const credential = str(node, 'credential') ?? null;
      const to = str(node, 'to') ?? null;
      if (taskTypes !== null && !taskTypes.has(`notify.${channel}`)) {
        problem(`${label}: unknown notification channel '${channel}' (no integration notify.${channel})`);
        return null;
      }
      if (channel === 'webhook' && url === null && credential === null) problem(`${label}: notify channel webhook needs url or credential`);
      else if (channel === 'email' && to === null) problem(`${label}: notify channel email needs to="<address>"`);
      else if (!['webhook', 'email'].includes(channel) && credential === null) problem(`${label}: notify channel ${channel} needs credential`);
      return { type: 'notify', channel, to, url, credential };
    }
    case 'sla:Reassign': {
      const group = str(node, 'group') ?? null;
      const user = str(node, 'user') ?? null;
      if ((group === null) === (user === null)) {
        problem(`${label}: reassign needs exactly one of group or user`);
        return null;
      }
      return { type: 'reassign', group, user };
    }
    case 'sla:RaisePriority': {
      const byText = str(node, 'by') ?? '25';
      const by = /^\d{1,3}$/.test(byText) ? Number(byText) : NaN;
      if (!(by >= 1 && by <= 100)) {
        problem(`${label}: raisePriority by='${byText}' must be a whole number from 1 to 100`);
        return null;
      }
      return { type: 'raisePriority', by };
    }
    default:
      problem(`${label}: unknown level ${node.$type}`);
      return null;
  }
}
