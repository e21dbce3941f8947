/**
 * Id -> element lookups over a moddle tree, built by walking moddle's descriptors (as
 * bpmnlint does) but with an explicit stack so deep nesting cannot overflow the call stack.
 */
interface Node {
  $type: string;
  $parent?: Node;
  id?: unknown;
  $descriptor?: { isGeneric?: boolean; properties?: Array<{ name: string; isAttr?: boolean; isReference?: boolean; isMany?: boolean; type: string }> };
  [key: string]: unknown;
}

const SIMPLE = new Set(['String', 'Boolean', 'Integer', 'Real']);

export interface TreeIndex {
  typeOf(id: string): string | null;
  /** Id of the bpmn:Process containing the element, or null. */
  processOf(id: string): string | null;
}

export function indexTree(root: unknown): TreeIndex {
  const byId = new Map<string, Node>();
  const stack: Node[] = root ? [root as Node] : [];
  for (let node = stack.pop(); node; node = stack.pop()) {
    if (typeof node.id === 'string' && !byId.has(node.id)) byId.set(node.id, node);
    const descriptor = node.$descriptor;
    if (!descriptor || descriptor.isGeneric) continue;
    for (const p of descriptor.properties ?? []) {
      if (p.isAttr || p.isReference || SIMPLE.has(p.type)) continue;
      const value = p.name in node ? node[p.name] : undefined;
      if (Array.isArray(value)) for (const child of value as Node[]) stack.push(child);
      else if (value && typeof value === 'object') stack.push(value as Node);
    }
  }
  return {
    typeOf: (id) => byId.get(id)?.$type ?? null,
    processOf(id) {
      for (let n = byId.get(id); n; n = n.$parent) {
        if (n.$type === 'bpmn:Process') return typeof n.id === 'string' ? n.id : null;
      }
      return null;
    },
  };
}
