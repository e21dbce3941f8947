/** Inputs, views and projection records of the generic process-instance workflow. */
import type { Command, EvaluatorLimits, SlaClockView, State, Variables } from '../../processes/evaluator';
import type { ProcessModel } from '../../processes/model';

export interface DefinitionRef {
  key: string;
  version: number;
}

export interface ProcessInstanceInput {
  /** The immutable definition version this instance runs; never "the latest". */
  definition: DefinitionRef;
  model: ProcessModel;
  variables?: Variables;
  businessKey?: string;
  startEventId?: string;
  /** Present when this run continues an earlier one (continue-as-new). */
  carried?: CarriedState;
  /** Execution limits from the server's configuration; absent: the defaults (patch bounded-execution). */
  limits?: ExecutionLimits;
  /** How many call activities lie above this instance (0 or absent: started directly). */
  callDepth?: number;
}

/** Evaluator limits plus what the adapter bounds itself (docs/security.md, "Execution limits"). */
export interface ExecutionLimits extends EvaluatorLimits {
  /** Deepest chain of call activities (a process calling itself). */
  maxCallDepth: number;
}

/** What a run hands to the next across continue-as-new. */
export interface CarriedState {
  state: State;
  /** Task key -> assignee set by claimTask ('' = unclaimed). */
  claims: Record<string, string>;
  taskOpenedAt: Record<string, number>;
  /** Task key -> candidate groups set by transferTask (absent before the first transfer). */
  groups?: Record<string, string[]>;
  seenMessageIds: string[];
  /** Ids of the last signal deliveries (a retried broadcast is ignored); absent when none was seen. */
  seenSignalIds?: string[];
  /** Number of stimuli applied so far; orders projection writes. */
  sequence: number;
  /** Number of element events emitted so far; gives each a stable id. */
  eventCount: number;
  runs: number;
  /** Task key -> priority raised by SLA escalations (absent before the first raise). */
  priorities?: Record<string, number>;
  /** Jobs the previous run held back to continue as new; this run starts them (absent before the patch). */
  deferredJobs?: Array<Extract<Command, { type: 'executeJob' }>>;
  /** Jobs of external workers by evaluator key (absent when there are none). */
  externalJobs?: Record<string, ExternalJobRecord>;
  /** Ids of the migrations this instance went through (the last few), so a repeated request is answered, not re-applied. */
  migrations?: string[];
}

/** A job served by external workers, as the workflow keeps it (externalJobs.ts). */
export interface ExternalJobRecord {
  key: string;
  elementId: string;
  elementInstanceKey: string;
  type: string;
  retries: number;
  headers: Record<string, string>;
  createdAt: number;
  /** The worker of the last activation; its lock holds while `deadline` is in the future. */
  worker: string | null;
  deadline: number | null;
  /** After a failure with retries left: not activatable before this time (retry backoff). */
  retryAt: number | null;
  errorMessage: string | null;
  /** Failed with no retries left: its incident is open; updated retries apply when it is resolved. */
  failed: boolean;
  /** Only on the job of an execution listener (decision 0055), as Camunda names it. */
  jobKind?: 'EXECUTION_LISTENER';
  listenerEventType?: 'START' | 'END';
}

/** One job of external workers in the instance view and the `jobs` read model. */
export interface JobView {
  /** `<instance id>:<key>`: what the job API takes. */
  key: string;
  type: string;
  elementId: string;
  elementInstanceKey: string;
  state: 'activatable' | 'activated' | 'backoff' | 'failed';
  retries: number;
  /** The worker holding the lock, while it holds it. */
  worker: string | null;
  deadline: number | null;
  /** When the job may be activated (again); null while it is failed (incident). */
  availableAt: number | null;
  errorMessage: string | null;
  createdAt: number;
  /** Only on the job of an execution listener (decision 0055), as Camunda names it. */
  jobKind?: 'EXECUTION_LISTENER';
  listenerEventType?: 'START' | 'END';
}

/** What an activation hands to a worker (Camunda's ActivatedJob, with our ids). */
export interface ActivatedJob {
  jobKey: string;
  type: string;
  processInstanceId: string;
  bpmnProcessId: string;
  processDefinitionVersion: number;
  elementId: string;
  elementInstanceKey: string;
  customHeaders: Record<string, string>;
  worker: string;
  retries: number;
  /** Epoch ms when the lock ends. */
  deadline: number;
  variables: Variables;
  /** Only on the job of an execution listener (decision 0055), as Camunda names it. */
  jobKind?: 'EXECUTION_LISTENER';
  listenerEventType?: 'START' | 'END';
}

export type InstanceStatus = 'active' | 'completed' | 'terminated' | 'canceled';

export interface TaskView {
  key: string;
  elementId: string;
  name: string | null;
  state: 'open' | 'claimed';
  assignee: string | null;
  candidateGroups: string[];
  candidateUsers: string[];
  dueDate: string | null;
  followUpDate: string | null;
  formKey: string | null;
  createdAt: number;
  /** Only when the model has SLA policies: 0–100, default 50, raised by escalations. */
  priority?: number;
  /** Only when the model has SLA policies: the clock this task is measured by. */
  sla?: TaskSla | null;
}

export interface TaskSla {
  clockKey: string;
  state: SlaClockView['state'];
  paused: boolean;
  dueAt: number | null;
}

export interface IncidentView {
  id: string;
  elementId: string;
  type: string;
  message: string;
  createdAt: number;
}

export interface TimerView {
  key: string;
  elementId: string;
  dueAt: number;
}

export interface InstanceView {
  status: InstanceStatus;
  definition: DefinitionRef;
  businessKey: string | null;
  activeElements: string[];
  variables: Variables;
  tasks: TaskView[];
  incidents: IncidentView[];
  timers: TimerView[];
  /** Every open message subscription (the projection keys them as `name\u001fcorrelationKey`). */
  subscriptions: Array<{ messageName: string; correlationKey: string | null }>;
  /** Names of the open signal subscriptions, when there are any (the projection's `signalNames`; server/signals finds waiters by them). */
  signals?: string[];
  /** Only when the model has SLA policies: every clock of the instance (docs/sla.md). */
  slaClocks?: SlaClockView[];
  /** Only when the model has jobs of external workers: the open ones (docs/integrations.md). */
  jobs?: JobView[];
}

/** One element lifecycle event, for the instance history. */
export interface ElementEvent {
  /** Position in the instance's history; stable across replays and continue-as-new. */
  index: number;
  elementId: string;
  elementType: string;
  /** `warning`: FEEL suppressed a failure while evaluating an expression of the element (it went on with null). */
  event: 'activated' | 'completed' | 'terminated' | 'warning' | 'modified' | 'migrated';
  time: number;
  /**
   * Warnings: the expression and what went wrong (names from the expression, never values).
   * `modified`/`migrated` (on the process element): who, why and what changed (decisions 0040, 0041).
   */
  message?: string;
}

/** A projection record: the full view after a step, ordered by `sequence`. */
export interface InstanceSnapshot extends InstanceView {
  instanceId: string;
  sequence: number;
  updatedAt: number;
  /** Tasks closed by this step, with why. */
  /** `assignee`: who held the task when it closed (absent: nobody). */
  closedTasks: Array<{ key: string; reason: 'completed' | 'canceled'; assignee?: string }>;
  events: ElementEvent[];
}

export interface ProcessInstanceResult {
  status: InstanceStatus;
  variables: Variables;
}
