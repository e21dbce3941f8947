/**
 * How a business rule task with `zeebe:calledDecision` reaches its decision: the compiler makes
 * it a job of the reserved type below, whose static headers name the decision; the
 * `decision.evaluate` activity (activities/integrations/decision-evaluate) resolves the version
 * and evaluates it (decision 0036). Plain data, shared by the compiler and the activity.
 */

/** The task type of a called decision's job; never an external worker's (the compiler sets it). */
export const CALLED_DECISION_TASK_TYPE = 'zeebe:calledDecision';

export type DecisionBindingType = 'latest' | 'deployment' | 'versionTag';

export const DECISION_BINDING_TYPES: readonly DecisionBindingType[] = ['latest', 'deployment', 'versionTag'];

/** The job headers of a called decision. */
export const CalledDecisionHeader = {
  /** The decision id, or `=expr` (FEEL, evaluated against the job's variables). */
  decisionId: 'decisionId',
  resultVariable: 'resultVariable',
  bindingType: 'bindingType',
  versionTag: 'versionTag',
  /** `bindingType="deployment"`: the version deployed with the process, pinned at deploy time. */
  decisionVersion: 'decisionVersion',
} as const;

export interface CalledDecisionDef {
  /** Static id, or FEEL source after `=`. */
  decisionId: { static: string } | { feel: string };
  resultVariable: string;
  bindingType: DecisionBindingType;
  versionTag?: string;
  /** Pinned at deploy time for `bindingType="deployment"`. */
  decisionVersion?: number;
}
