/**
 * The complete record of one complaint, assembled from what the service stores: the complaint
 * (its whole timeline: the entries it holds and those appended beside it; commitments,
 * evaluations, photos), every instance that served it (its own and
 * the commitment instances), their tasks with comments, element events (the path on the
 * diagram), SLA clocks and breaches, and the people named, by name and role. Equality reads
 * by `_id` or `instanceId` only (decision 0013).
 */
import type { Connection } from 'mongoose';
import { authModels } from '../auth/model';
import { complaintModels, type ComplaintRecord } from '../complaints/model';
import { appendedEntries, mergeTimeline } from '../complaints/timeline';
import { directoryModels } from '../domain/directory/models';
import { projectionModels, type ElementEventRecord, type InstanceRecord, type TaskRecord } from '../projections/models';
import type { SlaBreachRecord, SlaClockRecord } from '../projections/slaModels';

export interface Person { ref: string; name: string | null; roles: string[] }

export interface RecordInstance {
  id: string; role: 'complaint' | 'commitment'; definitionKey: string; definitionVersion: number; status: string;
  startedAt: Date | null; updatedAt: Date | null;
  /** Element ids in the order they were entered: the path on the diagram. */
  path: string[];
  events: Array<Pick<ElementEventRecord, 'index' | 'elementId' | 'elementType' | 'event' | 'time'>>;
}

export interface RecordTask {
  id: string; instanceId: string; elementId: string; name: string | null; state: string; assignee: Person | null;
  candidateGroups: string[]; createdAt: Date | null; closedAt: Date | null;
  comments: Array<{ id: string; author: Person; text: string; at: Date }>;
}

export interface ActivityLine { at: Date; who: Person; what: string; source: string }

export interface ComplianceRecord {
  complaint: Omit<ComplaintRecord, 'customerId' | 'engineer' | 'timeline' | 'staffUpdates' | 'rev' | 'contact' | 'loadHolder'> & { customer: Person; engineer: Person | null };
  timeline: Array<{ id: string; at: Date; who: Person; what: string }>;
  /** Who did what and when, in order: timeline, tasks opened and closed, comments. */
  activity: ActivityLine[];
  instances: RecordInstance[];
  tasks: RecordTask[];
  slaClocks: Array<Pick<SlaClockRecord, '_id' | 'instanceId' | 'policyId' | 'metric' | 'elementId' | 'taskId' | 'state' | 'startedAt' | 'targetMs' | 'dueAt' | 'metAt' | 'breachedAt' | 'elapsedMs'>>;
  breaches: Array<Pick<SlaBreachRecord, '_id' | 'instanceId' | 'policyId' | 'dueAt' | 'breachedAt' | 'escalatedTo'>>;
}

export class ComplaintNotFound extends Error {
  constructor(readonly complaintId: string) {
    super(`No complaint '${complaintId}'`);
    this.name = 'ComplaintNotFound';
  }
}

