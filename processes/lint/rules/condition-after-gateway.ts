import type { LintNode, Reporter, RuleFactory } from '../types';

const DECIDING = new Set(['bpmn:ExclusiveGateway', 'bpmn:InclusiveGateway']);

/**
 * Only exclusive and inclusive gateways evaluate conditions (as in Camunda 8). A condition
 * on a flow out of a task, an event or a parallel gateway is never evaluated: the flow is
 * always taken. Model an explicit gateway instead.
 */
const conditionAfterGateway: RuleFactory = () => ({
  check(node: LintNode, reporter: Reporter) {
    if (node.$type !== 'bpmn:SequenceFlow' || !node.conditionExpression) return;
    const source = node.sourceRef;
    if (source && !DECIDING.has(source.$type)) {
      reporter.report(node.id, `Condition on a flow out of ${source.$type} '${source.id ?? ''}' is never evaluated; only exclusive and inclusive gateways evaluate conditions`);
    }
  },
});

export default conditionAfterGateway;
