/** The task inbox: lists from the projection, actions through the instance's updates. */
import { HttpError } from '../../http/errors';
import type { ProjectionModels, TaskRecord } from '../../projections/models';
import type { InstancesService } from './service';

export interface TaskFilter {
  instanceId?: string;
  assignee?: string;
  candidateGroup?: string;
  state?: TaskRecord['state'];
}

export function toTaskView(t: TaskRecord) {
  return {
    id: t._id,
    instanceId: t.instanceId,
    elementId: t.elementId,
    name: t.name,
    state: t.state,
    assignee: t.assignee,
    candidateGroups: t.candidateGroups,
    candidateUsers: t.candidateUsers,
    formKey: t.formKey,
    dueAt: t.dueAt ? t.dueAt.toISOString() : null,
    createdAt: t.createdAt.toISOString(),
    closedAt: t.closedAt ? t.closedAt.toISOString() : null,
  };
}

export function createTasksService(projections: ProjectionModels, instances: InstancesService) {
  const split = (id: string) => {
    const dot = id.lastIndexOf('.');
    return { instanceId: id.slice(0, dot), taskKey: id.slice(dot + 1) };
  };

  /** A task that the projection already knows as closed is a conflict, not a missing task. */
  const ensureNotClosed = async (id: string) => {
    const task = await projections.tasks.findById(id).lean();
    if (task && (task.state === 'completed' || task.state === 'canceled')) {
      throw new HttpError(409, 'task_closed', `Task '${id}' is already ${task.state}`);
    }
  };

  return {
    async list(filter: TaskFilter, page: number, pageSize: number) {
      const query = {
        ...(filter.instanceId ? { instanceId: filter.instanceId } : {}),
        ...(filter.assignee ? { assignee: filter.assignee } : {}),
        ...(filter.candidateGroup ? { candidateGroups: filter.candidateGroup } : {}),
        ...(filter.state ? { state: filter.state } : {}),
      };
      const [items, total] = await Promise.all([
        projections.tasks.find(query).sort({ createdAt: 1, _id: 1 }).skip((page - 1) * pageSize).limit(pageSize).lean(),
        projections.tasks.countDocuments(query),
      ]);
      return { items: items.map(toTaskView), total };
    },

    async claim(id: string, assignee: string) {
      await ensureNotClosed(id);
      const { instanceId, taskKey } = split(id);
      await instances.claimTask(instanceId, taskKey, assignee);
    },

    async unclaim(id: string) {
      await ensureNotClosed(id);
      const { instanceId, taskKey } = split(id);
      await instances.unclaimTask(instanceId, taskKey);
    },

    async complete(id: string, variables: Record<string, unknown>) {
      await ensureNotClosed(id);
      const { instanceId, taskKey } = split(id);
      await instances.completeTask(instanceId, taskKey, variables);
    },
  };
}

export type TasksService = ReturnType<typeof createTasksService>;
