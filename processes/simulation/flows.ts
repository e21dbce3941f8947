/**
 * Which sequence flows an instance took, inferred from its element events: the history records
 * element activations and completions, not flows (decision 0043).
 *
 * Rule: when an element completes, its outgoing flows become pending; when an element is
 * activated, it takes the pending incoming flow whose source completed last (a parallel or
 * inclusive join takes every pending incoming flow). Taking a flow out of an exclusive or
 * event-based gateway withdraws that gateway's other pending flows, since it passes one token.
 * Boundary events, start events and link catches have no incoming flow and take none.
 */
import type { ProcessModel } from '../model/types';

export interface ElementEventRow {
  elementId: string;
  event: string;
  /** Position in the instance's history; rows are sorted by it. */
  index: number;
}

interface FlowGraph {
  outgoing: Map<string, string[]>;
  incoming: Map<string, string[]>;
  sourceOf: Map<string, string>;
  joins: Set<string>;
  singleToken: Set<string>;
}

const graphs = new WeakMap<ProcessModel, FlowGraph>();

function graphOf(model: ProcessModel): FlowGraph {
  const known = graphs.get(model);
  if (known) return known;
  const graph: FlowGraph = { outgoing: new Map(), incoming: new Map(), sourceOf: new Map(), joins: new Set(), singleToken: new Set() };
  for (const flow of model.flows) {
    graph.outgoing.set(flow.sourceId, [...(graph.outgoing.get(flow.sourceId) ?? []), flow.id]);
    graph.incoming.set(flow.targetId, [...(graph.incoming.get(flow.targetId) ?? []), flow.id]);
    graph.sourceOf.set(flow.id, flow.sourceId);
  }
  for (const element of model.elements) {
    if (element.kind === 'parallelGateway' || element.kind === 'inclusiveGateway') graph.joins.add(element.id);
    if (element.kind === 'exclusiveGateway' || element.kind === 'eventBasedGateway') graph.singleToken.add(element.id);
  }
  graphs.set(model, graph);
  return graph;
}

/** Counts, per flow id, how often the instance whose events these are took each flow. */
export function flowsTaken(model: ProcessModel, events: readonly ElementEventRow[], into: Map<string, number> = new Map()): Map<string, number> {
  const graph = graphOf(model);
  // flow id -> order in which its source completed (higher = later)
  const pending = new Map<string, number>();
  let order = 0;
  const sorted = [...events].sort((a, b) => a.index - b.index);
  for (const e of sorted) {
    if (e.event === 'completed') {
      order++;
      for (const flowId of graph.outgoing.get(e.elementId) ?? []) pending.set(flowId, order);
      continue;
    }
    if (e.event !== 'activated') continue;
    const candidates = (graph.incoming.get(e.elementId) ?? []).filter((f) => pending.has(f));
    if (candidates.length === 0) continue;
    const taken = graph.joins.has(e.elementId)
      ? candidates
      : [candidates.reduce((best, f) => (pending.get(f)! > pending.get(best)! ? f : best))];
    for (const flowId of taken) {
      pending.delete(flowId);
      into.set(flowId, (into.get(flowId) ?? 0) + 1);
      const source = graph.sourceOf.get(flowId)!;
      if (graph.singleToken.has(source)) for (const other of graph.outgoing.get(source) ?? []) pending.delete(other);
    }
  }
  return into;
}

/** Counts, per element id, its activations in these events. */
export function elementActivations(events: readonly ElementEventRow[], into: Map<string, number> = new Map()): Map<string, number> {
  for (const e of events) if (e.event === 'activated') into.set(e.elementId, (into.get(e.elementId) ?? 0) + 1);
  return into;
}
