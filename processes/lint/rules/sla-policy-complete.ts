import { SHIPPED_CALENDARS } from '../../sla/calendars';
import type { LintNode, Reporter, RuleFactory } from '../types';

interface SlaNode extends LintNode {
  extensionElements?: { values?: SlaNode[] };
  policies?: SlaNode[];
  targets?: SlaNode[];
  calendar?: string;
  severity?: string;
  tier?: string;
}

/**
 * The two mistakes of an SLA policy (docs/sla.md) the designer should show while editing,
 * before a deploy: a calendar this service does not ship, and no fallback target (one
 * without severity and tier, needed until they are known). The compiler checks everything
 * else at deploy; this rule reports on the element that holds the policy, as it does.
 */
const slaPolicyComplete: RuleFactory = () => ({
  check(node: LintNode, reporter: Reporter) {
    if (!node.$instanceOf('bpmn:Process') && !node.$instanceOf('bpmn:FlowNode')) return;
    const values = (node as SlaNode).extensionElements?.values ?? [];
    for (const container of values.filter((v) => v.$type === 'sla:Policies')) {
      for (const policy of container.policies ?? []) {
        const label = `SLA policy '${policy.id ?? '?'}'`;
        if (policy.calendar !== undefined && !SHIPPED_CALENDARS.has(policy.calendar)) {
          reporter.report(node.id, `${label}: unknown calendar '${policy.calendar}' (known: ${[...SHIPPED_CALENDARS.keys()].join(', ')})`);
        }
        if (!(policy.targets ?? []).some((t) => !t.severity && !t.tier)) {
          reporter.report(node.id, `${label}: needs a fallback target without severity and tier`);
        }
      }
    }
  },
});

export default slaPolicyComplete;
