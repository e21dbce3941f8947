import type { ElementDef, FlowDef } from '../../model/types';
import type { CompileContext } from '../context';
import { flowGraph } from './flowGraph';

/** How many element ids a loop problem names before it says "and N more". */
const NAMED_IN_MESSAGE = 20;

/**
 * Refuses straight-through loops, as Zeebe does: a cycle of sequence flows (and link
 * throw -> catch jumps) on which no element waits. Such a loop runs within one workflow
 * task without end (or until its exit condition, which the diagram cannot promise), so it
 * is refused at deploy. A wait state is a user task, receive task, job (service, send,
 * business-rule task, message throw with a task definition), call activity, event-based
 * gateway, timer, message or signal catch event, or a subprocess with a wait state inside.
 * Boundary events start no such cycle: they need an event. Strongly connected components
 * by an iterative Tarjan, linear in elements + flows.
 */
export function checkStraightThroughLoops(elements: readonly ElementDef[], flows: readonly FlowDef[], ctx: CompileContext): void {
  const byId = new Map(elements.map((e) => [e.id, e]));
  const waits = waitingElements(elements);
  const next = flowGraph(elements, flows, (from, to) => !waits.has(from) && !waits.has(to) && byId.has(from) && byId.has(to));
  for (const component of cycles(elements.map((e) => e.id), next)) {
    const ordered = elements.filter((e) => component.has(e.id)).map((e) => e.id);
    const first = byId.get(ordered[0] ?? '');
    if (!first) continue;
    const named = ordered.slice(0, NAMED_IN_MESSAGE).map((id) => `'${id}'`).join(', ');
    const more = ordered.length > NAMED_IN_MESSAGE ? ` and ${ordered.length - NAMED_IN_MESSAGE} more` : '';
    ctx.problems.error(first.id, first.bpmnType,
      `straight-through loop: ${named}${more} form a cycle with no wait state (user task, receive task, job, call activity, ` +
      'timer or message catch, event-based gateway); it would run without end in one step. Put a wait state on the loop');
  }
}

/** Elements where a token waits for something outside the evaluator. */
function waitingElements(elements: readonly ElementDef[]): Set<string> {
  const waits = new Set<string>();
  const parents = new Map(elements.map((e) => [e.id, e.parentId]));
  const kinds = new Map(elements.map((e) => [e.id, e.kind]));
  for (const e of elements) {
    if (!isWait(e)) continue;
    waits.add(e.id);
    // A subprocess waits when something inside it (outside its event subprocesses) waits.
    for (let p = e.parentId; p !== null && kinds.get(p) === 'subProcess'; p = parents.get(p) ?? null) waits.add(p);
  }
  return waits;
}

function isWait(e: ElementDef): boolean {
  switch (e.kind) {
    case 'userTask':
    case 'receiveTask':
    case 'serviceTask':
    case 'callActivity':
      return true;
    case 'eventBasedGateway':
      return true;
    case 'intermediateCatchEvent':
      return e.trigger.type === 'timer' || e.trigger.type === 'message' || e.trigger.type === 'signal';
    case 'intermediateThrowEvent':
    case 'endEvent':
      return e.result.type === 'message' && e.result.job !== undefined;
    default:
      return false;
  }
}

/** Strongly connected components that are cycles (more than one node, or a self-loop). */
function cycles(ids: readonly string[], next: ReadonlyMap<string, readonly string[]>): Set<string>[] {
  const index = new Map<string, number>();
  const low = new Map<string, number>();
  const onStack = new Set<string>();
  const stack: string[] = [];
  const found: Set<string>[] = [];
  let counter = 0;
  for (const root of ids) {
    if (index.has(root)) continue;
    const work: Array<{ id: string; i: number }> = [{ id: root, i: 0 }];
    index.set(root, counter);
    low.set(root, counter);
    counter += 1;
    stack.push(root);
    onStack.add(root);
    while (work.length > 0) {
      const frame = work[work.length - 1]!;
      const succ = next.get(frame.id) ?? [];
      if (frame.i < succ.length) {
        const to = succ[frame.i]!;
        frame.i += 1;
        if (!index.has(to)) {
          index.set(to, counter);
          low.set(to, counter);
          counter += 1;
          stack.push(to);
          onStack.add(to);
          work.push({ id: to, i: 0 });
        } else if (onStack.has(to)) {
          low.set(frame.id, Math.min(low.get(frame.id)!, index.get(to)!));
        }
        continue;
      }
      work.pop();
      const parent = work[work.length - 1];
      if (parent) low.set(parent.id, Math.min(low.get(parent.id)!, low.get(frame.id)!));
      if (low.get(frame.id) !== index.get(frame.id)) continue;
      const component = new Set<string>();
      for (;;) {
        const id = stack.pop()!;
        onStack.delete(id);
        component.add(id);
        if (id === frame.id) break;
      }
      if (component.size > 1 || succ.includes(frame.id)) found.push(component);
    }
  }
  return found;
}
