import type { ValueOrExpression } from '../../model/types';
import type { CompileContext } from '../context';
import { errorAt } from '../context';
import { valueOrExpression } from '../expressions';
import type { MBaseElement, MFlowNode } from '../moddleTypes';

/**
 * The referenced bpmn:Signal's name, static or `=expr` (Camunda 8 evaluates an expression
 * when the event is entered, or at deployment for a signal start event). A signal has no
 * correlation key: a broadcast reaches every open subscription of that name.
 */
export function signalOf(node: MFlowNode, signal: MBaseElement | undefined, ctx: CompileContext): { signalName: ValueOrExpression } | undefined {
  if (!signal) {
    errorAt(ctx, node, `${node.$type} references no bpmn:Signal (signalRef missing)`);
    return undefined;
  }
  const signalName = valueOrExpression(ctx, node, signal.name, `name of signal '${signal.id ?? ''}'`);
  if (!signalName) {
    if (!signal.name?.trim()) errorAt(ctx, node, `signal '${signal.id ?? ''}' has no name`);
    return undefined;
  }
  return { signalName };
}
