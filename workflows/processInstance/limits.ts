import { DEFAULT_EVALUATOR_LIMITS } from '../../processes/evaluator';
import type { ExecutionLimits } from './types';

/** Used when the starter passed none (the server always passes its configured ones). */
export const DEFAULT_EXECUTION_LIMITS: ExecutionLimits = { ...DEFAULT_EVALUATOR_LIMITS, maxCallDepth: 5 };
