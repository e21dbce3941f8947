/**
 * Every department's view of a complaint, and bringing another department in.
 *
 * - Who must act comes from the diagram (complaint-handling's "Decide who must act" script
 *   task, recorded on the complaint by `complaint.record` with `departments`), never from code.
 * - Every department sees every complaint from intake on: the staff detail lists each of
 *   DEPARTMENTS with its role (`must-act`, `brought-in` or `informed`) and its tasks.
 * - A member of staff brings another department in from a task (one of the complaint's tasks
 *   must be in their scope, as for any task action; supervisors always): message
 *   `complaint-department-requested` starts the diagram's non-interrupting event subprocess
 *   "Bring in a department", which opens a task for that department's candidate group.
 *   Decision 0044.
 */
import { randomUUID } from 'node:crypto';
import { DEPARTMENTS } from '../../processes/departments';
import type { InstancesService } from '../instances/service';
import { checkTaskScope, taskScopeOf, type toTaskView } from '../tasks/service';
import type { AuthUser } from '../auth/context';
import type { ProjectionModels } from '../projections/models';
import { Conflict, Forbidden, NotFound } from '../domain/errors';
import { deliverMessage } from './deliver';
import type { ComplaintRecord } from './model';
import type { ComplaintStore } from './store';

/** The message of the "Bring in a department" event subprocess (processes/complaint-handling.bpmn). */
export const DEPARTMENT_REQUESTED = 'complaint-department-requested';

type TaskView = ReturnType<typeof toTaskView>;
export type DepartmentRole = 'must-act' | 'brought-in' | 'informed';

/** One row per department: its role on this complaint and the tasks of its candidate group. */
export function departmentWork(c: Pick<ComplaintRecord, 'departments' | 'broughtIn'>, tasks: readonly TaskView[]) {
  const broughtIn = c.broughtIn ?? [];
  return DEPARTMENTS.map((department) => {
    const entry = broughtIn.find((b) => b.department === department);
    const role: DepartmentRole = entry ? 'brought-in' : c.departments.includes(department) ? 'must-act' : 'informed';
    return {
      department,
      role,
      broughtIn: entry ? { reason: entry.reason, by: entry.by, at: new Date(entry.at).toISOString() } : null,
      tasks: tasks.filter((t) => t.candidateGroups.includes(department))
        .map((t) => ({ id: t.id, elementId: t.elementId, name: t.name, state: t.state, assignee: t.assignee })),
    };
  });
}

export function createDepartmentRequests(deps: { store: ComplaintStore; instances: InstancesService; projections: ProjectionModels }) {
  /** "From a task": the caller has (or had) a task of this complaint in scope; supervisors, department heads and admins always. */
  async function worksOn(c: ComplaintRecord, user: AuthUser): Promise<boolean> {
    const scope = taskScopeOf(user);
    if (!scope) return true;
    if (!c.instanceId) return false;
    const tasks = await deps.projections.tasks.find({ instanceId: c.instanceId }).select({ candidateGroups: 1, candidateUsers: 1, assignee: 1 }).lean();
    return tasks.some((t) => {
      try {
        checkTaskScope(String(t._id), t, scope, 'read');
        return true;
      } catch {
        return false;
      }
    });
  }

  return {
    /**
     * Adds the department to the complaint (under the complaint's lock: of two requests for the
     * same department one wins, the other is told it is involved), then delivers the message;
     * a process that cannot take it (an earlier version without the event subprocess) takes the
     * department off again and answers 409.
     */
    async bringIn(id: string, department: string, reason: string, user: AuthUser) {
      const who = `staff:${user.id}`;
      const c = await deps.store.get(id);
      if (!c) throw new NotFound('complaint_not_found', `No complaint '${id}'`);
      if (!(await worksOn(c, user))) {
        throw new Forbidden('not_working_on_complaint', 'Bring a department in from a task of this complaint: none of its tasks is for you or your groups');
      }
      if (c.status === 'closed') throw new Conflict('complaint_closed', `Complaint '${id}' is closed`);
      const at = new Date();
      const entryId = `dept-${randomUUID()}`;
      let involved = false;
      await deps.store.mutate(id, (doc) => {
        involved = doc.departments.includes(department);
        if (involved) return null;
        return {
          set: { departments: [...doc.departments, department], broughtIn: [...(doc.broughtIn ?? []), { department, reason, by: who, at }] },
        };
      });
      if (involved) {
        throw new Conflict('department_already_involved', `${department} is already involved in complaint '${id}'`,
          { fields: [{ path: 'department', message: 'already involved' }] });
      }
      try {
        await deliverMessage(deps.instances, { name: DEPARTMENT_REQUESTED, complaintId: id, variables: { department, reason }, messageId: entryId },
          () => new Conflict('department_request_not_possible', `The process of complaint '${id}' cannot bring in a department (it has ended, or its version has no "Bring in a department")`));
      } catch (err) {
        await deps.store.mutate(id, (doc) => ({
          set: {
            departments: doc.departments.filter((d) => d !== department),
            broughtIn: (doc.broughtIn ?? []).filter((b) => b.department !== department),
          },
        }));
        throw err;
      }
      // The departments were written above: the entry changes nothing else, appended beside the complaint (decision 0060).
      await deps.store.append(id, { id: entryId, who, what: `${department} brought in: ${reason}` });
      return { id, department, role: 'brought-in' as const, reason, by: who, at: at.toISOString() };
    },
  };
}
