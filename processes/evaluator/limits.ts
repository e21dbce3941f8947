import { DEFAULT_FEEL_LIMITS, type FeelLimits } from '../feel';
import { DEFAULT_MIN_CYCLE_MS } from '../timers';

/**
 * What one instance may do (issue 12, docs/security.md "Execution limits"). The adapter
 * passes them to `step`; without them (histories recorded before the limits) nothing is
 * bounded. Exceeding one is a `LIMIT_EXCEEDED` incident on the element, never a throw.
 */
export interface EvaluatorLimits {
  /** Element activations within one step (one workflow activation) before the next is stopped. */
  maxActivationsPerStep: number;
  /** Live element instances in one process instance (parallel fan-out). */
  maxLiveInstances: number;
  /** Items of a multi-instance input collection. */
  maxMultiInstanceCardinality: number;
  /** Shortest interval of a repeating timer whose value comes from FEEL (static ones are checked at deploy). */
  minTimerCycleMs: number;
  feel: FeelLimits;
}

export const DEFAULT_EVALUATOR_LIMITS: EvaluatorLimits = {
  maxActivationsPerStep: 10_000,
  maxLiveInstances: 2_000,
  maxMultiInstanceCardinality: 1_000,
  minTimerCycleMs: DEFAULT_MIN_CYCLE_MS,
  feel: DEFAULT_FEEL_LIMITS,
};
