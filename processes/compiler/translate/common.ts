import type { Mapping } from '../../model/types';
import type { CompileContext, ElementCommon } from '../context';
import { errorAt } from '../context';
import { mappingSource } from '../expressions';
import type { MBaseElement, MFlowNode, MZeebe } from '../moddleTypes';
import { attr, duplicatedExtensions, zeebeExt } from '../zeebe';
import { executionListenersOf } from './listeners';
import { multiInstanceOf } from './multiInstance';

/** The fields every element kind has; flows and boundary ids are filled in by assembly. */
export function commonOf(node: MFlowNode, parentId: string | null, ctx: CompileContext): ElementCommon {
  refuseUnsupportedExtensions(node, ctx);
  refuseDuplicatedExtensions(node, ctx);
  const io = zeebeExt(node, 'zeebe:IoMapping');
  const multiInstance = multiInstanceOf(node, ctx);
  const executionListeners = executionListenersOf(node, ctx);
  return {
    id: node.id ?? '',
    ...(node.name ? { name: node.name } : {}),
    bpmnType: node.$type,
    parentId,
    incoming: [],
    outgoing: [],
    inputs: mappings(ctx, node, io?.inputParameters, 'input'),
    outputs: mappings(ctx, node, io?.outputParameters, 'output'),
    boundaryEventIds: [],
    ...(multiInstance ? { multiInstance } : {}),
    ...(executionListeners ? { executionListeners } : {}),
  };
}

function mappings(ctx: CompileContext, node: MFlowNode, params: unknown, kind: 'input' | 'output'): Mapping[] {
  const list = Array.isArray(params) ? (params as MZeebe[]) : [];
  const result: Mapping[] = [];
  for (const param of list) {
    const target = attr(param, 'target');
    const what = `zeebe:${kind} mapping${target ? ` to '${target}'` : ''}`;
    if (!target || target.trim() === '') {
      errorAt(ctx, node, `${what} has no target variable`);
      continue;
    }
    const source = mappingSource(ctx, node, attr(param, 'source'), what, kind);
    if (source !== undefined) result.push({ source, target: target.trim() });
  }
  return result;
}

/**
 * zeebe extensions with run-time semantics the evaluator does not implement. Ignoring
 * them would run the diagram differently from what Camunda Modeler shows.
 */
const UNSUPPORTED_EXTENSIONS: ReadonlyMap<string, string> = new Map([
  ['zeebe:TaskListeners', 'task listeners (zeebe:taskListeners) are not supported'],
]);

function refuseUnsupportedExtensions(node: MFlowNode, ctx: CompileContext): void {
  for (const ext of node.extensionElements?.values ?? []) {
    const reason = UNSUPPORTED_EXTENSIONS.get(ext.$type);
    if (reason !== undefined) errorAt(ctx, node, reason);
  }
}

/** A single-use zeebe extension element given twice (Zeebe refuses the deployment). */
export function refuseDuplicatedExtensions(node: MBaseElement, ctx: CompileContext): void {
  for (const { name, count } of duplicatedExtensions(node)) {
    errorAt(ctx, node, `${name} is defined ${count} times; Camunda 8 allows only one per element`);
  }
}
