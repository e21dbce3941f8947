/** The task inbox: lists from the projection, actions through the instance's updates. */
import { trusted } from 'mongoose';
import { assigneeIdentities, hasRole, type AuthUser } from '../auth/context';
import { readByIds } from '../projections/bulk';
import { Conflict, Forbidden, NotFound } from '../domain/errors';
import { taskOwner, type ProjectionModels, type TaskOwner, type TaskRecord } from '../projections/models';
import type { DefinitionsService } from '../definitions/service';
import type { InstancesService } from '../instances/service';
import { createTaskForms } from './forms';
import { checkDeclaredVariables } from './variables';
import { taskSearchFilter } from './workOrderSearch';

export interface TaskFilter {
  instanceId?: string;
  assignee?: string;
  candidateGroup?: string;
  state?: Array<TaskRecord['state']>;
  sort?: 'createdAt' | '-createdAt';
  /** Text, department, creation range (workOrderSearch.ts). */
  q?: string;
  department?: string;
  createdFrom?: string;
  createdTo?: string;
}

/**
 * Whose tasks a user may see and act on. Supervisors, department heads and admins: all.
 * Agents and engineers: tasks for their candidate groups, or offered or assigned to them
 * (by user id or staff id). `undefined` means unrestricted.
 */
export interface TaskScope {
  groups: string[];
  identities: string[];
}

export function taskScopeOf(user: AuthUser): TaskScope | undefined {
  if (hasRole(user, 'supervisor', 'department_head', 'admin')) return undefined;
  return { groups: user.groups, identities: assigneeIdentities(user) };
}

const inScope = (t: Pick<TaskRecord, 'candidateGroups' | 'candidateUsers' | 'assignee'>, scope: TaskScope) =>
  (t.assignee !== null && scope.identities.includes(t.assignee)) ||
  t.candidateGroups.some((g) => scope.groups.includes(g)) ||
  t.candidateUsers.some((u) => scope.identities.includes(u));

const forbidden = (id: string) => new Forbidden('forbidden', `Task '${id}' is not for your groups`);

/**
 * The one rule for every action on a task (claim, unclaim, complete, transfer, comment): a
 * restricted user must have the task in scope; to change it (`act`), it must also be theirs or
 * unassigned. Reading and commenting (`read`) allow a colleague's assignment. No scope = all.
 */
export function checkTaskScope(
  id: string,
  task: Pick<TaskRecord, 'candidateGroups' | 'candidateUsers' | 'assignee'>,
  scope: TaskScope | undefined,
  mode: 'read' | 'act',
): void {
  if (!scope) return;
  if (!inScope(task, scope)) throw forbidden(id);
  if (mode === 'act' && task.assignee !== null && !scope.identities.includes(task.assignee)) {
    throw new Forbidden('forbidden', `Task '${id}' is assigned to someone else`);
  }
}

export function toTaskView(t: TaskRecord) {
  return {
    id: t._id,
    instanceId: t.instanceId,
    elementId: t.elementId,
    definitionKey: t.definitionKey,
    name: t.name,
    state: t.state,
    assignee: t.assignee,
    candidateGroups: t.candidateGroups,
    candidateUsers: t.candidateUsers,
    formKey: t.formKey,
    dueAt: t.dueAt ? t.dueAt.toISOString() : null,
    createdAt: t.createdAt.toISOString(),
    closedAt: t.closedAt ? t.closedAt.toISOString() : null,
    // The priority when the model gives one or has SLA policies (escalations raise it); the clock only with SLA policies.
    ...(t.priority !== undefined ? { priority: t.priority } : {}),
    ...(t.sla !== undefined ? { sla: t.sla && { ...t.sla, dueAt: t.sla.dueAt ? new Date(t.sla.dueAt).toISOString() : null } } : {}),
  };
}

/**
 * More to show on listed tasks, by instance id, from the owner of each task's instance (the
 * complaints domain adds `feedback` to low-score alert work orders).
 */
export type TaskAnnotations = (owners: ReadonlyMap<string, TaskOwner>) => Promise<ReadonlyMap<string, Record<string, unknown>>>;

/**
 * Told of each completion through the API, with who completed it (from the session) and their
 * note: the complaint's timeline. `task`: the record the request read before completing (its
 * name, instance and owner do not change by completing it); absent, the listener reads it.
 */
