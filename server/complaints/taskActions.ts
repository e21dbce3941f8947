/**
 * Collaboration on tasks: comments (kept beside the task, echoed on the complaint timeline),
 * transfers and completions through the API. Their timeline entries change nothing else on the
 * complaint: they are appended beside it (store.append, decision 0060), one insert each.
 */
import { randomUUID } from 'node:crypto';
import { Conflict, NotFound } from '../domain/errors';
import type { InstancesService } from '../instances/service';
import { checkTaskScope, type TaskScope } from '../tasks/service';
import type { ProjectionModels, TaskRecord } from '../projections/models';
import type { ComplaintStore } from './store';

export function createTaskActions(deps: { projections: ProjectionModels; store: ComplaintStore; instances: InstancesService }) {
  const { projections, store } = deps;

  async function openTask(id: string) {
    const task = await projections.tasks.findById(id).lean();
    if (!task) throw new NotFound('not_found', `No task '${id}'`);
    return task;
  }

  /** The complaint a task works on: the complaint's own instance, or one of its commitments'. */
  async function complaintOf(instanceId: string) {
    return (await store.models.complaints.findOne({ instanceId }).select({ _id: 1 }).lean())
      ?? store.models.complaints.findOne({ 'commitments.instanceId': instanceId }).select({ _id: 1 }).lean();
  }

  /**
   * The id of the complaint a task works on: the one its projection names (`owner`, the
   * complaint the inbox shows it with) without a query, else by its instance (tasks projected
   * before owners, instances that carry no complaint id, such as commitments'). A named
   * complaint is not read: one that does not exist gets an entry nobody reads.
   */
  async function complaintIdOf(task: Pick<TaskRecord, 'instanceId' | 'owner'>): Promise<string | null> {
    if (task.owner?.complaintId) return task.owner.complaintId;
    return (await complaintOf(task.instanceId))?._id ?? null;
  }

  return {
    /** Commenting follows the read rule of the task inbox: only on tasks in the user's scope. */
    async comment(id: string, author: string, text: string, scope: TaskScope | undefined) {
      const task = await openTask(id);
      checkTaskScope(id, task, scope, 'read');
      const comment = { _id: `cmt-${randomUUID()}`, taskId: id, instanceId: task.instanceId, author, text, at: new Date() };
      await store.models.taskComments.create(comment);
      const complaintId = await complaintIdOf(task);
      if (complaintId) await store.append(complaintId, { id: comment._id, who: author, what: `commented on '${task.name ?? task.elementId}'` });
      return { id: comment._id, taskId: id, author, text, at: comment.at.toISOString() };
    },

    /**
     * A task completed through the API: who completed it (by name) and their note, on the
     * timeline of the complaint it works on, once per task. Tasks of no complaint: nothing.
     */
    async completed(done: { taskId: string; who: string; name: string; note: string | null; task?: TaskRecord | null }) {
      // The record the completing request read (name, instance and owner do not change by completing).
      const task = done.task ?? (await projections.tasks.findById(done.taskId).lean()) ?? (await projections.openTasks.findById(done.taskId).lean());
      if (!task) return;
      const complaintId = await complaintIdOf(task);
      if (!complaintId) return;
      const label = task.name ?? task.elementId;
      // Once per task (the entry id): a retried request finds it written.
      await store.append(complaintId, { id: `done-${done.taskId}`, who: done.who, name: done.name, what: done.note ? `completed '${label}': ${done.note}` : `completed '${label}'` });
    },

    /** Transferring follows the claim rule: in scope, and unassigned or the user's own. */
    async transfer(id: string, to: { toGroup?: string; toUser?: string }, reason: string, who: string, scope: TaskScope | undefined) {
      const task = await openTask(id);
      checkTaskScope(id, task, scope, 'act');
      if (task.state === 'completed' || task.state === 'canceled') throw new Conflict('task_closed', `Task '${id}' is already ${task.state}`);
      await deps.instances.transferTask(task.instanceId, task.taskKey, to);
      const complaintId = await complaintIdOf(task);
      if (complaintId) {
        const target = to.toGroup ? `group ${to.toGroup}` : `user ${to.toUser ?? ''}`;
        await store.append(complaintId, { id: `trf-${randomUUID()}`, who, what: `transferred '${task.name ?? task.elementId}' to ${target}: ${reason}` });
      }
    },
  };
}
