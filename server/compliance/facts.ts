/**
 * The facts of a complaint's record that the audit chain seals: each has a key that is stable
 * and never changes meaning (a task's opening and its closing are two facts), and data that no
 * later step rewrites. Changing state (claims, candidate groups a transfer rewrites, `pending`
 * evaluations, running clocks and their targets) is sealed only when it settles.
 */
import type { ComplaintRecord } from '../complaints/model';
import type { ElementEventRecord, TaskRecord } from '../projections/models';
import type { SlaBreachRecord, SlaClockRecord } from '../projections/slaModels';

export interface Fact {
  key: string;
  kind: string;
  at: Date;
  data: Record<string, unknown>;
}

export interface FactSources {
  complaint: ComplaintRecord;
  tasks: TaskRecord[];
  comments: Array<{ _id: string; taskId: string; instanceId: string; author: string; text: string; at: Date }>;
  events: ElementEventRecord[];
  clocks: SlaClockRecord[];
  breaches: SlaBreachRecord[];
}

const time = (d: Date | null | undefined) => (d ? new Date(d) : new Date(0));

export function factsOf(s: FactSources): Fact[] {
  const c = s.complaint;
  const facts: Fact[] = [{
    key: 'complaint:filed', kind: 'complaint.filed', at: time(c.createdAt),
    data: { customerId: c.customerId, channel: c.channel, product: c.product, title: c.title, description: c.description, location: c.location ?? null, photos: c.photos ?? [] },
  }];
  for (const e of c.timeline) facts.push({ key: `timeline:${e.id}`, kind: 'timeline', at: time(e.when), data: { who: e.who, what: e.what, when: time(e.when) } });
  for (const m of c.commitments) {
    facts.push({ key: `commitment:${m.id}`, kind: 'commitment.made', at: time(m.createdAt), data: { kind: m.kind, description: m.description, dueAt: m.dueAt, ownerDepartment: m.ownerDepartment, instanceId: m.instanceId ?? null } });
    if (m.status === 'fulfilled') facts.push({ key: `commitment:${m.id}:fulfilled`, kind: 'commitment.fulfilled', at: time(m.fulfilledAt), data: { fulfilledAt: m.fulfilledAt } });
  }
  for (const v of c.evaluations) {
    facts.push({ key: `evaluation:${v.id}`, kind: 'evaluation', at: time(v.at), data: { stars: v.stars, tags: v.tags ?? [], comment: v.comment ?? null, engineerId: v.engineerId ?? null, at: v.at } });
  }
  for (const a of c.attachments) {
    facts.push({ key: `attachment:${a.id}`, kind: 'photo', at: time(a.uploadedAt), data: { filename: a.filename, size: a.size, sha256: a.sha256, contentType: a.contentType, geo: a.geo ?? null, takenAt: a.takenAt ?? null } });
  }
  for (const t of s.tasks) {
    facts.push({ key: `task:${t._id}:opened`, kind: 'task.opened', at: time(t.createdAt), data: { instanceId: t.instanceId, elementId: t.elementId, name: t.name ?? null, createdAt: t.createdAt ?? null } });
    if (t.state === 'completed' || t.state === 'canceled') {
      facts.push({ key: `task:${t._id}:${t.state}`, kind: `task.${t.state}`, at: time(t.closedAt), data: { assignee: t.assignee ?? null, closedAt: t.closedAt ?? null } });
    }
  }
  for (const m of s.comments) facts.push({ key: `comment:${m._id}`, kind: 'comment', at: time(m.at), data: { taskId: m.taskId, author: m.author, text: m.text, at: m.at } });
  for (const e of s.events) {
    facts.push({ key: `element:${e.instanceId}:${e.index}`, kind: 'element', at: time(e.time), data: { elementId: e.elementId, elementType: e.elementType, event: e.event, time: e.time } });
  }
  for (const k of s.clocks) {
    facts.push({ key: `sla:${k._id}:started`, kind: 'sla.started', at: time(k.startedAt), data: { policyId: k.policyId, metric: k.metric, elementId: k.elementId ?? null, startedAt: k.startedAt } });
    if (k.metAt) facts.push({ key: `sla:${k._id}:met`, kind: 'sla.met', at: time(k.metAt), data: { metAt: k.metAt, elapsedMs: k.elapsedMs ?? null, targetMs: k.targetMs } });
  }
  for (const b of s.breaches) facts.push({ key: `sla:${b._id}:breached`, kind: 'sla.breached', at: time(b.breachedAt), data: { policyId: b.policyId, dueAt: b.dueAt, breachedAt: b.breachedAt, escalatedTo: b.escalatedTo ?? [] } });
  return facts.sort((a, b) => a.at.getTime() - b.at.getTime() || (a.key < b.key ? -1 : a.key > b.key ? 1 : 0));
}
