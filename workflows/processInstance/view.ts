/** The instance as the outside world sees it, built from the evaluator state (pure). */
import {
  activeElements,
  openIncidents,
  openMessageSubscriptions,
  openSignalSubscriptions,
  openUserTasks,
  pendingTimers,
  slaClockViews,
  variables,
  type SlaClockView,
  type State,
} from '../../processes/evaluator';
import type { ProcessModel } from '../../processes/model';
import type { InstanceStatus, InstanceView, JobView, ProcessInstanceInput, TaskSla } from './types';

export interface ViewContext {
  input: ProcessInstanceInput;
  state: State;
  claims: Record<string, string>;
  /** Candidate groups replaced by a transfer. */
  groups?: Record<string, string[]>;
  taskOpenedAt: Record<string, number>;
  canceled: boolean;
  /** The model as run (SLA policies removed when the instance predates the sla-clocks patch). */
  model?: ProcessModel;
  /** Task priorities raised by SLA escalations. */
  priorities?: Record<string, number>;
  /** Jobs of external workers; only when the model has any. */
  jobs?: JobView[] | undefined;
}

export const DEFAULT_TASK_PRIORITY = 50;

/** The clock a task is measured by: its own per-element clock, else a clock its completion stops. */
function taskClock(model: ProcessModel, clocks: SlaClockView[], task: { key: string; elementId: string }): TaskSla | null {
  const own = clocks.find((c) => c.taskKey === task.key && c.state !== 'met');
  const stopping = model.sla?.policies.filter((p) => p.stopAt.includes(task.elementId)).map((p) => p.id) ?? [];
  const clock = own ?? clocks.find((c) => c.metric !== 'element' && stopping.includes(c.policyId) && c.state !== 'met');
  return clock ? { clockKey: clock.clockKey, state: clock.state, paused: clock.paused, dueAt: clock.dueAt } : null;
}

export function instanceStatus(state: State, canceled: boolean): InstanceStatus {
  if (canceled) return 'canceled';
  if (state.status === 'completed') return 'completed';
  if (state.status === 'terminated') return 'terminated';
  return 'active';
}

export function buildView({ input, state, claims, groups = {}, taskOpenedAt, canceled, model = input.model, priorities = {}, jobs }: ViewContext): InstanceView {
  const clocks = model.sla ? slaClockViews(model, state) : null;
  const signals = [...new Set(openSignalSubscriptions(state).map((s) => s.signalName))];
  return {
    status: instanceStatus(state, canceled),
    definition: input.definition,
    businessKey: input.businessKey ?? null,
    activeElements: activeElements(state).map((e) => e.elementId),
    variables: variables(state),
    tasks: openUserTasks(state).map((task) => {
      // A claim overrides the model's assignee; '' records an explicit unclaim.
      const assignee = Object.prototype.hasOwnProperty.call(claims, task.key) ? claims[task.key] || null : task.assignee;
      return {
        key: task.key,
        elementId: task.elementId,
        name: task.name,
        state: assignee ? 'claimed' : 'open',
        assignee,
        candidateGroups: Object.prototype.hasOwnProperty.call(groups, task.key) ? groups[task.key]! : task.candidateGroups,
        candidateUsers: task.candidateUsers,
        dueDate: task.dueDate,
        followUpDate: task.followUpDate,
        formKey: task.formKey,
        createdAt: taskOpenedAt[task.key] ?? state.time,
        // The model's priority (zeebe:priorityDefinition) as raised by SLA escalations; 50 where none is given.
        ...(clocks || task.priority !== undefined ? { priority: priorities[task.key] ?? task.priority ?? DEFAULT_TASK_PRIORITY } : {}),
        ...(clocks ? { sla: taskClock(model, clocks, task) } : {}),
      };
    }),
    incidents: openIncidents(state).map((i) => ({
      id: i.id,
      elementId: i.elementId,
      type: i.type,
      message: i.message,
      createdAt: i.createdAt,
    })),
    timers: pendingTimers(state),
    subscriptions: openMessageSubscriptions(state).map((s) => ({ messageName: s.messageName, correlationKey: s.correlationKey })),
    ...(signals.length ? { signals } : {}),
    ...(clocks ? { slaClocks: clocks } : {}),
    ...(jobs ? { jobs } : {}),
  };
}
