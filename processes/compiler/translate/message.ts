import type { Feel, ValueOrExpression } from '../../model/types';
import type { CompileContext } from '../context';
import { errorAt } from '../context';
import { requireFeel, valueOrExpression } from '../expressions';
import type { MBaseElement, MFlowNode } from '../moddleTypes';
import { attr, zeebeExt } from '../zeebe';

export interface MessageRef {
  messageName: ValueOrExpression;
  correlationKey?: Feel;
}

/**
 * The referenced bpmn:Message: its name (static or `=expr`) and, where a running instance
 * must be found, the correlation key from `zeebe:subscription`.
 */
export function messageOf(
  node: MFlowNode,
  message: MBaseElement | undefined,
  needsCorrelationKey: boolean,
  ctx: CompileContext,
): MessageRef | undefined {
  if (!message) {
    errorAt(ctx, node, `${node.$type} references no bpmn:Message (messageRef missing)`);
    return undefined;
  }
  const messageName = valueOrExpression(ctx, node, message.name, `name of message '${message.id ?? ''}'`);
  if (!messageName) {
    if (!message.name) errorAt(ctx, node, `message '${message.id ?? ''}' has no name`);
    return undefined;
  }
  const rawKey = attr(zeebeExt(message, 'zeebe:Subscription'), 'correlationKey');
  if (rawKey === undefined) {
    if (needsCorrelationKey) {
      errorAt(ctx, node, `message '${message.id ?? ''}' needs zeebe:subscription correlationKey to find the instance`);
      return undefined;
    }
    return { messageName };
  }
  const correlationKey = requireFeel(ctx, node, rawKey, `correlationKey of message '${message.id ?? ''}'`);
  if (correlationKey === undefined) return undefined;
  return { messageName, correlationKey };
}
