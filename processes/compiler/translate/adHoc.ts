import type { ElementDef } from '../../model/types';
import type { CompileContext, ElementCommon } from '../context';
import { errorAt } from '../context';
import { requireFeel } from '../expressions';
import type { MFlowNode } from '../moddleTypes';
import { attr, zeebeExt } from '../zeebe';
import { jobOf } from './job';

/**
 * `bpmn:adHocSubProcess` as Camunda 8.7 runs it (decision 0046): `zeebe:adHoc
 * activeElementsCollection` picks the inner elements entered on activation, the BPMN
 * `completionCondition` and `cancelRemainingInstances` decide when it completes; with
 * `zeebe:taskDefinition` (8.8) a job worker decides instead, through its job results. Its inner
 * elements are translated by the walk; validate/adHoc.ts checks what they may be.
 */
export function adHocSubProcess(node: MFlowNode, common: ElementCommon, ctx: CompileContext): ElementDef | undefined {
  // Camunda 8.8's job-worker mode: the worker's job result decides (decision 0046).
  const job = zeebeExt(node, 'zeebe:TaskDefinition') ? jobOf(node, ctx) : undefined;
  if (zeebeExt(node, 'zeebe:TaskDefinition') && job === undefined) return undefined;
  const ext = zeebeExt(node, 'zeebe:AdHoc');
  const outputCollection = attr(ext, 'outputCollection')?.trim();
  const rawOutputElement = attr(ext, 'outputElement');
  if ((outputCollection ? 1 : 0) + (rawOutputElement !== undefined ? 1 : 0) === 1) {
    errorAt(ctx, node, 'zeebe:adHoc outputCollection and outputElement go together: give both or neither');
    return undefined;
  }
  if (outputCollection && !/^[A-Za-z_][A-Za-z0-9_]*$/.test(outputCollection)) {
    errorAt(ctx, node, `zeebe:adHoc outputCollection must be a variable name, not '${outputCollection}'`);
    return undefined;
  }
  const outputElement = rawOutputElement === undefined ? undefined
    : requireFeel(ctx, node, rawOutputElement, 'zeebe:adHoc outputElement');
  if (rawOutputElement !== undefined && outputElement === undefined) return undefined;
  const rawActive = attr(ext, 'activeElementsCollection');
  const activeElements = rawActive === undefined ? undefined
    : requireFeel(ctx, node, rawActive, 'zeebe:adHoc activeElementsCollection');
  const rawCondition = node.completionCondition?.body;
  const completionCondition = rawCondition === undefined ? undefined
    : requireFeel(ctx, node, rawCondition, 'ad-hoc completionCondition');
  if ((rawActive !== undefined && activeElements === undefined) || (rawCondition !== undefined && completionCondition === undefined)) {
    return undefined;
  }
  return {
    ...common,
    kind: 'subProcess',
    adHoc: {
      ...(activeElements !== undefined ? { activeElements } : {}),
      ...(completionCondition !== undefined ? { completionCondition } : {}),
      cancelRemainingInstances: node.cancelRemainingInstances !== false,
      ...(job !== undefined ? { job } : {}),
      ...(outputCollection && outputElement !== undefined ? { outputCollection, outputElement } : {}),
    },
  };
}
