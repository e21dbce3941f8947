/**
 * Signal events with Camunda 8 (Zeebe) semantics. A signal has a name and no correlation key:
 * a broadcast fires every subscription of that name that is open at that moment, in every
 * instance, and is not buffered (a subscription that opens later does not get it). Within one
 * instance every matching subscription fires, in the order they were opened; one that an
 * earlier one withdrew (an interrupting boundary or event subprocess) is skipped. A signal
 * throw or end event emits `broadcastSignal` (the adapter carries it out) and completes at once.
 * A broadcast arriving is the `signalReceived` stimulus (stimuli/events.ts).
 */
import { evalString } from './feelEval';
import type { Evaluated } from './feelEval';
import { raiseIncident } from './incidents';
import { nextKey } from './run';
import type { Run } from './run';
import type { ElementInstance } from './types';
import type { ValueOrExpression } from '../model/types';

/** The subscription a signal catch opens: its name, evaluated when the catch becomes active. */
export function prepareSignalWait(run: Run, contextKey: string, signalName: ValueOrExpression): Evaluated<{ kind: 'signal'; signalName: string }> {
  const name = evalString(run, contextKey, signalName, 'signal name');
  return name.ok ? { ok: true, value: { kind: 'signal', signalName: name.value } } : name;
}

export function openSignalWait(run: Run, key: string, ownerKey: string, elementId: string, signalName: string): void {
  run.state.waits[key] = { type: 'signal', key, ownerKey, elementId, signalName };
  run.commands.push({ type: 'openSignalSubscription', key, elementId, signalName });
}

/** A signal throw or end event: broadcast with the event's local variables, then complete. */
export function throwSignal(run: Run, inst: ElementInstance, elementId: string, signalName: ValueOrExpression): void {
  const name = evalString(run, inst.key, signalName, 'signal name');
  if (!name.ok) {
    raiseIncident(run, inst, 'EXTRACT_VALUE_ERROR', name.error, 'behaviour');
    return;
  }
  run.commands.push({
    type: 'broadcastSignal',
    key: nextKey(run),
    elementId,
    elementInstanceKey: inst.key,
    signalName: name.value,
    variables: { ...inst.variables },
  });
  run.dispatch.complete(run, inst, {});
}
