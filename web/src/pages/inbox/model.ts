/** What the inbox reads from the API, and the small judgements it makes about it (due, SLA, age). */
import { api } from '../../core/api';
import { t } from '../../i18n';
import { elementName, NO_LABELS, type ProcessLabels } from '../../i18n/processText';
import type { DepartmentWork } from './departmentsCard';
import type { DispatchView } from './dispatchCard';
import type { VisitView } from './visitCard';

export type SlaState = 'ok' | 'at_risk' | 'breached' | 'met';

export interface Task {
  id: string;
  instanceId: string;
  elementId: string;
  /** The process the task belongs to (its labels: GET /api/definitions/{key}/labels). */
  definitionKey?: string;
  name: string | null;
  state: 'open' | 'claimed' | 'completed' | 'canceled';
  assignee: string | null;
  candidateGroups: string[];
  candidateUsers?: string[];
  formKey: string | null;
  dueAt: string | null;
  createdAt: string;
  businessKey?: string | null;
  complaintId?: string | null;
  /** The complaint's number (`C-000123`) when the task's process carries it. */
  complaintNumber?: string;
  /** Low-score alert work orders: the feedback they are about. */
  feedback?: FeedbackSummary;
  /** Carried by tasks once the engine keeps SLA clocks (another branch); absent otherwise. */
  sla?: { state?: SlaState; dueAt?: string | null; clockKey?: string } | null;
  /** Tasks of diagrams with SLA policies: 0–100, default 50, raised by escalations. */
  priority?: number;
}

export interface FeedbackSummary {
  id: string;
  touchpoint: string;
  score: number;
  verbatim: string;
  lowAnswers: Array<{ question: string; score: number }>;
  ownerGroup: string | null;
  at: string;
  reopens: Array<{ reason: string; by: string; at: string }>;
}

export interface Me { id: string; email: string; name: string; roles: string[]; groups: string[]; departments: string[]; staffId?: string | null }

export interface Comment { author: string; text: string; at: string }
export interface Commitment { id: string; kind: string; description: string; dueAt: string; ownerDepartment: string; status: 'open' | 'fulfilled'; fulfilledAt: string | null; byName?: string | null }
export interface SlaClock { name?: string; kind?: string; state?: SlaState; dueAt?: string | null; clockKey?: string; instanceId?: string; policyId?: string; policyName?: string }

export interface ComplaintDetail {
  id: string;
  /** `C-000123`; null on complaints filed before numbers. */
  number?: string | null;
  status: string;
  title: string;
  product: string;
  description: string;
  severity: string | null;
  category: string | null;
  engineer: string | null;
  timeline: Array<{ who: string; name?: string; what: string; when: string }>;
  tasks: Array<Task & { comments: Comment[] }>;
  commitments: Commitment[];
  attachments: Array<{
    id: string; filename: string; takenAt: string | null; uploadedAt: string; geo: { lat: number; lon: number } | null;
    contentType?: string; href: string; thumbnailHref?: string | null; byName?: string | null;
  }>;
  /** SLA clocks, once GET /api/complaints/:id carries them (another branch). */
  slaClocks?: SlaClock[];
  /** Every department's role and tasks (staff only). */
  departmentWork?: DepartmentWork[];
  /** The dispatch's recommendations with their reasons. */
  dispatch?: DispatchView | null;
  /** The engineer's visit. */
  appointment?: VisitView | null;
  sla?: SlaClock[] | SlaClock | null;
}

/** The identities a task can be assigned to me by: my user id and my staff id. */
export const myIdentities = (me: Me | null): string[] => (me ? [me.id, ...(me.staffId ? [me.staffId] : [])] : []);

/** Claims go to the staff id when there is one (dispatch assigns by staff id), else the user id. */
export const myAssignee = (me: Me): string => me.staffId ?? me.id;

export const isOverdue = (task: Task, now = Date.now()): boolean => task.dueAt !== null && new Date(task.dueAt).getTime() < now;

export function slaOf(task: Task): SlaState | null {
  return task.sla?.state ?? null;
}

/** The SLA clocks of a complaint, whatever of the two announced shapes it comes in. */
export function clocksOf(detail: ComplaintDetail): SlaClock[] {
  if (Array.isArray(detail.slaClocks)) return detail.slaClocks;
  if (Array.isArray(detail.sla)) return detail.sla;
  return detail.sla ? [detail.sla] : [];
}

/** "5 min", "3 h", "2 d": how long ago, or how long until, in few characters. */
export function span(ms: number): string {
  const minutes = Math.max(0, Math.round(Math.abs(ms) / 60_000));
  if (minutes < 1) return t('inbox.span.now');
  if (minutes < 60) return t('inbox.span.minutes', { n: minutes });
  const hours = Math.round(minutes / 60);
  if (hours < 48) return t('inbox.span.hours', { n: hours });
  return t('inbox.span.days', { n: Math.round(hours / 24) });
}

export { complaintNumber } from '../../core/readable';

export const listActiveTasks = () =>
  api.get<{ items: Task[]; total: number }>('/api/tasks', { state: 'open,claimed', sort: '-createdAt', pageSize: 200 });

export const loadMe = () => api.get<Me>('/api/auth/me');

/**
 * Who wrote a comment or timeline entry, or holds a task, in words: staff by name (`names`,
 * from loadNames), never by id; customers as "the customer". A bare id is a task's assignee.
 */
export function whoLabel(who: string, me: Me | null, names: ReadonlyMap<string, string> = new Map()): string {
  const bare = who.replace(/^staff:/, '');
  if (me && (bare === me.id || (me.staffId && bare === me.staffId))) return t('inbox.who.you');
  if (who.startsWith('customer:')) return t('inbox.who.customer');
  if (who === 'process') return t('inbox.who.process');
  return names.get(who) ?? t('inbox.who.colleague');
}

/** A task's name in the reader's language: its element's label (decision 0050), else its name. */
export function taskName(task: Pick<Task, 'definitionKey' | 'elementId' | 'name'>, labels: ReadonlyMap<string, ProcessLabels>): string {
  return elementName(labels.get(task.definitionKey ?? '') ?? NO_LABELS, task.elementId, task.name ?? task.elementId);
}
