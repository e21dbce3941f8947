import type { ElementDef, FlowDef } from '../../model/types';

/**
 * The successors of each element along sequence flows and link jumps (a link throw event goes
 * on at the catch event of the same name in the same scope). `keep` leaves out edges the
 * caller does not follow (e.g. into or out of wait states).
 */
export function flowGraph(
  elements: readonly ElementDef[],
  flows: readonly FlowDef[],
  keep: (from: string, to: string) => boolean = () => true,
): Map<string, string[]> {
  const next = new Map<string, string[]>();
  const edge = (from: string, to: string) => {
    if (!keep(from, to)) return;
    const list = next.get(from);
    if (list) list.push(to);
    else next.set(from, [to]);
  };
  for (const f of flows) edge(f.sourceId, f.targetId);
  const linkKey = (scope: string | null, name: string) => JSON.stringify([scope, name]);
  const linkCatch = new Map<string, string>();
  for (const e of elements) {
    if (e.kind === 'intermediateCatchEvent' && e.trigger.type === 'link') linkCatch.set(linkKey(e.parentId, e.trigger.linkName), e.id);
  }
  for (const e of elements) {
    if (e.kind !== 'intermediateThrowEvent' || e.result.type !== 'link') continue;
    const target = linkCatch.get(linkKey(e.parentId, e.result.linkName));
    if (target !== undefined) edge(e.id, target);
  }
  return next;
}
