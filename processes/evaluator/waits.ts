import type { EventTrigger } from '../model/types';
import { evalFeelString, evalString } from './feelEval';
import type { Evaluated } from './feelEval';
import { nextKey } from './run';
import type { Run } from './run';
import { planTimer } from './timerEval';
import type { TimerPlan } from './timerEval';
import type { Wait } from './types';
import { openSignalWait, prepareSignalWait } from './signals';

/** A catch trigger evaluated and ready to open (errors and escalations need no wait). */
export type WaitSpec =
  | { kind: 'timer'; plan: TimerPlan }
  | { kind: 'message'; messageName: string; correlationKey: string | null }
  | { kind: 'signal'; signalName: string };

/** Evaluates a catch trigger as seen from `contextKey`; null for passive triggers. */
export function prepareWait(run: Run, contextKey: string, trigger: EventTrigger): Evaluated<WaitSpec | null> {
  if (trigger.type === 'timer') {
    const plan = planTimer(run, contextKey, trigger.timer);
    return plan.ok ? { ok: true, value: { kind: 'timer', plan: plan.value } } : plan;
  }
  if (trigger.type === 'message') {
    const name = evalString(run, contextKey, trigger.messageName, 'message name');
    if (!name.ok) return name;
    if (trigger.correlationKey === undefined) {
      return { ok: true, value: { kind: 'message', messageName: name.value, correlationKey: null } };
    }
    const ck = evalFeelString(run, contextKey, trigger.correlationKey, 'correlation key');
    if (!ck.ok) return ck;
    return { ok: true, value: { kind: 'message', messageName: name.value, correlationKey: ck.value } };
  }
  if (trigger.type === 'signal') return prepareSignalWait(run, contextKey, trigger.signalName);
  return { ok: true, value: null };
}

export function openWait(run: Run, ownerKey: string, elementId: string, spec: WaitSpec): void {
  const key = nextKey(run);
  if (spec.kind === 'timer') {
    run.state.waits[key] = { type: 'timer', key, ownerKey, elementId, dueAt: spec.plan.dueAt, cycle: spec.plan.cycle };
    run.commands.push({ type: 'startTimer', key, elementId, dueAt: spec.plan.dueAt });
  } else if (spec.kind === 'signal') {
    openSignalWait(run, key, ownerKey, elementId, spec.signalName);
  } else {
    const { messageName, correlationKey } = spec;
    run.state.waits[key] = { type: 'message', key, ownerKey, elementId, messageName, correlationKey };
    run.commands.push({ type: 'openMessageSubscription', key, elementId, messageName, correlationKey });
  }
}

/** Forgets a wait whose outcome just arrived (the adapter already knows it ended). */
export function consumeWait(run: Run, wait: Wait): void {
  delete run.state.waits[wait.key];
  if (wait.type === 'userTask') {
    run.commands.push({ type: 'closeUserTask', key: wait.key, elementId: wait.elementId, reason: 'completed' });
  }
}

/** Cancels a wait that is still running outside. */
export function cancelWait(run: Run, wait: Wait): void {
  delete run.state.waits[wait.key];
  const { key, elementId } = wait;
  switch (wait.type) {
    case 'job':
      run.commands.push({ type: 'cancelJob', key, elementId });
      break;
    case 'timer':
      run.commands.push({ type: 'cancelTimer', key, elementId });
      break;
    case 'message':
      run.commands.push({ type: 'closeMessageSubscription', key, elementId });
      break;
    case 'signal':
      run.commands.push({ type: 'closeSignalSubscription', key, elementId });
      break;
    case 'userTask':
      run.commands.push({ type: 'closeUserTask', key, elementId, reason: 'canceled' });
      break;
    case 'child':
      run.commands.push({ type: 'cancelChildProcess', key, elementId });
      break;
  }
}

/** Cancels every wait an instance owns (its job, boundary timers, subscriptions...). */
export function cancelWaitsOf(run: Run, ownerKey: string): void {
  for (const key of Object.keys(run.state.waits)) {
    const wait = run.state.waits[key];
    if (wait && wait.ownerKey === ownerKey) cancelWait(run, wait);
  }
}
