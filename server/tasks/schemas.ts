/** Shapes of the task inbox routes (/api/tasks): the list, the form, claim, complete, comments and transfers. */
import { z } from 'zod';
import { InstanceId, Variables } from '../instances/schemas';
import { createdRangeInOrder, WorkOrderSearch } from './workOrderSearch';

const text = (max: number) => z.string().trim().min(1).max(max);

export const Task = z.object({
  id: z.string(),
  instanceId: z.string(),
  elementId: z.string(),
  definitionKey: z.string().meta({ description: 'The process the task belongs to (its element names in other languages: GET /api/definitions/{key}/labels)' }),
  name: z.string().nullable(),
  state: z.enum(['open', 'claimed', 'completed', 'canceled']),
  assignee: z.string().nullable(),
  candidateGroups: z.array(z.string()),
  dueAt: z.string().nullable(),
  priority: z.number().int().min(0).max(100).optional().meta({ description: "0–100: the model's (`zeebe:priorityDefinition`, else 50) as raised by SLA escalations; present when the model gives one or has SLA policies" }),
  createdAt: z.string(),
  businessKey: z.string().nullable().optional().meta({ description: "The instance's business key (list and single read)" }),
  complaintId: z.string().nullable().optional().meta({ description: 'The complaint the task works on, when there is one (list and single read)' }),
  complaintNumber: z.string().optional().meta({ description: "The complaint's number (`C-000123`), when the task's process carries it (complaints filed since numbers; list and single read)", example: 'C-000123' }),
}).meta({ id: 'Task' });

export const TaskId = z.string().regex(/^pi-[0-9a-f-]{36}(\.call-[0-9]{1,12})*\.[0-9]+$/, 'a task id like pi-<uuid>.<key>');
/** Tasks of called processes too (`pi-<uuid>.call-<n>.<key>`): the comment and transfer routes share it since they moved here (decision 0048). */
export const TaskParams = z.object({ id: TaskId });
export const TaskListQuery = z.object({
  instanceId: InstanceId.optional(),
  assignee: z.string().min(1).max(200).optional(),
  candidateGroup: z.string().min(1).max(200).optional(),
  state: z.string().regex(/^(open|claimed|completed|canceled)(,(open|claimed|completed|canceled))*$/, 'a state, or states separated by commas (open,claimed)')
    .transform((v) => v.split(',') as Array<'open' | 'claimed' | 'completed' | 'canceled'>).optional(),
  sort: z.enum(['createdAt', '-createdAt']).default('createdAt').meta({ description: 'Oldest first (default) or newest first' }),
  ...WorkOrderSearch.shape,
  page: z.coerce.number().int().min(1).max(100_000).default(1),
  pageSize: z.coerce.number().int().min(1).max(200).default(50),
}).superRefine(createdRangeInOrder);
export const TaskForm = z.object({
  formKey: z.string().nullable(),
  schema: z.record(z.string(), z.unknown()).nullable().meta({ description: 'The form-js schema of an embedded form (camunda-forms:bpmn:<id>) or of a linked form (zeebe:formDefinition formId: its latest deployed version), else null' }),
  formVersion: z.number().int().optional().meta({ description: 'For a linked form: the version of it the schema is' }),
}).meta({ id: 'TaskForm' });
export const TaskPage = z.object({ items: z.array(Task), page: z.number(), pageSize: z.number(), total: z.number() });
export const ClaimBody = z.object({ assignee: z.string().trim().min(1).max(200) }).strict();
export const CompleteBody = z.object({
  variables: Variables.optional(),
  note: z.string().trim().min(1).max(2000).optional().meta({ description: "A completion note: written with the completer's name on the timeline of the complaint the task works on" }),
}).strict();

/** What completing a task answers (the workflow's update has taken the result). */
export const TaskCompleted = z.object({
  id: TaskId,
  state: z.literal('completed'),
  noted: z.boolean().meta({ description: "Whether the completion (with the note, if any) was written on the complaint's timeline" }),
}).meta({ id: 'TaskCompleted' });
export const CommentBody = z.object({ text: text(2000) }).strict();
export const TransferBody = z.object({
  toGroup: z.string().regex(/^[a-z][a-z0-9-]{0,63}$/, 'a group id (lower case, digits, -)').optional(),
  toUser: text(200).optional(),
  reason: text(500),
}).strict().refine((b) => (b.toGroup === undefined) !== (b.toUser === undefined), { message: 'give exactly one of toGroup and toUser', path: ['toGroup'] });
