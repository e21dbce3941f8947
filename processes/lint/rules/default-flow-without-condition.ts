import type { LintNode, Reporter, RuleFactory } from '../types';

/**
 * A default flow is taken when no other condition holds; a condition on it is never
 * evaluated, so whoever wrote it expects behaviour that will not happen.
 */
const defaultFlowWithoutCondition: RuleFactory = () => ({
  check(node: LintNode, reporter: Reporter) {
    const flow = node.default;
    if (flow?.conditionExpression) {
      reporter.report(flow.id, `Default flow of '${node.id ?? ''}' has a condition that is never evaluated`);
    }
  },
});

export default defaultFlowWithoutCondition;
