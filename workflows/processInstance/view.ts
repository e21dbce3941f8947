/** The instance as the outside world sees it, built from the evaluator state (pure). */
import {
  activeElements,
  openIncidents,
  openMessageSubscriptions,
  openUserTasks,
  pendingTimers,
  variables,
  type State,
} from '../../processes/evaluator';
import type { InstanceStatus, InstanceView, ProcessInstanceInput } from './types';

export interface ViewContext {
  input: ProcessInstanceInput;
  state: State;
  claims: Record<string, string>;
  /** Candidate groups replaced by a transfer. */
  groups?: Record<string, string[]>;
  taskOpenedAt: Record<string, number>;
  canceled: boolean;
}

export function instanceStatus(state: State, canceled: boolean): InstanceStatus {
  if (canceled) return 'canceled';
  if (state.status === 'completed') return 'completed';
  if (state.status === 'terminated') return 'terminated';
  return 'active';
}

export function buildView({ input, state, claims, groups = {}, taskOpenedAt, canceled }: ViewContext): InstanceView {
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
  };
}
