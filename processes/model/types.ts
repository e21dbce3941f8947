/**
 * The executable model: what the compiler produces from BPMN XML and what the evaluator
 * and the Temporal adapter consume. Plain JSON only (it travels in workflow inputs and is
 * stored with each deployed definition version), so no classes, Maps or functions.
 *
 * Ids are BPMN element ids exactly as drawn. Collections are arrays, never objects keyed by
 * id, so that ids such as `__proto__` or `constructor` cannot collide with Object.prototype;
 * use `indexModel()` for lookups.
 *
 * Attribute values follow Camunda 8: a string starting with `=` is a FEEL expression, any
 * other string is a static value. `Feel` fields are always FEEL (without the `=`).
 */
import type { CalledDecisionDef } from '../dmn/calledDecision';

import type { SlaModel } from '../sla/types';

export const MODEL_SCHEMA_VERSION = 1 as const;

/** A FEEL expression source, without the leading `=`. */
export type Feel = string;

/** A zeebe attribute value: a static value, or a FEEL expression. */
export type ValueOrExpression = { static: string } | { feel: Feel };

export interface ProcessModel {
  schemaVersion: typeof MODEL_SCHEMA_VERSION;
  /** BPMN process id; the definition key under which versions are deployed. */
  id: string;
  name?: string;
  /** sha256 (hex) of the canonical JSON of this model, without this field. */
  hash: string;
  /** Every flow node of the process, nested ones included, in document order. */
  elements: ElementDef[];
  /** Every sequence flow of the process, nested ones included, in document order. */
  flows: FlowDef[];
  /** SLA policies (`sla:` extension) and their calendars; absent when the diagram has none. */
  sla?: SlaModel;
  /** Listeners of the process itself: start before its start event, end after its last token (decision 0055). */
  executionListeners?: ExecutionListenersDef;
}

/** Compiler output for one BPMN document: every executable process in it. */
export interface CompiledDocument {
  processes: ProcessModel[];
}

export interface FlowDef {
  id: string;
  name?: string;
  sourceId: string;
  targetId: string;
  /** FEEL condition; absent means unconditional. */
  condition?: Feel;
}

/** A `zeebe:input` / `zeebe:output` mapping. `target` may be a dotted path (`a.b`). */
export interface Mapping {
  source: Feel;
  target: string;
}

export interface MultiInstanceDef {
  sequential: boolean;
  inputCollection: Feel;
  inputElement?: string;
  outputCollection?: string;
  outputElement?: Feel;
  completionCondition?: Feel;
}

export interface TimerDef {
  kind: 'duration' | 'date' | 'cycle';
  value: ValueOrExpression;
}

export type EventTrigger =
  | { type: 'none' }
  | { type: 'timer'; timer: TimerDef }
  | { type: 'message'; messageName: ValueOrExpression; correlationKey?: Feel }
  | { type: 'error'; errorCode?: string }
  | { type: 'escalation'; escalationCode?: string }
  | { type: 'link'; linkName: string }
  /** A bpmn:Signal by name (static or `=expr`); a broadcast reaches every open subscription. */
  | { type: 'signal'; signalName: ValueOrExpression };

/** What a job needs: its type, retries and static headers. */
export interface JobDef {
  /** The static type; with `typeExpression`, the attribute as written (`=...`), for display only. */
  type: string;
  retries: number;
  headers: Array<{ key: string; value: string }>;
  /**
   * `external`: the type is not in the activity catalog, so external job workers serve it
   * through the job API (workflows/processInstance/externalJobs.ts); absent: a catalog activity.
   */
  worker?: 'external';
  /** FEEL giving the type, evaluated when the element activates (Camunda 8); then `type` is not used. */
  typeExpression?: Feel;
  /** FEEL giving the retries, evaluated when the element activates; then `retries` is not used. */
  retriesExpression?: Feel;
  /**
   * With `typeExpression`: the activity catalog's types when the diagram was deployed. An
   * evaluated type outside them goes to external job workers, as a static unknown type does;
   * absent (compiled without a catalog check): every type runs as a catalog activity.
   */
  catalogTypes?: string[];
}

export type ThrowDef =
  | { type: 'none' }
  | { type: 'terminate' }
  | { type: 'error'; errorCode: string; errorMessage?: string }
  | { type: 'escalation'; escalationCode: string }
  | { type: 'message'; job?: JobDef }
  | { type: 'link'; linkName: string }
  /** Broadcast a signal (its variables: the event's local variables from input mappings), then go on. */
  | { type: 'signal'; signalName: ValueOrExpression }
  /**
   * Compensation throw (intermediate or end): compensates the completed activities of the
   * scope, or only `activityRef` (an activity of the same scope). Zeebe always waits for
   * the handlers (`waitForCompletion` true). processes/evaluator/compensation.ts.
   */
  | { type: 'compensation'; activityRef?: string };

/** An activity's compensation boundary event and the handler associated with it. */
export interface CompensationDef {
  boundaryEventId: string;
  handlerId: string;
}

