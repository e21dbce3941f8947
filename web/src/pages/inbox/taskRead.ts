/** Reading one task and its complaint for the task page, and waiting for the read model to show an action. */
import { api, ApiError } from '../../core/api';
import { loadLabels } from '../../core/processLabels';
import { loadNames } from '../../core/readable';
import type { ProcessLabels } from '../../i18n/processText';
import type { ComplaintDetail, Task } from './model';

export interface TaskAndComplaint {
  task: Task | null;
  detail: ComplaintDetail | null;
  /** Names of the people the page shows: the assignee, timeline and comment authors. */
  names: ReadonlyMap<string, string>;
  /** Element labels of the processes shown (the task's, its complaint's tasks'), by process key. */
  labels: ReadonlyMap<string, ProcessLabels>;
}

/** 404 (no such task or complaint) and 403 (transferred out of my groups) read as "not here any more". */
const goneAsNull = (err: unknown): null => {
  if (err instanceof ApiError && (err.status === 404 || err.status === 403)) return null;
  throw err;
};

/** The task (GET /api/tasks/{id}) and the complaint it works on, when there is one. */
export async function readTask(taskId: string): Promise<TaskAndComplaint> {
  const task = await api.get<Task>(`/api/tasks/${encodeURIComponent(taskId)}`).catch(goneAsNull);
  const complaintId = task?.complaintId ?? null;
  // A business key that looks like a complaint id but names none: the task without its complaint.
  const detail = complaintId ? await api.get<ComplaintDetail>(`/api/complaints/${encodeURIComponent(complaintId)}`).catch(goneAsNull) : null;
  const people = [task?.assignee, ...(detail?.timeline.map((e) => e.who) ?? []), ...(detail?.tasks.flatMap((x) => x.comments.map((c) => c.author)) ?? [])];
  const processes = [task?.definitionKey, ...(detail?.tasks.map((x) => x.definitionKey) ?? []), ...(detail?.departmentWork?.flatMap((w) => w.tasks.map((x) => x.definitionKey)) ?? [])];
  const [names, labels] = await Promise.all([loadNames(people.filter((p) => p && !p.startsWith('customer:') && p !== 'process')), loadLabels(processes)]);
  return { task, detail, names, labels };
}

/**
 * Reads the task; with `until`, re-reads (briefly) until the read model shows what was just
 * done: a claim or unclaim is applied by the instance and projected a moment later.
 */
export async function readTaskUntil(taskId: string, until: ((task: Task | null) => boolean) | undefined, alive: () => boolean): Promise<TaskAndComplaint> {
  let read = await readTask(taskId);
  for (let tries = 0; until && !until(read.task) && tries < 20 && alive(); tries += 1) {
    await new Promise((resolve) => setTimeout(resolve, 250));
    read = await readTask(taskId);
  }
  return read;
}