export type TaskCompleted = (done: { taskId: string; who: string; name: string; note: string | null; task?: TaskRecord | null }) => Promise<void>;

/**
 * A task as one request read it: authorizing, the closed check, completing and the completion's
 * timeline entry share this one read (`record` null: neither `tasks` nor the inbox has it yet).
 */
export interface TaskAtHand {
  id: string;
  record: TaskRecord | null;
}

export function createTasksService(projections: ProjectionModels, instances: InstancesService, definitions: Pick<DefinitionsService, 'resolveDefinition' | 'latestForm'>, annotate?: TaskAnnotations, onCompleted?: TaskCompleted) {
  const forms = createTaskForms({ projections, definitions });
  const split = (id: string) => {
    const dot = id.lastIndexOf('.');
    return { instanceId: id.slice(0, dot), taskKey: id.slice(dot + 1) };
  };

  /**
   * One task by id. The projection writes a new task and its inbox copy in separate commands,
   * so a task just listed from the inbox may not be readable from `tasks` for a moment: the
   * inbox copy (the same fields) answers then.
   */
  const taskById = async (id: string): Promise<TaskRecord | null> =>
    (await projections.tasks.findById(id).lean<TaskRecord>()) ?? (await projections.openTasks.findById(id).lean<TaskRecord>());

  /**
   * A task that the projection already knows as closed is a conflict, not a missing task. (The
   * inbox copy holds only open and claimed tasks, so a record read from it is never closed.)
   */
  const ensureNotClosed = ({ id, record }: TaskAtHand) => {
    if (record && (record.state === 'completed' || record.state === 'canceled')) {
      throw new Conflict('task_closed', `Task '${id}' is already ${record.state}`);
    }
  };

  /**
   * The business key and the complaint of each task's instance: written on the task by the
   * projection; tasks from before that are looked up on their instance (one `_id` read each).
   */
  const complaintsOf = async (tasks: Array<Pick<TaskRecord, 'instanceId' | 'owner'>>) => {
    const owners = new Map<string, TaskOwner>(tasks.flatMap((t) => (t.owner ? [[t.instanceId, t.owner] as const] : [])));
    const missing = [...new Set(tasks.filter((t) => !owners.has(t.instanceId)).map((t) => t.instanceId))];
    const found = await readByIds(missing, (id) => projections.instances.findById(id).select({ businessKey: 1, 'variables.complaintId': 1, 'variables.complaintNumber': 1 }).lean());
    for (const i of found.values()) owners.set(i._id, taskOwner(i.businessKey, i.variables?.complaintId, i.variables?.complaintNumber));
    return owners;
  };

  /** Reading (the form): the task must be in the user's scope; assigned to a colleague is fine. */
  const authorizeRead = async (id: string, scope: TaskScope | undefined) => {
    const task = await taskById(id);
    if (!task) throw new NotFound('not_found', `No task '${id}'`);
    checkTaskScope(id, task, scope, 'read');
    return task;
  };

  /** Tasks as the API shows them: with their instance's business key and complaint, and the owner's annotations. */
  const viewsOf = async (tasks: TaskRecord[]) => {
    const owners = await complaintsOf(tasks);
    const extras = annotate ? await annotate(owners) : undefined;
    return tasks.map((t) => ({ ...toTaskView(t), ...(owners.get(t.instanceId) ?? { businessKey: null, complaintId: null }), ...extras?.get(t.instanceId) }));
  };

  return {
    /** One task as the list shows it; a colleague's assignment is fine to read (scope as for the form). */
    async get(id: string, scope: TaskScope | undefined) {
      const [view] = await viewsOf([await authorizeRead(id, scope)]);
      return view!;
    },

    async list(filter: TaskFilter, page: number, pageSize: number, scope?: TaskScope) {
      const search = taskSearchFilter(filter);
      const query = {
        ...(filter.instanceId ? { instanceId: filter.instanceId } : {}),
        ...(filter.assignee ? { assignee: filter.assignee } : {}),
        ...(filter.candidateGroup ? { candidateGroups: filter.candidateGroup } : {}),
        // One state is an equality (FerretDB answers it from the index), several an `$in`.
        ...(filter.state?.length === 1 ? { state: filter.state[0] } : filter.state ? { state: trusted({ $in: filter.state }) } : {}),
        ...search.equality,
        // Our own operators over validated strings; the connection sanitizes everything else.
        ...(scope ? {
          $or: [
            { candidateGroups: trusted({ $in: scope.groups }) },
            { candidateUsers: trusted({ $in: scope.identities }) },
            { assignee: trusted({ $in: scope.identities }) },
          ],
        } : {}),
        ...(search.rest.length ? { $and: search.rest } : {}),
      };
      // Open and claimed tasks are read from the inbox collection, which holds only those (see
      // ProjectionModels.openTasks): on FerretDB every such filter reads the whole collection.
      const inboxOnly = filter.state !== undefined && filter.state.length > 0 && filter.state.every((st) => st === 'open' || st === 'claimed');
      const source = inboxOnly ? projections.openTasks : projections.tasks;
      const direction = filter.sort === '-createdAt' ? -1 : 1;
      const items = await source.find(query).sort({ createdAt: direction, _id: direction }).skip((page - 1) * pageSize).limit(pageSize).lean();
      // A page that is not full tells the total without a second pass over the collection.
      const total = items.length < pageSize && (items.length > 0 || page === 1)
        ? (page - 1) * pageSize + items.length
        : await source.countDocuments(query);
      return { items: await viewsOf(items), total };
    },

    /**
     * Reads the task once for the whole request and refuses (403) a restricted user a task
     * outside their scope. To act, it must be theirs or unassigned; claiming is only for
     * themselves. A task the read model does not know yet is 404 for them: without it there is
     * nothing to check the scope against. The task as read is passed to the action.
     */
    async authorize(id: string, scope: TaskScope | undefined, action: { claimFor?: string } = {}): Promise<TaskAtHand> {
      const record = await taskById(id);
      if (!scope) return { id, record };
      if (!record) throw new NotFound('not_found', `No open task '${id}'`);
      checkTaskScope(id, record, scope, 'act');
      if (action.claimFor !== undefined && !scope.identities.includes(action.claimFor)) {
        throw new Forbidden('forbidden', 'You may claim tasks only for yourself (your user id or staff id)');
      }
      return { id, record };
    },

    /** The task's formKey and its form-js schema: embedded in its diagram, or a linked form deployed beside it. */
    async form(id: string, scope: TaskScope | undefined) {
      const task = await authorizeRead(id, scope);
      return forms.of(task);
    },

    async claim(task: TaskAtHand, assignee: string) {
      ensureNotClosed(task);
      const { instanceId, taskKey } = split(task.id);
      await instances.claimTask(instanceId, taskKey, assignee);
    },

    async unclaim(task: TaskAtHand) {
      ensureNotClosed(task);
      const { instanceId, taskKey } = split(task.id);
      await instances.unclaimTask(instanceId, taskKey);
    },

    /**
     * Completes with only the variables the task declares (its form's keys, its output
     * mappings): anything else is refused 400 with the field paths before the engine sees it.
     */
    async complete(task: TaskAtHand, variables: Record<string, unknown>) {
      const { id, record } = task;
      ensureNotClosed(task);
      if (Object.keys(variables).length > 0) {
        if (!record) throw new NotFound('not_found', `No open task '${id}'`);
        let declared = await forms.declaredVariables(record);
        // A task open across a migration carries the version it was opened in (the projection's
        // updates do not rewrite it): what that version refuses is decided by the instance's.
        if (declared && Object.keys(variables).some((name) => !declared?.has(name))) declared = await forms.declaredVariables(record, 'instance');
        if (!declared) throw new NotFound('not_found', `No open task '${id}'`);
        checkDeclaredVariables(id, variables, declared);
      }
      const { instanceId, taskKey } = split(id);
      await instances.completeTask(instanceId, taskKey, variables);
    },

    /** After a completion: whoever keeps a record of it (the complaint's timeline) is told. True when it was written. */
    async completed(task: TaskAtHand, by: { who: string; name: string }, note: string | null): Promise<boolean> {
      if (!onCompleted) return false;
      await onCompleted({ taskId: task.id, ...by, note, task: task.record });
      return true;
    },
  };
}

export type TasksService = ReturnType<typeof createTasksService>;
