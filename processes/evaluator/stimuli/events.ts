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
