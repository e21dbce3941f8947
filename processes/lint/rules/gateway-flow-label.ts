import type { LintNode, Reporter, RuleFactory } from '../types';

/**
 * The outgoing flows of a deciding gateway are the answers to its question; without a
 * label, agents and auditors reading the diagram cannot tell which branch is which.
 */
const gatewayFlowLabel: RuleFactory = () => ({
  check(node: LintNode, reporter: Reporter) {
    if (node.$type !== 'bpmn:ExclusiveGateway' && node.$type !== 'bpmn:InclusiveGateway') return;
    const outgoing = node.outgoing ?? [];
    if (outgoing.length < 2) return;
    for (const flow of outgoing) {
      if (!flow.name?.trim()) reporter.report(flow.id, `Flow out of gateway '${node.id ?? ''}' has no label`);
    }
  },
});

export default gatewayFlowLabel;
