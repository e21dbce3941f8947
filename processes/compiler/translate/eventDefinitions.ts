import type { EventTrigger, ThrowDef, TimerDef } from '../../model/types';
import type { CompileContext } from '../context';
import { errorAt } from '../context';
import type { MEventDefinition, MFlowNode } from '../moddleTypes';
import { compensationThrowOf } from '../compensation';
import { jobOf } from './job';
import { messageOf } from './message';
import { signalOf } from './signal';
import { timerOf } from './timer';

const KIND_OF: ReadonlyMap<string, string> = new Map([
  ['bpmn:TimerEventDefinition', 'timer'],
  ['bpmn:MessageEventDefinition', 'message'],
  ['bpmn:ErrorEventDefinition', 'error'],
  ['bpmn:EscalationEventDefinition', 'escalation'],
  ['bpmn:LinkEventDefinition', 'link'],
  ['bpmn:TerminateEventDefinition', 'terminate'],
  ['bpmn:SignalEventDefinition', 'signal'],
  ['bpmn:ConditionalEventDefinition', 'conditional'],
  ['bpmn:CompensateEventDefinition', 'compensation'],
  ['bpmn:CancelEventDefinition', 'cancel'],
]);

/** The single event definition of `node`: 'none', its kind, or undefined after an error. */
function definitionOf(node: MFlowNode, allowed: readonly string[], ctx: CompileContext) {
  const defs = node.eventDefinitions ?? [];
  if (defs.length > 1) {
    errorAt(ctx, node, `${node.$type} with ${defs.length} event definitions (multiple event) is not supported`);
    return undefined;
  }
  const def = defs[0];
  const kind = def ? KIND_OF.get(def.$type) ?? def.$type : 'none';
  if (!allowed.includes(kind)) {
    errorAt(ctx, node, `${kind} ${node.$type} is not supported (supported here: ${allowed.join(', ')})`);
    return undefined;
  }
  return { kind, def: def ?? ({} as MEventDefinition) };
}

export interface TriggerRules {
  allowed: ReadonlyArray<EventTrigger['type']>;
  timerKinds?: readonly TimerDef['kind'][];
  needsCorrelationKey?: boolean;
}

/** What a catching event waits for. */
export function triggerOf(node: MFlowNode, rules: TriggerRules, ctx: CompileContext): EventTrigger | undefined {
  const found = definitionOf(node, rules.allowed, ctx);
  if (!found) return undefined;
  const { kind, def } = found;
  switch (kind) {
    case 'none':
      return { type: 'none' };
    case 'timer': {
      const timer = timerOf(node, def, rules.timerKinds ?? ['duration', 'date', 'cycle'], ctx);
      return timer && { type: 'timer', timer };
    }
    case 'message': {
      const message = messageOf(node, def.messageRef, rules.needsCorrelationKey === true, ctx);
      return message && { type: 'message', ...message };
    }
    case 'error': {
      const errorCode = def.errorRef?.errorCode;
      return { type: 'error', ...(errorCode ? { errorCode } : {}) };
    }
    case 'escalation': {
      const escalationCode = def.escalationRef?.escalationCode;
      return { type: 'escalation', ...(escalationCode ? { escalationCode } : {}) };
    }
    case 'link':
      return linkOf(node, def, ctx);
    case 'signal': {
      const signal = signalOf(node, def.signalRef, ctx);
      return signal && { type: 'signal', ...signal };
    }
    default:
      return undefined;
  }
}

/** What a throwing event (end or intermediate throw) does. */
export function resultOf(node: MFlowNode, allowed: ReadonlyArray<ThrowDef['type']>, ctx: CompileContext): ThrowDef | undefined {
  const found = definitionOf(node, allowed, ctx);
  if (!found) return undefined;
  const { kind, def } = found;
  switch (kind) {
    case 'none':
      return { type: 'none' };
    case 'terminate':
      return { type: 'terminate' };
    case 'error': {
      const errorCode = def.errorRef?.errorCode?.trim();
      if (!errorCode) {
        errorAt(ctx, node, 'error end event needs an errorRef to a bpmn:Error with an errorCode');
        return undefined;
      }
      return { type: 'error', errorCode, ...(def.errorRef?.name ? { errorMessage: def.errorRef.name } : {}) };
    }
    case 'escalation': {
      const escalationCode = def.escalationRef?.escalationCode?.trim();
      if (!escalationCode) {
        errorAt(ctx, node, 'escalation event needs an escalationRef to a bpmn:Escalation with an escalationCode');
        return undefined;
      }
      return { type: 'escalation', escalationCode };
    }
    case 'message': {
      // Camunda runs message throw events as jobs; the message itself is sent by the worker.
      const job = jobOf(node, ctx);
      return job && { type: 'message', job };
    }
    case 'link': {
      const link = linkOf(node, def, ctx);
      return link && { type: 'link', linkName: link.linkName };
    }
    case 'signal': {
      const signal = signalOf(node, def.signalRef, ctx);
      return signal && { type: 'signal', ...signal };
    }
    case 'compensation':
      return compensationThrowOf(node, def, ctx);
    default:
      return undefined;
  }
}

function linkOf(node: MFlowNode, def: MEventDefinition, ctx: CompileContext): { type: 'link'; linkName: string } | undefined {
  const linkName = def.name?.trim();
  if (!linkName) {
    errorAt(ctx, node, 'link event needs a link name');
    return undefined;
  }
  return { type: 'link', linkName };
}
