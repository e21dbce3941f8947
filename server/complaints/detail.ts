/**
 * A complaint as the API shows it: the list row, and the detail assembled from the read models —
 * its instances' tasks with their comments, SLA clocks, every department's work, commitments,
 * evaluations, attachments, the dispatch and the engineer's visit.
 */
import type { ComplaintStore } from './store';
import { departmentWork } from './departmentWork';
import { toAppointmentView } from './appointments';
import type { ComplaintRecord, Evaluation } from './model';
import { apiClockFromRecord } from '../instances/slaView';
import type { ProjectionModels } from '../projections/models';
import { toTaskView } from '../tasks/service';
import { withPolicyNames, type PolicyNames } from './slaNames';
import { appendedEntries, mergeTimeline, type TimelineModel } from './timeline';

const iso = (d: Date | string | null | undefined) => (d ? new Date(d).toISOString() : null);

/** Ascending by a time, then `_id`: the order the `$in` queries sorted by. */
const byTime = <T extends { _id: unknown }>(at: (doc: T) => Date | string | number | null | undefined) => (a: T, b: T) =>
  (new Date(at(a) ?? 0).getTime() - new Date(at(b) ?? 0).getTime()) || String(a._id).localeCompare(String(b._id));

async function eachInstance<T>(instanceIds: string[], read: (instanceId: string) => Promise<T[]>, order: (a: T, b: T) => number): Promise<T[]> {
  return (await Promise.all(instanceIds.map(read))).flat().sort(order);
}

/** An evaluation as the API shows it (without the delivery state). */
export const toEvaluationView = ({ state: _state, ...e }: Evaluation) => ({ ...e, at: new Date(e.at).toISOString() });

export function toComplaintView(c: ComplaintRecord) {
  return {
    id: c._id, number: c.number ?? null, status: c.status, channel: c.channel, customerId: c.customerId, product: c.product, title: c.title,
    category: c.category, severity: c.severity, departments: c.departments, engineer: c.engineer,
    instanceId: c.instanceId, reopenCount: c.reopenCount, createdAt: c.createdAt.toISOString(),
  };
}

/**
 * The detail of `c`: one equality read per instance and collection (FerretDB answers those from
 * an index, an `$in` by reading the collection), and one of the timeline entries appended beside
 * the complaint (timeline.ts). `timeline` null: `c` was just filed, nothing is appended beside it
 * and nobody has commented on its tasks yet.
 */
export async function complaintDetail(deps: { projections: ProjectionModels; taskComments: ComplaintStore['models']['taskComments']; timeline: TimelineModel | null; policyNames?: PolicyNames }, c: ComplaintRecord) {
  const { projections, taskComments } = deps;
  const instanceIds = [c.instanceId, ...c.commitments.map((m) => m.instanceId)].filter((x): x is string => Boolean(x));
  // One equality read per instance, side by side: FerretDB answers those from an index, an `$in` by reading the collection.
  const [tasks, clocks, comments, appended] = await Promise.all([
    eachInstance(instanceIds, (instanceId) => projections.tasks.find({ instanceId }).lean(), byTime((t) => t.createdAt)),
    eachInstance(instanceIds, (instanceId) => projections.sla.clocks.find({ instanceId }).lean(), byTime((k) => k.startedAt)),
    // A comment needs a task someone has seen: none can exist on a complaint filed by this request.
    deps.timeline ? eachInstance(instanceIds, (instanceId) => taskComments.find({ instanceId }).lean(), byTime((m) => m.at)) : [],
    deps.timeline ? appendedEntries(deps.timeline, c._id) : [],
  ]);
  const taskViews = tasks.map(toTaskView);
  return {
    ...toComplaintView(c),
    description: c.description,
    location: c.location,
    photos: c.photos,
    timeline: mergeTimeline(c.timeline, appended).map((e) => ({ who: e.who, ...(e.name ? { name: e.name } : {}), what: e.what, when: new Date(e.when).toISOString() })),
    // Every department's view: its role and its tasks (only this complaint's own instance, not commitments').
    departmentWork: departmentWork(c, taskViews.filter((t) => t.instanceId === c.instanceId)),
    tasks: taskViews.map((t) => ({ ...t, comments: comments.filter((m) => m.taskId === t.id).map((m) => ({ author: m.author, text: m.text, at: m.at.toISOString() })) })),
    commitments: c.commitments.map((m) => ({ ...m, dueAt: m.dueAt.toISOString(), createdAt: m.createdAt.toISOString(), fulfilledAt: m.fulfilledAt?.toISOString() ?? null })),
    evaluations: c.evaluations.map(toEvaluationView),
    slaClocks: await withPolicyNames(clocks.map((k) => ({ ...apiClockFromRecord(k, Date.now()), definitionKey: k.definitionKey, definitionVersion: k.definitionVersion })), deps.policyNames),
    attachments: c.attachments.map((a) => ({
      ...a, takenAt: a.takenAt?.toISOString() ?? null, uploadedAt: a.uploadedAt.toISOString(), href: `/api/complaints/${c._id}/attachments/${a.id}`,
      thumbnailHref: a.thumbnail ? `/api/complaints/${c._id}/attachments/${a.id}/thumbnail` : null,
    })),
    contact: c.contact ?? null,
    dispatchMode: c.dispatchMode ?? 'auto',
    // Why these engineers: the dispatch's recommendations with their reasons (staff; the customer view keeps the engineer's own).
    appointment: toAppointmentView(c.appointment),
    dispatch: c.dispatch ? { recommended: c.dispatch.recommended, recommendedAt: iso(c.dispatch.recommendedAt) } : null,
    engineerChoice: c.engineerChoice
      ? { ...c.engineerChoice, offeredAt: iso(c.engineerChoice.offeredAt), decidedAt: iso(c.engineerChoice.decidedAt) }
      : null,
  };
}
