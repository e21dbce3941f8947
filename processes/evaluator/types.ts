/**
 * The evaluator's contract with the Temporal adapter: State (plain JSON, carried across
 * continue-as-new), Stimulus (what happened outside) and Command (what the adapter must do).
 *
 * Keys are decimal strings from `State.nextKey`, so they are deterministic under replay and
 * unique within an instance. Every durable thing the adapter starts (job, timer, message
 * subscription, user task, child process) has its own key; the matching cancel/close
 * command carries the same key. A retried job or a re-armed cycle timer gets a NEW key.
 */

import type { ListenerEventType } from '../model/types';
import type { SlaState } from './sla/state';

export type { SlaClock, SlaClockState, SlaState } from './sla/state';

/** Variables: JSON values by name. Keys may be any string, `__proto__` included. */
export type Variables = Record<string, unknown>;

/**
 * The result of the job of an ad-hoc subprocess in job-worker mode (Camunda 8.8's
 * `JobResultAdHocSubProcess`): elements to enter, each with local variables, or the
 * completion condition fulfilled (then optionally cancelling what is still active).
 */
export interface AdHocJobResult {
  activateElements?: Array<{ elementId: string; variables?: Variables }>;
  isCompletionConditionFulfilled?: boolean;
  isCancelRemainingInstances?: boolean;
}

/** A live element instance: a token at an element, or a scope that holds tokens. */
export interface ElementInstance {
  key: string;
  /** The BPMN element id, or the process id for the root instance. */
  elementId: string;
  /** `bpmn:ServiceTask`, ..., `bpmn:Process` or `multiInstanceBody`. */
  elementType: string;
  /** The flow scope instance (process, subprocess, multi-instance body); null for the root. */
  parentKey: string | null;
  /** `body`/`inner`: the two levels of a multi-instance activity (as in Zeebe). */
  role: 'process' | 'element' | 'body' | 'inner';
  /** Local variables: input mappings, `inputElement`/`loopCounter`, MI bookkeeping. */
  variables: Variables;
  /** Set while an incident blocks this instance. */
  incidentId: string | null;
  /** Multi-instance body bookkeeping. */
  loop?: LoopState;
  /** Multi-instance inner instance: 0-based position in the input collection. */
  loopIndex?: number;
  /** A scope interrupted by an interrupting event subprocess accepts no other events. */
  interrupted?: boolean;
  /** Process instance only: the start event it was started at. */
  startEventId?: string;
  /** Ad-hoc subprocess: its completion condition was true (it completes once nothing is left). */
  adHocConditionMet?: true;
  /** Set while the instance waits for its execution listeners (listeners.ts). */
  listening?: Listening;
}

/**
 * Where an instance is in its execution listeners: which event type, the listener whose job
 * is open (or failed), and what the lifecycle goes on with once the last one completed: the
 * trigger of the activation (start) or the variables of the completion (end).
 */
export interface Listening {
  eventType: ListenerEventType;
  next: number;
  trigger?: Variables | null;
  variables?: Variables;
}

export interface LoopState {
  items: unknown[];
  /** Index of the next item to start (sequential) or items.length once all started. */
  next: number;
  completed: number;
  terminated: number;
}

/** Something the instance waits for outside the evaluator, keyed like the command that opened it. */
export type Wait =
  /** `listener`: the job of an execution listener of the owner (listeners.ts), not its own work. */
  | { type: 'job'; key: string; ownerKey: string; elementId: string; taskType: string; listener?: ListenerEventType }
  | {
      type: 'timer';
      key: string;
      ownerKey: string;
      /** The event that fires: catch, boundary, event-subprocess start or gateway target. */
      elementId: string;
      dueAt: number;
      /** Set for `R<n>/...` cycles: the evaluated cycle, its anchor and this occurrence (0-based). */
      cycle: { value: string; anchor: number; occurrence: number } | null;
    }
  | {
      type: 'message';
      key: string;
      ownerKey: string;
      elementId: string;
      messageName: string;
      /** null: any correlation key matches (message start of an event subprocess without one). */
      correlationKey: string | null;
    }
  /** A signal subscription: any broadcast of this name while it is open fires it (not buffered). */
  | { type: 'signal'; key: string; ownerKey: string; elementId: string; signalName: string }
  | { type: 'userTask'; key: string; ownerKey: string; elementId: string; task: UserTaskInfo }
  | { type: 'child'; key: string; ownerKey: string; elementId: string; processId: string };

/** A token waiting at a parallel or inclusive join: which incoming flows have arrived. */
export interface JoinState {
  scopeKey: string;
  elementId: string;
  /** Flow ids, one entry per arrived token (a flow may carry several). */
  arrived: string[];
}

