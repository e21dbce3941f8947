import type { ElementDef, FlowDef } from '../model/types';
import type { CompileContext } from './context';
import { errorAt } from './context';
import { requireFeel } from './expressions';
import type { MElement, MFlowNode, MSequenceFlow } from './moddleTypes';
import { isCompensationBoundary } from './compensation';
import { commonOf } from './translate/common';
import { executionListenersOf } from './translate/listeners';
import { IGNORED, TRANSLATORS, UNSUPPORTED } from './translate/registry';

export interface WalkResult {
  elements: ElementDef[];
  flows: FlowDef[];
  /**
   * Every flow node seen, translated or not, so that one refused element does not make
   * its neighbours look unreachable or its scope look empty.
   */
  seen: Map<string, SeenNode>;
  /** Compensation boundary events, linked to their activities and handlers after the walk. */
  compensationBoundaries: Array<{ node: MFlowNode; parentId: string | null }>;
}

export interface SeenNode {
  bpmnType: string;
  parentId: string | null;
  /** Start event, boundary event or event subprocess: where tokens appear without a flow. */
  isRoot: boolean;
}

interface Frame {
  items: readonly MElement[];
  index: number;
  parentId: string | null;
  /** The frame holds the inner elements of an ad-hoc subprocess. */
  adHoc?: boolean;
}

/**
 * Visits every flow element of a process in document order (a subprocess, then its
 * contents) with an explicit stack, so nesting depth costs heap, never call stack.
 */
export function walkProcess(flowElements: readonly MElement[], ctx: CompileContext): WalkResult {
  const result: WalkResult = { elements: [], flows: [], seen: new Map(), compensationBoundaries: [] };
  const stack: Frame[] = [{ items: flowElements, index: 0, parentId: null }];
  for (let top = stack[0]; top; top = stack[stack.length - 1]) {
    const item = top.items[top.index];
    top.index += 1;
    if (!item) {
      stack.pop();
      continue;
    }
    if (item.$type === 'bpmn:SequenceFlow') {
      const flow = flowOf(item as MSequenceFlow, ctx);
      if (flow) result.flows.push(flow);
      continue;
    }
    if (IGNORED.has(item.$type)) continue;
    if (item.id === undefined || item.id === '') {
      errorAt(ctx, item, `${item.$type} has no id`);
      continue;
    }
    const node = item as MFlowNode;
    // A compensation handler has no incoming flow: only a compensation throw starts it.
    const isRoot = item.$type === 'bpmn:StartEvent' || item.$type === 'bpmn:BoundaryEvent' || node.triggeredByEvent === true
      || node.isForCompensation === true
      // Inner elements of an ad-hoc subprocess without an incoming flow are activated by it.
      || (top.adHoc === true && (node.incoming ?? []).length === 0);
    result.seen.set(item.id, { bpmnType: item.$type, parentId: top.parentId, isRoot });
    const refusal = UNSUPPORTED.get(item.$type);
    const translator = TRANSLATORS.get(item.$type);
    if (refusal !== undefined || translator === undefined) {
      errorAt(ctx, item, `unsupported element ${item.$type}: ${refusal ?? 'this BPMN element cannot be executed'}`);
      continue;
    }
    if (isCompensationBoundary(node)) {
      // Not an element of the model: it becomes `compensation` on its activity (compensation.ts).
      executionListenersOf(node, ctx); // refuses listeners here, as Zeebe does
      result.compensationBoundaries.push({ node, parentId: top.parentId });
      continue;
    }
    const def = translator(node, commonOf(node, top.parentId, ctx), ctx);
    if (def) result.elements.push(node.isForCompensation === true ? { ...def, isForCompensation: true } : def);
    if (item.$type === 'bpmn:SubProcess' || item.$type === 'bpmn:AdHocSubProcess') {
      const adHoc = item.$type === 'bpmn:AdHocSubProcess';
      stack.push({ items: node.flowElements ?? [], index: 0, parentId: item.id, ...(adHoc ? { adHoc } : {}) });
    }
  }
  return result;
}

function flowOf(flow: MSequenceFlow, ctx: CompileContext): FlowDef | undefined {
  if (!flow.id) {
    errorAt(ctx, flow, 'sequence flow has no id');
    return undefined;
  }
  const sourceId = flow.sourceRef?.id;
  const targetId = flow.targetRef?.id;
  if (!sourceId) errorAt(ctx, flow, `sequence flow '${flow.id}' has no source element (sourceRef missing or unresolved)`);
  if (!targetId) errorAt(ctx, flow, `sequence flow '${flow.id}' has no target element (targetRef missing or unresolved)`);
  // An empty <conditionExpression/> is reported as a missing condition, not dropped.
  const body = flow.conditionExpression ? flow.conditionExpression.body ?? '' : undefined;
  const condition = body === undefined ? undefined : requireFeel(ctx, flow, body, 'sequence flow condition');
  // A flow with a bad condition stays in the graph (its error is reported) so the
  // structural checks do not add a misleading "implicit end" on its gateway.
  if (!sourceId || !targetId) return undefined;
  return {
    id: flow.id,
    ...(flow.name ? { name: flow.name } : {}),
    sourceId,
    targetId,
    ...(condition !== undefined ? { condition } : {}),
  };
}
