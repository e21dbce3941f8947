import { ownVariables } from '../json';
import type { Run } from '../run';
import { fireWait } from '../triggers';
import type { Stimulus, Wait } from '../types';
import { ACCEPTED, rejected } from './outcome';
import type { Outcome } from './outcome';

type Of<T extends Stimulus['type']> = Extract<Stimulus, { type: T }>;

export function timerFired(run: Run, s: Of<'timerFired'>): Outcome {
  const wait = run.state.waits[s.key];
  if (!wait || wait.type !== 'timer') return rejected(`no pending timer with key '${s.key}'`);
  fireWait(run, wait, {});
  return ACCEPTED;
}

/**
 * Correlates to the oldest open subscription with this name and correlation key (a
 * subscription without a key takes any). Nothing matching: not accepted, so the
 * adapter can answer "not correlated"; the instance is unchanged.
 */
export function messageReceived(run: Run, s: Of<'messageReceived'>): Outcome {
  let match: (Wait & { type: 'message' }) | undefined;
  for (const key of Object.keys(run.state.waits)) {
    const wait = run.state.waits[key];
    if (wait?.type !== 'message' || wait.messageName !== s.name) continue;
    if (wait.correlationKey !== null && wait.correlationKey !== s.correlationKey) continue;
    match = wait;
    break;
  }
  if (!match) return rejected(`no open subscription for message '${s.name}' with correlation key '${s.correlationKey ?? ''}'`);
  fireWait(run, match, ownVariables(s.variables));
  return ACCEPTED;
}

/** A broadcast reached this instance: every subscription of its name open now fires. */
export function signalReceived(run: Run, s: Of<'signalReceived'>): Outcome {
  const matching: Array<Wait & { type: 'signal' }> = [];
  for (const key of Object.keys(run.state.waits)) {
    const wait = run.state.waits[key];
    if (wait?.type === 'signal' && wait.signalName === s.name) matching.push(wait);
  }
  if (matching.length === 0) return rejected(`no open subscription for signal '${s.name}'`);
  for (const wait of matching) {
    // An earlier trigger may have ended the subscription's owner (interrupting catch) meanwhile.
    if (run.state.waits[wait.key] !== wait || !run.state.instances[wait.ownerKey]) continue;
    fireWait(run, wait, ownVariables(s.variables));
  }
  return ACCEPTED;
}
