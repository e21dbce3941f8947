import type { MultiInstanceDef } from '../../model/types';
import type { CompileContext } from '../context';
import { errorAt } from '../context';
import { requireFeel } from '../expressions';
import type { MFlowNode } from '../moddleTypes';
import { attr, duplicatedExtensions, zeebeExt } from '../zeebe';

/**
 * `bpmn:multiInstanceLoopCharacteristics` with `zeebe:loopCharacteristics`. As in Camunda,
 * the instances come from an input collection; a bare cardinality and standard loops are
 * rejected because they would need semantics the evaluator does not have.
 */
export function multiInstanceOf(node: MFlowNode, ctx: CompileContext): MultiInstanceDef | undefined {
  const loop = node.loopCharacteristics;
  if (!loop) return undefined;
  if (loop.$type !== 'bpmn:MultiInstanceLoopCharacteristics') {
    errorAt(ctx, node, `${loop.$type} (loop marker) is not supported; use a multi-instance marker with zeebe:loopCharacteristics`);
    return undefined;
  }
  const zeebe = zeebeExt(loop, 'zeebe:LoopCharacteristics');
  for (const { name, count } of duplicatedExtensions(loop)) {
    errorAt(ctx, node, `${name} is defined ${count} times in the multi-instance marker; Camunda 8 allows only one`);
  }
  if (loop.loopCardinality && !zeebe) {
    errorAt(ctx, node, 'multi-instance loopCardinality is not supported; set zeebe:loopCharacteristics inputCollection');
    return undefined;
  }
  const inputCollection = requireFeel(ctx, node, attr(zeebe, 'inputCollection'), 'multi-instance inputCollection');
  const outputCollection = attr(zeebe, 'outputCollection');
  const rawOutputElement = attr(zeebe, 'outputElement');
  const outputElement = rawOutputElement === undefined ? undefined
    : requireFeel(ctx, node, rawOutputElement, 'multi-instance outputElement');
  if (outputCollection && rawOutputElement === undefined) {
    errorAt(ctx, node, 'multi-instance outputCollection needs an outputElement expression');
  }
  const condition = loop.completionCondition?.body;
  const completionCondition = condition === undefined ? undefined
    : requireFeel(ctx, node, condition, 'multi-instance completionCondition');
  if (inputCollection === undefined) return undefined;
  const inputElement = attr(zeebe, 'inputElement');
  return {
    sequential: loop.isSequential === true,
    inputCollection,
    ...(inputElement ? { inputElement } : {}),
    ...(outputCollection ? { outputCollection } : {}),
    ...(outputElement !== undefined ? { outputElement } : {}),
    ...(completionCondition !== undefined ? { completionCondition } : {}),
  };
}
