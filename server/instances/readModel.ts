/**
 * An instance as its read model (server/projections) holds it: the view GET /api/instances/{id}
 * falls back to when the workflow cannot answer, and the end of an instance the workflow could
 * not report itself (a cancel that had to terminate).
 */
import { trusted } from 'mongoose';
import type { InstanceView } from '../../workflows/processInstance/types';
import type { ProjectionModels } from '../projections/models';

/** The sequence of a projection the server closed itself: no later snapshot of the dead workflow can overwrite it. */
const CLOSED_BY_SERVER = Number.MAX_SAFE_INTEGER;

/** The end of an instance the workflow could not report itself. */
export async function closeReadModel(projections: ProjectionModels, id: string, status: 'terminated'): Promise<void> {
  const now = new Date();
  const open = trusted({ $in: ['open', 'claimed'] }) as never;
  await projections.tasks.updateMany({ instanceId: id, state: open }, { $set: { state: 'canceled', closedAt: now, sequence: CLOSED_BY_SERVER } });
  await projections.openTasks.deleteMany({ instanceId: id });
  await projections.instances.updateOne({ _id: id }, {
    $set: { status, activeElements: [], timers: [], subscriptionKeys: [], openTaskCount: 0, openTaskKeys: [], sequence: CLOSED_BY_SERVER, updatedAt: now },
  });
}

/** The instance view from the read model, or null when none is stored. */
export async function viewFromProjection(projections: ProjectionModels, id: string): Promise<InstanceView | null> {
  const record = await projections.instances.findById(id).lean();
  if (!record) return null;
  const tasks = await projections.openTasks.find({ instanceId: id }).lean();
  return {
    status: record.status,
    definition: { key: record.definitionKey, version: record.definitionVersion },
    businessKey: record.businessKey,
    activeElements: record.activeElements,
    variables: record.variables,
    tasks: tasks.map((t) => ({
      key: t.taskKey, elementId: t.elementId, name: t.name, state: t.state === 'claimed' ? 'claimed' : 'open', assignee: t.assignee,
      candidateGroups: t.candidateGroups, candidateUsers: t.candidateUsers,
      dueDate: t.dueAt ? t.dueAt.toISOString() : null, followUpDate: t.followUpAt ? t.followUpAt.toISOString() : null,
      formKey: t.formKey, createdAt: t.createdAt.getTime(),
    })),
    incidents: record.incidents.map((i) => ({ id: i.id, elementId: i.elementId, type: i.type, message: i.message, createdAt: new Date(i.createdAt).getTime() })),
    timers: record.timers.map((t) => ({ key: t.key, elementId: t.elementId, dueAt: new Date(t.dueAt).getTime() })),
    subscriptions: record.subscriptionKeys.map((k) => {
      const [messageName = '', correlationKey] = k.split('\u001f');
      return { messageName, correlationKey: correlationKey === undefined || correlationKey === '' ? null : correlationKey };
    }),
  };
}
