/**
 * A DMN decision requirements graph (one .dmn file) as plain JSON: what the parser makes of
 * the XML and what the evaluator reads. It is stored with each decision version and can be
 * handed to workflow code (no classes, no functions).
 */

export type HitPolicy = 'UNIQUE' | 'FIRST' | 'PRIORITY' | 'ANY' | 'COLLECT' | 'RULE ORDER' | 'OUTPUT ORDER';
export type Aggregation = 'SUM' | 'MIN' | 'MAX' | 'COUNT';

export interface DecisionInput {
  id: string;
  label?: string;
  /** FEEL of `inputExpression`, evaluated against the variables and required decisions. */
  expression: string;
  typeRef?: string;
}

export interface DecisionOutput {
  id: string;
  /** The context key of this output; required when the table has several outputs. */
  name?: string;
  label?: string;
  typeRef?: string;
  /** `outputValues` as values, highest priority first (PRIORITY and OUTPUT ORDER sort by it). */
  priorities?: unknown[];
}

export interface DecisionRule {
  id: string;
  /** FEEL unary tests, one per input; `-` (or empty) matches anything. */
  inputEntries: string[];
  /** FEEL expressions, one per output; empty is null. */
  outputEntries: string[];
}

export interface DecisionTable {
  hitPolicy: HitPolicy;
  aggregation?: Aggregation;
  inputs: DecisionInput[];
  outputs: DecisionOutput[];
  rules: DecisionRule[];
}

export type DecisionLogic =
  | { kind: 'decisionTable'; table: DecisionTable }
  | { kind: 'literalExpression'; expression: string };

export interface DecisionDef {
  id: string;
  name: string;
  /** Camunda's `zeebe:versionTag` of the decision, for `bindingType="versionTag"`. */
  versionTag?: string;
  /** Ids of the decisions whose results this one reads (informationRequirement), in document order. */
  requiredDecisions: string[];
  logic: DecisionLogic;
}

export interface DecisionGraph {
  /** The `<definitions>` id (Camunda's decisionRequirementsId). */
  id: string;
  name: string;
  namespace?: string;
  decisions: DecisionDef[];
}

/** One problem found while reading a DMN file; `elementId` names the decision, input, output or rule. */
export interface DmnProblem {
  elementId: string | null;
  message: string;
}

/** What one decision evaluated to (the called decision and each required one), for the audit. */
export interface EvaluatedDecision {
  decisionId: string;
  decisionName: string;
  /** Ids of the rules that matched (tables only). */
  matchedRules: string[];
  value: unknown;
}

export type DecisionOutcome =
  | { ok: true; value: unknown; evaluated: EvaluatedDecision[] }
  | { ok: false; message: string; decisionId: string; evaluated: EvaluatedDecision[] };
