import type { ElementDef } from '../../model/types';
import type { CompileContext } from '../context';
import type { SeenNode } from '../walk';

/**
 * Start events per scope: a process needs at least one and at most one none start; an
 * embedded subprocess exactly one none start; an event subprocess exactly one typed start.
 * Counting uses every start event seen, so a refused one does not also read as "missing".
 */
export function checkStartEvents(
  processId: string,
  elements: readonly ElementDef[],
  seen: ReadonlyMap<string, SeenNode>,
  ctx: CompileContext,
): void {
  const startCount = new Map<string | null, number>();
  for (const node of seen.values()) {
    if (node.bpmnType === 'bpmn:StartEvent') startCount.set(node.parentId, (startCount.get(node.parentId) ?? 0) + 1);
  }
  if (!startCount.get(null)) {
    ctx.problems.error(processId, 'bpmn:Process', `process '${processId}' has no start event`);
  }
  // Grouped once: a document with many subprocesses must not cost scopes x starts.
  const startsIn = new Map<string | null, ElementDef[]>();
  for (const e of elements) {
    if (e.kind !== 'startEvent') continue;
    const list = startsIn.get(e.parentId);
    if (list) list.push(e);
    else startsIn.set(e.parentId, [e]);
  }
  const processNoneStarts = (startsIn.get(null) ?? []).filter((e) => e.kind === 'startEvent' && e.trigger.type === 'none');
  for (const extra of processNoneStarts.slice(1)) {
    ctx.problems.error(extra.id, extra.bpmnType, 'a process can have only one none start event');
  }
  for (const scope of elements) {
    if (scope.kind !== 'subProcess' && scope.kind !== 'eventSubProcess') continue;
    if (scope.kind === 'subProcess' && scope.adHoc !== undefined) continue; // validate/adHoc.ts
    const what = scope.kind === 'subProcess' ? 'subprocess' : 'event subprocess';
    if (!startCount.get(scope.id)) {
      ctx.problems.error(scope.id, scope.bpmnType, `${what} '${scope.id}' has no start event`);
    }
    for (const extra of (startsIn.get(scope.id) ?? []).slice(1)) {
      ctx.problems.error(extra.id, extra.bpmnType, `${what} '${scope.id}' must have exactly one start event`);
    }
    if (scope.kind === 'eventSubProcess' && (scope.incoming.length > 0 || scope.outgoing.length > 0)) {
      ctx.problems.error(scope.id, scope.bpmnType, 'an event subprocess must not have incoming or outgoing sequence flows');
    }
  }
}
