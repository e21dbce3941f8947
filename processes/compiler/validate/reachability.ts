import type { ElementDef, FlowDef } from '../../model/types';
import type { CompileContext } from '../context';
import type { SeenNode } from '../walk';
import { flowGraph } from './flowGraph';

/**
 * Warns about elements no token can reach: roots are start events (of any scope), boundary
 * events and event subprocesses; edges are sequence flows and link throw -> catch jumps.
 * Runs over every node seen, translated or not, so one refused element does not make its
 * successors look unreachable. Iterative breadth-first search, linear in nodes + flows.
 */
export function checkReachability(
  elements: readonly ElementDef[],
  flows: readonly FlowDef[],
  seen: ReadonlyMap<string, SeenNode>,
  ctx: CompileContext,
): void {
  const next = flowGraph(elements, flows);
  const reached = new Set<string>();
  const queue: string[] = [];
  for (const [id, node] of seen) {
    if (node.isRoot) {
      reached.add(id);
      queue.push(id);
    }
  }
  for (let i = 0; i < queue.length; i += 1) {
    for (const to of next.get(queue[i] ?? '') ?? []) {
      if (!reached.has(to)) {
        reached.add(to);
        queue.push(to);
      }
    }
  }
  for (const e of elements) {
    if (!reached.has(e.id)) {
      ctx.problems.warning(e.id, e.bpmnType, `${e.bpmnType} '${e.id}' is unreachable: no path leads to it from a start or boundary event`);
    }
  }
}
