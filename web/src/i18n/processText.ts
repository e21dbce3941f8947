/**
 * The process content in the reader's language: element names from the diagram's
 * `name:<locale>` extension properties (decision 0050, GET /api/definitions/{key}/labels), and
 * the complaint timeline's entries, categories, severities and channels. Texts the service or a
 * shipped diagram writes in English are recognised by their pattern and said again through the
 * messages below; anything else (a designer's own wording) is shown as written.
 */
import { locale, registerMessages, t } from './index';
import { processTextMessages } from './messages';

/** What GET /api/definitions/{key}/labels answers. */
export interface ProcessLabels {
  names: Record<string, string>;
  labels: Record<string, Record<string, string>>;
}

export const NO_LABELS: ProcessLabels = { names: {}, labels: {} };

registerMessages(processTextMessages);

const zh = () => locale() !== 'en';

/** A word from a fixed set (category, severity, channel, department, kind, state) in the reader's language. */
export function processWord(kind: 'category' | 'severity' | 'channel' | 'department' | 'kind' | 'state', value: string): string {
  if (!zh()) return value;
  const key = `process.${kind}.${value}`;
  const said = t(key);
  return said === key ? value : said;
}

/** An element's name in the reader's language: its `name:<locale>` label, else its own name. */
export function elementName(labels: ProcessLabels, elementId: string, fallback: string): string {
  return (zh() && labels.labels[elementId]?.[locale()]) || fallback;
}

/**
 * An element known only by its id (analytics steps and drivers) in words: its label in the
 * reader's language, else its name in any of the processes' labels, else the id.
 */
export function elementNameAnywhere(labels: Iterable<ProcessLabels>, elementId: string): string {
  let name: string | undefined;
  for (const l of labels) {
    const said = zh() ? l.labels[elementId]?.[locale()] : undefined;
    if (said) return said;
    name ??= l.names[elementId];
  }
  return name ?? elementId;
}

/** A task name quoted in a text, said in the reader's language when one of `labels` names it. */
function quotedTask(name: string, labels: readonly ProcessLabels[]): string {
  for (const l of labels) {
    const id = Object.keys(l.names).find((k) => l.names[k] === name) ?? (l.labels[name] ? name : undefined);
    if (id && l.labels[id]?.[locale()]) return l.labels[id][locale()]!;
  }
  return name;
}

const list = (value: string, kind: 'department') => value.split(/,\s*/).map((d) => processWord(kind, d)).join('、');

type Rule = [RegExp, (m: RegExpExecArray, labels: readonly ProcessLabels[]) => string];

const FIXED: Record<string, string> = {
  'engineer chosen by the customer': 'process.t.chosen',
  'engineer kept as my expert': 'process.t.kept',
  'no engineer chosen in time: the best recommended is assigned': 'process.t.choiceTimeout',
  dispatched: 'process.t.dispatched',
  'first response SLA warning': 'process.t.firstResponseWarning',
  'resolution SLA warning': 'process.t.resolutionWarning',
  'compensation auto-approved': 'process.t.autoApproved',
  "resolved: awaiting the customer's evaluation": 'process.t.resolved',
  'customer not reachable: the resolution notice could not be sent': 'process.t.notReachable',
  'no evaluation within 7 days: auto-closing': 'process.t.noEvaluation',
  reopened: 'process.t.reopened',
  closed: 'process.t.closed',
};

const RULES: Rule[] = [
  [/^complaint received via (\S+)$/, (m) => t('process.t.received', { channel: processWord('channel', m[1]!) })],
  [/^classified as (\S+), severity (\S+)$/, (m) => t('process.t.classified', { category: processWord('category', m[1]!), severity: processWord('severity', m[2]!) })],
  [/^departments that must act: (.*)$/, (m) => t('process.t.mustAct', { departments: list(m[1]!, 'department') })],
  [/^commitment made: (\S+)$/, (m) => t('process.t.commitmentMade', { kind: processWord('kind', m[1]!) })],
  [/^commitment fulfilled: (\S+)$/, (m) => t('process.t.commitmentFulfilled', { kind: processWord('kind', m[1]!) })],
  [/^evaluated with (\d+) star\(s\)$/, (m) => t('process.t.evaluated', { stars: m[1]! })],
  [/^reopen requested: ([\s\S]*)$/, (m) => t('process.t.reopenRequested', { reason: m[1]! })],
  [/^commented on '(.+)'$/, (m, l) => t('process.t.commented', { task: quotedTask(m[1]!, l) })],
  [/^transferred '(.+)' to (\S+): ([\s\S]*)$/, (m, l) => t('process.t.transferred', { task: quotedTask(m[1]!, l), target: processWord('department', m[2]!), reason: m[3]! })],
  [/^task '(.+)' opened for (.+)$/, (m, l) => t('process.t.taskOpened', { task: quotedTask(m[1]!, l), groups: m[2] === 'its assignee' ? t('process.t.assignee') : list(m[2]!, 'department') })],
  [/^task '(.+)' (open|claimed|completed|canceled)$/, (m, l) => t('process.t.taskState', { task: quotedTask(m[1]!, l), state: processWord('state', m[2]!) })],
  [/^attachment added \((.+), (\d+) bytes\)$/, (m) => t('process.t.attachment', { type: m[1]!, size: Number(m[2]).toLocaleString(locale()) })],
  [/^(\d+) engineers offered to the customer$/, (m) => t('process.t.offered', { count: m[1]! })],
  [/^(\S+) brought in: ([\s\S]*)$/, (m) => t('process.t.broughtIn', { department: processWord('department', m[1]!), reason: m[2]! })],
  [/^(\S+): work done \(([\s\S]*)\)$/, (m) => t('process.t.workDoneNote', { department: processWord('department', m[1]!), note: m[2]! })],
  [/^(\S+): work done$/, (m) => t('process.t.workDone', { department: processWord('department', m[1]!) })],
];

/**
 * A timeline entry in the reader's language. `labels` are the processes' labels whose task
 * names the entry may quote. English (or an unknown text) comes back as written.
 */
export function timelineText(what: string, labels: readonly ProcessLabels[] = []): string {
  if (!zh()) return what;
  const fixed = FIXED[what];
  if (fixed) return t(fixed);
  for (const [pattern, say] of RULES) {
    const m = pattern.exec(what);
    if (m) return say(m, labels);
  }
  return what;
}

const ZEEBE_NS = 'http://camunda.org/schema/zeebe/1.0';

/**
 * A diagram to show (never to edit or deploy) with its elements named in the reader's
 * language: each element's `name:<locale>` property replaces its name on the canvas.
 */
export function localizedDiagram(xml: string): string {
  if (!zh() || typeof DOMParser === 'undefined') return xml;
  const doc = new DOMParser().parseFromString(xml, 'application/xml');
  if (doc.getElementsByTagName('parsererror').length > 0) return xml;
  let changed = false;
  for (const property of Array.from(doc.getElementsByTagNameNS(ZEEBE_NS, 'property'))) {
    const value = property.getAttribute('value')?.trim();
    if (property.getAttribute('name') !== `name:${locale()}` || !value) continue;
    const owner = property.parentElement?.parentElement?.parentElement;
    if (owner?.hasAttribute('id')) { owner.setAttribute('name', value); changed = true; }
  }
  return changed ? new XMLSerializer().serializeToString(doc) : xml;
}
