/**
 * Test-only workflow module: the product's workflows, bundled with the evaluator replaced by
 * reversedEvaluator.ts, so `processInstance` (same type name) issues its commands in another
 * order. Replaying a committed history with it must fail with a determinism violation.
 */
export * from '../../workflows';