export type IncidentType =
  | 'CONDITION_ERROR'
  | 'EXTRACT_VALUE_ERROR'
  | 'IO_MAPPING_ERROR'
  | 'JOB_NO_RETRIES'
  /** An execution listener's job failed with no retries left (Camunda 8.6+: not JOB_NO_RETRIES). */
  | 'EXECUTION_LISTENER_NO_RETRIES'
  | 'UNHANDLED_ERROR_EVENT'
  | 'CALLED_ELEMENT_ERROR'
  | 'CHILD_FAILED'
  /** An execution limit (EvaluatorLimits) stopped the element; resolving runs it again with a fresh budget. */
  | 'LIMIT_EXCEEDED';

/** Where to pick up again when an incident is resolved. */
export type ResumeStage =
  /** re-run input mappings, boundary events and the element's behaviour */
  | 'activate'
  /** re-run the behaviour only (re-issue the job, re-evaluate the gateway, restart the child) */
  | 'behaviour'
  /** re-run completion (output mappings, multi-instance output and condition) */
  | 'complete'
  /** open the job of the execution listener that failed again (listeners.ts) */
  | 'listener';

export interface Incident {
  id: string;
  type: IncidentType;
  message: string;
  elementId: string;
  elementInstanceKey: string;
  createdAt: number;
  resume: ResumeStage;
  /** Variables of the stimulus that were being applied (job result, message payload). */
  variables: Variables | null;
}

export interface State {
  schemaVersion: 1;
  processId: string;
  status: 'ready' | 'active' | 'completed' | 'terminated';
  /** Next key to hand out; keys are never reused within an instance. */
  nextKey: number;
  /** Time (epoch ms) of the last stimulus. */
  time: number;
  rootKey: string | null;
  /** Live element instances by key (integer-like keys iterate in creation order). */
  instances: Record<string, ElementInstance>;
  /** Open jobs, timers, message subscriptions, user tasks and child processes by key. */
  waits: Record<string, Wait>;
  joins: JoinState[];
  /** Open incidents by id. */
  incidents: Record<string, Incident>;
  /** The process variables once the instance has completed (the instances are gone then). */
  finalVariables: Variables | null;
  /** SLA clocks; present only when the model has SLA policies (sla/clocks.ts). */
  sla?: SlaState;
  /**
   * How FEEL failures are handled. Absent: as Camunda 8.3+ does, a suppressed failure (missing
   * variable or context entry, unknown function, mismatched types) gives null and evaluation
   * goes on, with an `expressionWarning`. 'strict': every warning is an incident (instances
   * whose history was recorded before the adapter's `feel-null-friendly` patch).
   */
  feelMode?: 'strict';
  /**
   * Completed activities that can still be compensated (compensation.ts); absent until the
   * first one completes, so states of models without compensation do not change.
   */
  compensation?: CompensationState;
}

/**
 * A completed instance that a compensation throw in `scopeKey` can compensate: an activity
 * with a handler, or a container (completed subprocess, multi-instance body) of such.
 */
export interface CompensationSubscription {
  /** The completed instance's key (no new key is taken). */
  key: string;
  elementId: string;
  /** The flow scope instance it completed in; a multi-instance body for inner instances. */
  scopeKey: string;
  /** The handler to invoke; null for a container without a handler of its own. */
  handlerId: string | null;
  /** The instance's local variables when it completed (the handler gets them as locals). */
  variables: Variables;
}

export interface CompensationState {
  /** In order of completion. */
  subscriptions: CompensationSubscription[];
  /** Handlers running for a compensation throw event, which completes after the last of them. */
  invoked?: Array<{ handlerKey: string; throwKey: string }>;
}

interface StimulusBase {
  /** Epoch ms when this happened (workflow time), used for timers and history. */
  time: number;
}

/** Everything the adapter feeds into `step`. */
export type Stimulus = StimulusBase &
  (
    | { type: 'start'; variables?: Variables; startEventId?: string }
    | { type: 'jobCompleted'; key: string; variables?: Variables; adHoc?: AdHocJobResult }
    /** `retriesLeft > 0` re-issues the job (new key); 0 raises JOB_NO_RETRIES. */
    | { type: 'jobFailed'; key: string; message: string; retriesLeft: number }
    /** A BPMN error thrown by the activity behind the job. */
    | { type: 'jobThrewError'; key: string; errorCode: string; message?: string; variables?: Variables }
    | { type: 'timerFired'; key: string }
    | { type: 'messageReceived'; name: string; correlationKey?: string; variables?: Variables; messageId?: string }
    /** A broadcast signal: fires every subscription of that name open now (signals.ts). */
    | { type: 'signalReceived'; name: string; variables?: Variables }
    | { type: 'userTaskCompleted'; key: string; variables?: Variables }
    | { type: 'childCompleted'; key: string; variables?: Variables }
    /** The child instance failed; with `errorCode` it ended with an uncaught BPMN error. */
    | { type: 'childFailed'; key: string; message: string; errorCode?: string; variables?: Variables }
    | { type: 'resolveIncident'; incidentId: string }
    /** Without scopeKey: merged into the process scope; with it: local to that instance. */
    | { type: 'setVariables'; variables: Variables; scopeKey?: string }
    | { type: 'cancel' }
    /** Operator's token modification (modify.ts): activations first, then terminations, as in Zeebe. */
    | { type: 'modify'; instructions: ModificationInstruction[] }
  );