export function recordReader(mongo: Connection) {
  const complaints = complaintModels(mongo);
  const projections = projectionModels(mongo);
  const users = authModels(mongo).users;
  const directory = directoryModels(mongo);
  const people = new Map<string, Promise<Person>>();

  /** `staff:<user id>`, `customer:<id>`, a bare user or staff id, `process`, a department: by name and role. */
  function person(ref: string | null | undefined): Promise<Person> {
    const key = ref ?? 'unknown';
    let found = people.get(key);
    if (!found) {
      found = resolve(key);
      people.set(key, found);
      // Names change rarely; a record read a minute later asks again.
      setTimeout(() => people.delete(key), 60_000).unref();
    }
    return found;
  }

  async function resolve(ref: string): Promise<Person> {
    if (ref === 'process' || ref === 'unknown') return { ref, name: ref === 'process' ? 'the process' : null, roles: ref === 'process' ? ['system'] : [] };
    const [prefix, rest] = ref.includes(':') ? [ref.slice(0, ref.indexOf(':')), ref.slice(ref.indexOf(':') + 1)] : ['', ref];
    if (prefix === 'customer') {
      const customer = await directory.customers.findById(rest).lean<{ name: string }>();
      return { ref, name: customer?.name ?? null, roles: ['customer'] };
    }
    const id = prefix === 'staff' || prefix === 'user' ? rest : ref;
    const user = await users.findById(id).lean<{ name: string; roles: string[] }>();
    if (user) return { ref, name: user.name, roles: user.roles };
    const staff = await directory.staff.findById(id).lean<{ name: string; roles: string[] }>();
    if (staff) return { ref, name: staff.name, roles: staff.roles };
    return { ref, name: null, roles: [] };
  }

  async function instance(id: string, role: RecordInstance['role']): Promise<RecordInstance | undefined> {
    const doc = await projections.instances.findById(id).lean<InstanceRecord>();
    if (!doc) return undefined;
    const events = (await projections.elementEvents.find({ instanceId: id }).lean<ElementEventRecord[]>()).sort((a, b) => a.index - b.index);
    return {
      id, role, definitionKey: doc.definitionKey, definitionVersion: doc.definitionVersion, status: doc.status,
      startedAt: doc.startedAt ?? null, updatedAt: doc.updatedAt ?? null,
      path: events.filter((e) => e.event === 'activated').map((e) => e.elementId),
      events: events.map(({ index, elementId, elementType, event, time }) => ({ index, elementId, elementType, event, time })),
    };
  }

  return {
    person,
    /** The raw complaint document (null: none). */
    complaint: (id: string) => complaints.complaints.findById(id).lean<ComplaintRecord>(),

    async read(id: string): Promise<ComplianceRecord> {
      const [stored, appended] = await Promise.all([complaints.complaints.findById(id).lean<ComplaintRecord>(), appendedEntries(complaints.timeline, id)]);
      if (!stored) throw new ComplaintNotFound(id);
      const doc = { ...stored, timeline: mergeTimeline(stored.timeline, appended) };
      const instanceIds = [...new Set([doc.instanceId, ...doc.commitments.map((c) => c.instanceId)].filter((x): x is string => Boolean(x)))];
      const instances = (await Promise.all(instanceIds.map((i) => instance(i, i === doc.instanceId ? 'complaint' : 'commitment'))))
        .filter((x): x is RecordInstance => x !== undefined);
      const perInstance = await Promise.all(instanceIds.map(async (instanceId) => ({
        tasks: await projections.tasks.find({ instanceId }).lean<TaskRecord[]>(),
        comments: await complaints.taskComments.find({ instanceId }).lean<Array<{ _id: string; taskId: string; author: string; text: string; at: Date }>>(),
        clocks: await projections.sla.clocks.find({ instanceId }).lean<SlaClockRecord[]>(),
        breaches: await projections.sla.breaches.find({ instanceId }).lean<SlaBreachRecord[]>(),
      })));
      const comments = perInstance.flatMap((p) => p.comments);
      const tasks: RecordTask[] = await Promise.all(perInstance.flatMap((p) => p.tasks)
        .sort((a, b) => (a.createdAt?.getTime() ?? 0) - (b.createdAt?.getTime() ?? 0))
        .map(async (t) => ({
          id: t._id, instanceId: t.instanceId, elementId: t.elementId, name: t.name, state: t.state,
          assignee: t.assignee ? await person(t.assignee) : null, candidateGroups: t.candidateGroups ?? [],
          createdAt: t.createdAt ?? null, closedAt: t.closedAt ?? null,
          comments: await Promise.all(comments.filter((c) => c.taskId === t._id).sort((a, b) => a.at.getTime() - b.at.getTime())
            .map(async (c) => ({ id: c._id, author: await person(c.author), text: c.text, at: c.at }))),
        })));
      const timeline = await Promise.all(doc.timeline.map(async (e) => ({ id: e.id, at: e.when, who: await person(e.who), what: e.what })));
      const activity: ActivityLine[] = [
        ...timeline.map((e) => ({ at: e.at, who: e.who, what: e.what, source: `timeline:${e.id}` })),
        ...tasks.flatMap((t) => [
          ...(t.createdAt ? [{ at: t.createdAt, who: { ref: 'process', name: 'the process', roles: ['system'] }, what: `task '${t.name ?? t.elementId}' opened for ${t.candidateGroups.join(', ') || 'its assignee'}`, source: `task:${t.id}` }] : []),
          ...(t.closedAt ? [{ at: t.closedAt, who: t.assignee ?? { ref: 'process', name: 'the process', roles: ['system'] }, what: `task '${t.name ?? t.elementId}' ${t.state}`, source: `task:${t.id}` }] : []),
        ]),
      ].sort((a, b) => a.at.getTime() - b.at.getTime());
      const { customerId, engineer, timeline: _t, staffUpdates: _s, rev: _r, contact: _c, loadHolder: _l, ...rest } = doc;
      return {
        complaint: { ...rest, customer: await person(`customer:${customerId}`), engineer: engineer ? await person(engineer) : null },
        timeline, activity, instances, tasks,
        slaClocks: perInstance.flatMap((p) => p.clocks).map(({ _id, instanceId, policyId, metric, elementId, taskId, state, startedAt, targetMs, dueAt, metAt, breachedAt, elapsedMs }) =>
          ({ _id, instanceId, policyId, metric, elementId, taskId, state, startedAt, targetMs, dueAt, metAt, breachedAt, elapsedMs })),
        breaches: perInstance.flatMap((p) => p.breaches).map(({ _id, instanceId, policyId, dueAt, breachedAt, escalatedTo }) => ({ _id, instanceId, policyId, dueAt, breachedAt, escalatedTo })),
      };
    },
  };
}

export type RecordReader = ReturnType<typeof recordReader>;
