import type { ElementDef, FlowDef, ProcessModel } from './types';

/** Lookups over a model, built once per model object (Maps: safe for any id). */
export interface ModelIndex {
  model: ProcessModel;
  element(id: string): ElementDef;
  flow(id: string): FlowDef;
  hasElement(id: string): boolean;
  /** Direct children of a scope (null = the process itself), in document order. */
  children(scopeId: string | null): ElementDef[];
}

const cache = new WeakMap<ProcessModel, ModelIndex>();

export function indexModel(model: ProcessModel): ModelIndex {
  const cached = cache.get(model);
  if (cached) return cached;
  const elements = new Map(model.elements.map((e) => [e.id, e]));
  const flows = new Map(model.flows.map((f) => [f.id, f]));
  const children = new Map<string | null, ElementDef[]>();
  for (const e of model.elements) {
    const list = children.get(e.parentId) ?? [];
    list.push(e);
    children.set(e.parentId, list);
  }
  const index: ModelIndex = {
    model,
    element(id) {
      const e = elements.get(id);
      if (!e) throw new Error(`model ${model.id} has no element '${id}'`);
      return e;
    },
    flow(id) {
      const f = flows.get(id);
      if (!f) throw new Error(`model ${model.id} has no sequence flow '${id}'`);
      return f;
    },
    hasElement: (id) => elements.has(id),
    children: (scopeId) => children.get(scopeId) ?? [],
  };
  cache.set(model, index);
  return index;
}
