import type { ElementDef, GatewayDef } from '../../model/types';
import type { CompileContext, ElementCommon } from '../context';
import { errorAt } from '../context';
import { valueOrExpression } from '../expressions';
import type { MFlowNode } from '../moddleTypes';
import { attr, flag, zeebeExt } from '../zeebe';

const GATEWAY_KINDS: ReadonlyMap<string, GatewayDef['kind']> = new Map([
  ['bpmn:ExclusiveGateway', 'exclusiveGateway'],
  ['bpmn:InclusiveGateway', 'inclusiveGateway'],
  ['bpmn:ParallelGateway', 'parallelGateway'],
  ['bpmn:EventBasedGateway', 'eventBasedGateway'],
] as const);

/** Gateways; only exclusive and inclusive gateways have a default flow. */
export function gateway(node: MFlowNode, common: ElementCommon, ctx: CompileContext): ElementDef | undefined {
  const kind = GATEWAY_KINDS.get(node.$type) ?? 'exclusiveGateway';
  if (kind === 'eventBasedGateway' && (node.instantiate === true || node.eventGatewayType === 'Parallel')) {
    errorAt(ctx, node, 'instantiating or parallel event-based gateways are not supported');
    return undefined;
  }
  const defaultFlowId = node.default?.id;
  return { ...common, kind, ...(defaultFlowId ? { defaultFlowId } : {}) };
}

/** Embedded and event subprocesses; their children are translated by the walk. */
export function subProcess(node: MFlowNode, common: ElementCommon): ElementDef {
  return { ...common, kind: node.triggeredByEvent === true ? 'eventSubProcess' : 'subProcess' };
}

/** A call activity starts another deployed process (a child workflow). */
export function callActivity(node: MFlowNode, common: ElementCommon, ctx: CompileContext): ElementDef | undefined {
  const called = zeebeExt(node, 'zeebe:CalledElement');
  const raw = attr(called, 'processId') ?? attr(called, 'processIdExpression');
  const calledProcessId = valueOrExpression(ctx, node, raw, 'zeebe:calledElement processId');
  if (!calledProcessId) {
    if (!raw) errorAt(ctx, node, 'call activity needs zeebe:calledElement with a processId');
    return undefined;
  }
  return {
    ...common,
    kind: 'callActivity',
    calledProcessId,
    propagateAllChildVariables: flag(called, 'propagateAllChildVariables', true),
    propagateAllParentVariables: flag(called, 'propagateAllParentVariables', true),
  };
}
