/** Helpers for the complaint lifecycle tests: intake bodies, finding and completing a process task over HTTP. */
import type { Api } from '../support/auth';
import { eventually, type Stack } from '../support/stack';

export interface TaskItem { id: string; elementId: string; state: string; assignee: string | null; candidateGroups: string[] }
export interface ComplaintDetail {
  id: string; status: string; severity: string | null; category: string | null; instanceId: string | null; reopenCount: number;
  engineer: string | null; timeline: Array<{ who: string; what: string }>; tasks: TaskItem[];
  commitments: Array<{ id: string; status: string }>; evaluations: Array<{ stars: number }>;
}

export const intake = (customerId: string, overrides: Record<string, unknown> = {}) => ({
  channel: 'app',
  customer: { id: customerId, tier: 'standard' },
  product: 'Kettle K2',
  title: 'Kettle stopped heating',
  description: 'The kettle is broken after two days',
  ...overrides,
});

/** Waits until the complaint's process has an open task at `elementId`, and returns it. */
export async function openTask(stack: Stack, complaintId: string, elementId: string): Promise<TaskItem> {
  const complaint = await eventually<ComplaintDetail>(stack, `/api/complaints/${complaintId}`,
    (c) => c.tasks.some((t) => t.elementId === elementId && (t.state === 'open' || t.state === 'claimed')), `task ${elementId} open`);
  return complaint.tasks.find((t) => t.elementId === elementId && (t.state === 'open' || t.state === 'claimed'))!;
}

/** Completes the open task at `elementId` as `who`; fails the test on any other answer than 200. */
export async function complete(stack: Stack, who: Api, complaintId: string, elementId: string, variables: Record<string, unknown> = {}) {
  const task = await openTask(stack, complaintId, elementId);
  const res = await who('POST', `/api/tasks/${task.id}/complete`, { variables });
  if (res.status !== 200) throw new Error(`completing ${elementId} answered ${res.status}: ${JSON.stringify(res.body)}`);
  await eventually<ComplaintDetail>(stack, `/api/complaints/${complaintId}`,
    (c) => c.tasks.some((t) => t.id === task.id && t.state === 'completed'), `task ${elementId} completed`);
  return task;
}

export const statusIs = (stack: Stack, id: string, status: string) =>
  eventually<ComplaintDetail>(stack, `/api/complaints/${id}`, (c) => c.status === status, `complaint ${status}`);

/** Each department's task in Resolve, and the variables that complete it (finance: 0, so auto-approved). */
export const DEPARTMENT_TASKS: Readonly<Record<string, readonly [elementId: string, variables: Record<string, unknown>]>> = {
  'after-sales': ['AfterSalesContact', { contactOutcome: 'called back' }],
  technical: ['TechnicalAnalysis', { technicalFinding: 'worn part' }],
  finance: ['FinanceCompensation', { compensationAmount: 0 }],
  logistics: ['LogisticsReplacement', {}],
};

/**
 * The departments that must act, once "Record who must act" has written them on the complaint
 * (its timeline entry; the classifier's keyword departments come a step earlier).
 */
export async function mustAct(stack: Stack, complaintId: string): Promise<string[]> {
  const c = await eventually<ComplaintDetail & { departments: string[] }>(stack, `/api/complaints/${complaintId}`,
    (x) => x.timeline.some((e) => e.what.startsWith('departments that must act: ')), 'departments that must act recorded');
  return c.departments;
}

/**
 * Completes the tasks of the departments that must act, as `who` (decision 0052: they open at
 * intake, beside the dispatch, and the resolution summary waits for them). Returns the departments.
 */
export async function completeDepartmentWork(stack: Stack, who: Api, complaintId: string): Promise<string[]> {
  const departments = await mustAct(stack, complaintId);
  for (const department of departments) {
    const [elementId, variables] = DEPARTMENT_TASKS[department]!;
    await complete(stack, who, complaintId, elementId, variables);
  }
  return departments;
}
