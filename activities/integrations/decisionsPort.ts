/**
 * What the called-decision activity asks of the decision store (server/api/decisions
 * implements it; wiring passes it as `IntegrationDeps.decisions`). Declared here so
 * activities/ does not import server/ (the layer rule in eslint.config.mjs).
 */
import type { DecisionBindingType } from '../../processes/dmn/calledDecision';
import type { DecisionGraph } from '../../processes/dmn';

export interface ResolvedDecision {
  decisionId: string;
  version: number;
  graph: DecisionGraph;
}

export interface DecisionsPort {
  /** The version the binding selects, or null when there is none. */
  resolve(decisionId: string, binding: { bindingType: DecisionBindingType; versionTag?: string; decisionVersion?: number }): Promise<ResolvedDecision | null>;
}
