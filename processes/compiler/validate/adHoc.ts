import type { ElementDef } from '../../model/types';
import type { CompileContext } from '../context';
import type { SeenNode } from '../walk';

const ACTIVITY_KINDS: ReadonlySet<ElementDef['kind']> = new Set([
  'serviceTask', 'scriptTask', 'userTask', 'receiveTask', 'manualTask', 'task', 'subProcess', 'callActivity',
]);

/**
 * What Zeebe refuses at deployment in an ad-hoc subprocess (decision 0046): a start or end
 * event inside it and no activity at all. (Camunda 8.7's docs also required an outgoing flow
 * on intermediate catch events; 8.8 dropped that rule, and so do we: the path just ends.)
 * Counting uses every node seen, so a refused inner element is not also "missing".
 */
export function checkAdHocScopes(elements: readonly ElementDef[], seen: ReadonlyMap<string, SeenNode>, ctx: CompileContext): void {
  const adHocIds = new Set(elements.filter((e) => e.kind === 'subProcess' && e.adHoc !== undefined).map((e) => e.id));
  if (adHocIds.size === 0) return;
  const hasActivity = new Set<string>();
  for (const [id, node] of seen) {
    if (node.parentId === null || !adHocIds.has(node.parentId)) continue;
    if (node.bpmnType === 'bpmn:StartEvent' || node.bpmnType === 'bpmn:EndEvent') {
      const what = node.bpmnType === 'bpmn:StartEvent' ? 'start' : 'end';
      ctx.problems.error(id, node.bpmnType, `an ad-hoc subprocess ('${node.parentId}') must not contain ${what} events`);
    }
  }
  for (const e of elements) {
    if (e.parentId === null || !adHocIds.has(e.parentId)) continue;
    if (ACTIVITY_KINDS.has(e.kind)) hasActivity.add(e.parentId);
  }
  for (const id of adHocIds) {
    if (!hasActivity.has(id)) {
      const hasRefusedActivity = [...seen.values()].some((n) => n.parentId === id && /Task$|SubProcess$|CallActivity$/.test(n.bpmnType));
      if (!hasRefusedActivity) ctx.problems.error(id, 'bpmn:AdHocSubProcess', `ad-hoc subprocess '${id}' must contain at least one activity`);
    }
  }
}
