/** DMN decisions: the parser (DMN XML → DecisionGraph) and the pure evaluator. */
export type * from './types';
export { evaluateDecision, type EvaluateOptions } from './evaluate';
export { applyHitPolicy, type MatchedRule } from './hitPolicy';
export { isAnyValue, testInput, unaryTestsSyntaxError } from './unaryTests';