interface ElementBase {
  id: string;
  name?: string;
  /** The BPMN type as drawn, e.g. `bpmn:SendTask`; used in messages and history. */
  bpmnType: string;
  /** Id of the enclosing subprocess, or null at process level. */
  parentId: string | null;
  incoming: string[];
  outgoing: string[];
  inputs: Mapping[];
  outputs: Mapping[];
  /** Ids of boundary events attached to this element. */
  boundaryEventIds: string[];
  multiInstance?: MultiInstanceDef;
  /** Set on a compensation activity: completed instances can be compensated by this handler. */
  compensation?: CompensationDef;
  /** A compensation handler (`isForCompensation`): no flows; only a compensation throw starts it. */
  isForCompensation?: true;
  /** `zeebe:executionListeners` (Camunda 8.6+), absent when none; processes/evaluator/listeners.ts. */
  executionListeners?: ExecutionListenersDef;
}

/**
 * The execution listeners of an element, each a job the element waits for, in diagram order:
 * `start` after the input mappings and before the element subscribes to events and does its
 * work; `end` after the output mappings and before it is left (decision 0055).
 */
export interface ExecutionListenersDef {
  start: JobDef[];
  end: JobDef[];
}

export type ListenerEventType = keyof ExecutionListenersDef;

export interface StartEventDef extends ElementBase {
  kind: 'startEvent';
  trigger: EventTrigger;
  /** Only meaningful for start events of event subprocesses. */
  interrupting: boolean;
}

export interface EndEventDef extends ElementBase {
  kind: 'endEvent';
  result: ThrowDef;
}

export interface IntermediateCatchEventDef extends ElementBase {
  kind: 'intermediateCatchEvent';
  trigger: EventTrigger;
}

export interface IntermediateThrowEventDef extends ElementBase {
  kind: 'intermediateThrowEvent';
  result: ThrowDef;
}

export interface BoundaryEventDef extends ElementBase {
  kind: 'boundaryEvent';
  attachedToId: string;
  interrupting: boolean;
  trigger: EventTrigger;
}

/** Service, send and business-rule tasks: run an activity from the catalog. */
export interface ServiceTaskDef extends ElementBase {
  kind: 'serviceTask';
  job: JobDef;
  /** A business rule task calling a DMN decision; its job is of the reserved type CALLED_DECISION_TASK_TYPE. */
  calledDecision?: CalledDecisionDef;
}

export interface ScriptTaskDef extends ElementBase {
  kind: 'scriptTask';
  expression: Feel;
  resultVariable: string;
}

export interface UserTaskDef extends ElementBase {
  kind: 'userTask';
  assignee?: ValueOrExpression;
  candidateGroups?: ValueOrExpression;
  candidateUsers?: ValueOrExpression;
  dueDate?: ValueOrExpression;
  followUpDate?: ValueOrExpression;
  /**
   * `zeebe:priorityDefinition priority` (Camunda 8.6+): a whole number from 0 to 100, checked
   * at deploy when static, at the task's creation when FEEL. Absent: the task has none (50 where
   * one is shown).
   */
  priority?: ValueOrExpression;
  /** `zeebe:formDefinition formKey` or `formId`. */
  formKey?: string;
  /** `zeebe:formDefinition formId`: a linked form, deployed beside the diagram (server/api/definitions/forms.ts). */
  formId?: string;
}

export interface ReceiveTaskDef extends ElementBase {
  kind: 'receiveTask';
  messageName: ValueOrExpression;
  correlationKey?: Feel;
}

/** Manual tasks and plain tasks: complete immediately. */
export interface PassThroughTaskDef extends ElementBase {
  kind: 'manualTask' | 'task';
}

export interface GatewayDef extends ElementBase {
  kind: 'exclusiveGateway' | 'inclusiveGateway' | 'parallelGateway' | 'eventBasedGateway';
  defaultFlowId?: string;
}

/**
 * `bpmn:adHocSubProcess` as Camunda 8.7 runs it (decision 0046): the inner elements named
 * by `activeElements` are entered on activation; the subprocess completes by its condition.
 */
export interface AdHocDef {
  /** FEEL list of inner element ids to activate on entry; absent: none (the subprocess waits). */
  activeElements?: Feel;
  /** FEEL boolean evaluated after each inner element completes; absent: complete when nothing is left. */
  completionCondition?: Feel;
  /** Terminate the inner instances still active once the condition is true (BPMN default true). */
  cancelRemainingInstances: boolean;
  /** Camunda 8.8: local list variable collecting `outputElement` each time an inner path ends; propagated on completion. */
  outputCollection?: string;
  outputElement?: Feel;
  /**
   * Camunda 8.8's job-worker mode (`zeebe:taskDefinition` on the subprocess): a job on entry
   * and after each inner completion; its result activates elements or completes the subprocess.
   */
  job?: JobDef;
}

export interface SubProcessDef extends ElementBase {
  kind: 'subProcess' | 'eventSubProcess';
  /** Present on an ad-hoc subprocess (kind 'subProcess'). */
  adHoc?: AdHocDef;
}

export interface CallActivityDef extends ElementBase {
  kind: 'callActivity';
  calledProcessId: ValueOrExpression;
  /** Copy every child variable back when the child completes (zeebe default: true). */
  propagateAllChildVariables: boolean;
  /** Give the child every parent variable (zeebe default: true). */
  propagateAllParentVariables: boolean;
}

export type ElementDef =
  | StartEventDef
  | EndEventDef
  | IntermediateCatchEventDef
  | IntermediateThrowEventDef
  | BoundaryEventDef
  | ServiceTaskDef
  | ScriptTaskDef
  | UserTaskDef
  | ReceiveTaskDef
  | PassThroughTaskDef
  | GatewayDef
  | SubProcessDef
  | CallActivityDef;

export type ElementKind = ElementDef['kind'];
