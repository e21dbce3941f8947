import type { LintNode, Reporter, RuleFactory } from '../types';

/**
 * Task names are what agents see in their inbox and what operations see in incidents
 * and SLA reports; an unnamed activity shows up as a bare id there.
 */
const taskLabelRequired: RuleFactory = () => ({
  check(node: LintNode, reporter: Reporter) {
    if (!node.$instanceOf('bpmn:Activity')) return;
    if (node.$type === 'bpmn:SubProcess' && (node as LintNode & { triggeredByEvent?: boolean }).triggeredByEvent) return;
    if (!node.name?.trim()) reporter.report(node.id, `${node.$type} has no name`);
  },
});

export default taskLabelRequired;
