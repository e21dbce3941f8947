import type { ModelIndex } from '../model/indexModel';
import type { ElementDef, ProcessModel } from '../model/types';

// Derived from the (immutable) model only, so caching it per model object is safe.
const cache = new WeakMap<ProcessModel, Map<string, Set<string>>>();

function predecessors(index: ModelIndex, def: ElementDef): string[] {
  const out = def.incoming.map((f) => index.flow(f).sourceId);
  // A token on an activity can leave through its boundary events.
  if (def.kind === 'boundaryEvent') out.push(def.attachedToId);
  if (def.kind === 'intermediateCatchEvent' && def.trigger.type === 'link') {
    const name = def.trigger.linkName;
    for (const e of index.children(def.parentId)) {
      if (e.kind === 'intermediateThrowEvent' && e.result.type === 'link' && e.result.linkName === name) out.push(e.id);
    }
  }
  return out;
}

/**
 * Elements from which a token can reach sequence flow `flowId` (its source included)
 * without passing through the join `joinId`. Computed once per model, join and flow.
 */
export function upstreamOf(index: ModelIndex, joinId: string, flowId: string): Set<string> {
  let perModel = cache.get(index.model);
  if (!perModel) {
    perModel = new Map();
    cache.set(index.model, perModel);
  }
  const cacheKey = `${joinId}\u0000${flowId}`;
  const known = perModel.get(cacheKey);
  if (known) return known;
  const seen = new Set<string>();
  const queue = [index.flow(flowId).sourceId];
  while (queue.length > 0) {
    const id = queue.pop() as string;
    if (id === joinId || seen.has(id)) continue;
    seen.add(id);
    for (const p of predecessors(index, index.element(id))) queue.push(p);
  }
  perModel.set(cacheKey, seen);
  return seen;
}
