import type { LintNode, Reporter, RuleFactory } from '../types';

/**
 * An exclusive or inclusive gateway that splits must be able to choose: every outgoing
 * flow needs a condition unless it is the default. Otherwise the evaluator would have to
 * guess, and Camunda rejects the diagram too.
 */
const gatewayFlowConditions: RuleFactory = () => ({
  check(node: LintNode, reporter: Reporter) {
    if (node.$type !== 'bpmn:ExclusiveGateway' && node.$type !== 'bpmn:InclusiveGateway') return;
    const outgoing = node.outgoing ?? [];
    if (outgoing.length < 2) return;
    for (const flow of outgoing) {
      if (!flow.conditionExpression && flow !== node.default) {
        reporter.report(flow.id, `Flow out of gateway '${node.id ?? ''}' has no condition and is not the default flow`);
      }
    }
  },
});

export default gatewayFlowConditions;
