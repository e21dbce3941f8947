import type { ModelIndex } from '../model/indexModel';
import type { EvaluatorLimits } from './limits';
import type { Command, ElementInstance, State, Variables } from './types';

/** Payload of the event that triggered a catch element, if any. */
export interface Trigger {
  variables: Variables;
}

export type AgendaItem =
  | { op: 'activate'; key: string; trigger: Trigger | null }
  | { op: 'completeScope'; key: string };

/**
 * The working set of one `step` call: a private copy of the state that the handlers
 * mutate, the commands emitted so far and the agenda of pending work. Created per call
 * and dropped afterwards, so nothing survives between calls except the returned state.
 */
export interface Run {
  index: ModelIndex;
  state: State;
  commands: Command[];
  /** FIFO queue; processed iteratively so long chains of elements never grow the stack. */
  agenda: AgendaItem[];
  agendaHead: number;
  time: number;
  /** Set when an inclusive join may have become ready (a token arrived or left a scope). */
  inclusiveDirty: boolean;
  /** Null for histories recorded before the limits: nothing is bounded then. */
  limits: EvaluatorLimits | null;
  /** Element activations in this step (counted only with limits). */
  activations: number;
  /** Live element instances (kept only with limits). */
  live: number;
}

export function nextKey(run: Run): string {
  const key = String(run.state.nextKey);
  run.state.nextKey += 1;
  return key;
}

export function instance(run: Run, key: string | null): ElementInstance | undefined {
  return key === null ? undefined : run.state.instances[key];
}

export function history(
  run: Run,
  type: 'elementActivated' | 'elementCompleted' | 'elementTerminated',
  inst: ElementInstance,
): void {
  run.commands.push({ type, key: inst.key, elementId: inst.elementId, elementType: inst.elementType, time: run.time });
}
