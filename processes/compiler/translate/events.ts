import type { ElementDef, TimerDef } from '../../model/types';
import type { CompileContext, ElementCommon } from '../context';
import { errorAt } from '../context';
import type { MFlowNode } from '../moddleTypes';
import { resultOf, triggerOf } from './eventDefinitions';

type Position = 'process' | 'subProcess' | 'eventSubProcess';

function positionOf(node: MFlowNode): Position {
  const parent = node.$parent as MFlowNode | undefined;
  if (!parent || parent.$type !== 'bpmn:SubProcess') return 'process';
  return parent.triggeredByEvent === true ? 'eventSubProcess' : 'subProcess';
}

const ANY_TIMER: readonly TimerDef['kind'][] = ['duration', 'date', 'cycle'];
const ONCE: readonly TimerDef['kind'][] = ['duration', 'date'];

/**
 * Start events, by position: a process starts on none, message, signal or timer (date/cycle); an
 * embedded subprocess only on none; an event subprocess on a typed trigger, where
 * `isInterrupting` matters.
 */
export function startEvent(node: MFlowNode, common: ElementCommon, ctx: CompileContext): ElementDef | undefined {
  const position = positionOf(node);
  const interrupting = node.isInterrupting !== false;
  const trigger =
    position === 'process'
      ? triggerOf(node, { allowed: ['none', 'message', 'timer', 'signal'], timerKinds: ['date', 'cycle'] }, ctx)
      : position === 'subProcess'
        ? triggerOf(node, { allowed: ['none'] }, ctx)
        : triggerOf(node, {
          allowed: ['message', 'timer', 'error', 'escalation', 'signal'],
          timerKinds: interrupting ? ONCE : ANY_TIMER,
          needsCorrelationKey: true,
        }, ctx);
  if (!trigger) return undefined;
  if (trigger.type === 'error' && !interrupting) {
    errorAt(ctx, node, 'an error start event must be interrupting');
    return undefined;
  }
  return { ...common, kind: 'startEvent', trigger, interrupting };
}

export function endEvent(node: MFlowNode, common: ElementCommon, ctx: CompileContext): ElementDef | undefined {
  const result = resultOf(node, ['none', 'terminate', 'error', 'escalation', 'message', 'signal', 'compensation'], ctx);
  return result && { ...common, kind: 'endEvent', result };
}

export function intermediateCatchEvent(node: MFlowNode, common: ElementCommon, ctx: CompileContext): ElementDef | undefined {
  const trigger = triggerOf(node, { allowed: ['timer', 'message', 'link', 'signal'], timerKinds: ONCE, needsCorrelationKey: true }, ctx);
  return trigger && { ...common, kind: 'intermediateCatchEvent', trigger };
}

export function intermediateThrowEvent(node: MFlowNode, common: ElementCommon, ctx: CompileContext): ElementDef | undefined {
  const result = resultOf(node, ['none', 'escalation', 'link', 'message', 'signal', 'compensation'], ctx);
  return result && { ...common, kind: 'intermediateThrowEvent', result };
}

/** Boundary events: `cancelActivity` (default true) decides whether they interrupt. */
export function boundaryEvent(node: MFlowNode, common: ElementCommon, ctx: CompileContext): ElementDef | undefined {
  const interrupting = node.cancelActivity !== false;
  const host = node.attachedToRef;
  if (!host?.id) {
    errorAt(ctx, node, 'boundary event is not attached to an activity (attachedToRef missing)');
    return undefined;
  }
  if (!host.$instanceOf('bpmn:Activity')) {
    errorAt(ctx, node, `boundary event is attached to ${host.$type} '${host.id}', which is not an activity`);
    return undefined;
  }
  const trigger = triggerOf(node, {
    allowed: ['timer', 'message', 'error', 'escalation', 'signal'],
    timerKinds: interrupting ? ONCE : ANY_TIMER,
    needsCorrelationKey: true,
  }, ctx);
  if (!trigger) return undefined;
  if (trigger.type === 'error' && !interrupting) {
    errorAt(ctx, node, 'an error boundary event must be interrupting (cancelActivity="true")');
    return undefined;
  }
  return { ...common, kind: 'boundaryEvent', attachedToId: host.id, interrupting, trigger };
}
