/**
 * The alert texts: ids, element, department, severity and times only. Nothing about the
 * customer (no names, addresses, phone numbers, complaint text), so a group chat may see them.
 */
import type { Notification } from '../../activities/notifications/channel';
import type { SlaBreachRecord } from '../projections/slaModels';
import type { RaisedIncident } from '../projections/writer';

/** A department or severity as written into an alert: a short label, else left out. */
const LABEL = /^[\p{L}\p{N} _.:-]{1,64}$/u;
const safe = (value: string | null) => (value !== null && LABEL.test(value) ? value : null);

function lines(title: string, fields: Array<[string, string | null]>): Notification {
  const shown = fields.filter((f): f is [string, string] => f[1] !== null);
  const text = [title, ...shown.map(([k, v]) => `${k}: ${v}`)].join('\n');
  const markdown = [`**${title}**`, ...shown.map(([k, v]) => `- ${k}: \`${v}\``)].join('\n');
  return { subject: title, text, markdown, data: Object.fromEntries(shown) };
}

export interface IncidentAlert extends RaisedIncident {
  definitionKey: string;
}

export function incidentMessage(a: IncidentAlert): Notification {
  return lines(`Incident in ${a.definitionKey}`, [
    ['kind', 'incident'],
    ['process', a.definitionKey],
    ['instance', a.instanceId],
    ['incident', a.incidentId],
    ['type', a.type],
    ['element', a.elementId],
    ['department', safe(a.department)],
    ['severity', safe(a.severity)],
    ['raisedAt', a.createdAt.toISOString()],
  ]);
}

export function breachMessage(r: SlaBreachRecord): Notification {
  return lines(`SLA breached: ${r.policyId} (${r.metric})`, [
    ['kind', 'sla_breach'],
    ['process', r.definitionKey],
    ['instance', r.instanceId],
    ['complaint', r.complaintId],
    ['policy', r.policyId],
    ['metric', r.metric],
    ['element', r.elementId],
    ['task', r.taskId],
    ['department', safe(r.department)],
    ['severity', safe(r.severity)],
    ['engineer', r.engineerId],
    ['dueAt', new Date(r.dueAt).toISOString()],
    ['breachedAt', new Date(r.breachedAt).toISOString()],
  ]);
}