/**
 * One instruction of a process instance modification (Camunda 8: activate instruction with
 * variable instructions, terminate instruction by element instance key or by element id).
 */
export type ModificationInstruction =
  | {
      type: 'activate';
      elementId: string;
      /** The flow scope instance to activate in; needed when the flow scope has several live instances. */
      ancestorElementInstanceKey?: string;
      /** Created in the process (global) scope before the element is activated. */
      variables?: Variables;
      /**
       * Camunda 8's variable instructions: each set created in the scope of `scopeId` (the
       * activated element itself, local to its new instance, or one of its enclosing
       * subprocesses; absent or the process id: global), after `variables`, in order.
       */
      variableInstructions?: Array<{ variables: Variables; scopeId?: string }>;
    }
  | { type: 'terminate'; elementInstanceKey: string }
  /** Every live instance of the element. */
  | { type: 'terminate'; elementId: string };

export type StimulusType = Stimulus['type'];

/** Everything a user task inbox needs; `null` where the model leaves a field unset. */
export interface UserTaskInfo {
  name: string | null;
  assignee: string | null;
  candidateGroups: string[];
  candidateUsers: string[];
  /** ISO 8601 date-times. */
  dueDate: string | null;
  followUpDate: string | null;
  formKey: string | null;
  /** 0–100 when the model gives one (`zeebe:priorityDefinition`). */
  priority?: number;
}

interface Keyed {
  key: string;
  /** The BPMN element the command belongs to. */
  elementId: string;
}

/** What the adapter must do, in order. History commands are facts to record. */
export type Command =
  | (Keyed & {
      type: 'executeJob';
      elementInstanceKey: string;
      taskType: string;
      retries: number;
      headers: Array<{ key: string; value: string }>;
      variables: Variables;
      /** The job of an execution listener of this event type (Camunda's jobKind EXECUTION_LISTENER). */
      listener?: ListenerEventType;
    })
  | (Keyed & { type: 'cancelJob' })
  | (Keyed & { type: 'startTimer'; dueAt: number })
  | (Keyed & { type: 'cancelTimer' })
  | (Keyed & { type: 'openMessageSubscription'; messageName: string; correlationKey: string | null })
  | (Keyed & { type: 'closeMessageSubscription' })
  | (Keyed & { type: 'openSignalSubscription'; signalName: string })
  | (Keyed & { type: 'closeSignalSubscription' })
  /**
   * A signal throw or end event broadcasts (fire and forget: the event has completed already).
   * `variables`: the event's local variables (its input mappings), as Zeebe sends them.
   */
  | (Keyed & { type: 'broadcastSignal'; elementInstanceKey: string; signalName: string; variables: Variables })
  | (Keyed & UserTaskInfo & { type: 'openUserTask'; elementInstanceKey: string; variables: Variables })
  | (Keyed & { type: 'closeUserTask'; reason: 'completed' | 'canceled' })
  | (Keyed & { type: 'startChildProcess'; elementInstanceKey: string; processId: string; variables: Variables })
  | (Keyed & { type: 'cancelChildProcess' })
  | { type: 'raiseIncident'; incident: Incident }
  | { type: 'incidentResolved'; incidentId: string }
  | (Keyed & { type: 'elementActivated' | 'elementCompleted' | 'elementTerminated'; elementType: string; time: number })
  /** SLA escalation: move the open tasks to a group (unclaimed) or a user, as transferTask does. */
  | (Keyed & { type: 'reassignTasks'; taskKeys: string[]; group: string | null; user: string | null })
  /** SLA escalation: raise the priority of the open tasks (adapter bookkeeping, capped at 100). */
  | (Keyed & { type: 'raiseTaskPriority'; taskKeys: string[]; by: number })
  /**
   * FEEL suppressed failures while evaluating `expression` for this element (the value went on
   * as null, as in Camunda 8.3+): a fact for the element's history, nothing to carry out.
   */
  | (Keyed & { type: 'expressionWarning'; expression: string; warnings: Array<{ type: string; message: string }>; time: number })
  | { type: 'processCompleted'; variables: Variables; time: number }
  | { type: 'processTerminated'; time: number };

export type CommandType = Command['type'];

export interface StepResult {
  state: State;
  commands: Command[];
  /**
   * False when the stimulus did not apply: an unknown or stale key, a message that no
   * open subscription matches (the adapter answers 404), an instance that is not active.
   */
  accepted: boolean;
  reason?: string;
}
