/**
 * The execution limits of issue 12 as one object, from the configuration (docs/security.md,
 * "Execution limits"): what a workflow gets as input, what a deployment is measured against.
 */
import type { ExecutionLimits } from '../workflows/processInstance/types';
import { DEFAULT_EXECUTION_LIMITS } from '../workflows/processInstance/limits';
import type { Config } from './config';

export interface DeployLimits {
  /** Flow-node elements in one process. */
  maxElements: number;
  /** JSON bytes of one compiled model (it travels in the workflow input; Temporal caps a payload at 2 MB). */
  maxModelBytes: number;
  /** Shortest interval of a static repeating timer. */
  minTimerCycleMs: number;
}

export const DEFAULT_DEPLOY_LIMITS: DeployLimits = { maxElements: 5000, maxModelBytes: 1536 * 1024, minTimerCycleMs: 1_000 };

export { DEFAULT_EXECUTION_LIMITS };

export function executionLimits(config: Config): ExecutionLimits {
  return {
    maxActivationsPerStep: config.LIMIT_STEP_ACTIVATIONS,
    maxLiveInstances: config.LIMIT_LIVE_ELEMENTS,
    maxMultiInstanceCardinality: config.LIMIT_MULTI_INSTANCE,
    maxCallDepth: config.LIMIT_CALL_DEPTH,
    minTimerCycleMs: config.TIMER_MIN_CYCLE_SECONDS * 1000,
    feel: {
      maxNestingDepth: config.LIMIT_FEEL_DEPTH,
      maxIterations: config.LIMIT_FEEL_ITERATIONS,
      maxStringLength: config.LIMIT_FEEL_STRING_LENGTH,
      maxResultItems: config.LIMIT_FEEL_RESULT_ITEMS,
    },
  };
}

export function deployLimits(config: Config): DeployLimits {
  return { maxElements: config.BPMN_MAX_ELEMENTS, maxModelBytes: config.BPMN_MAX_MODEL_BYTES, minTimerCycleMs: config.TIMER_MIN_CYCLE_SECONDS * 1000 };
}
