import type { ModelIndex } from '../model/indexModel';
import type { ElementDef } from '../model/types';
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
 * The evaluator's dispatch table: the element lifecycle (lifecycle.ts) and the behaviour of
 * each element kind (handlers/), handed to every module through the Run instead of imported.
 * A module that describes one element kind's semantics (a handler, multi-instance, a throw, a
 * trigger) reaches the lifecycle only through it, and the lifecycle reaches the behaviours only
 * through it, so no import circle ties them together (tests/unit/evaluator/importGraph.test.ts)
 * and each reads alone. Built once, in dispatch.ts; `step` puts it into every Run.
 */
export interface Dispatch {
  /** The behaviour of the element's kind, once its inputs and the waits it owns are in place. */
  behaviour(run: Run, inst: ElementInstance, def: ElementDef, trigger: Trigger | null): void;
  /** Completes an instance: output mappings, closing its waits, its outgoing flows (`flows` overrides them). */
  complete(run: Run, inst: ElementInstance, variables: Variables, flows?: string[] | null, trigger?: Trigger | null): void;
  /** Terminates an instance and everything inside it; no flows are taken. */
  terminate(run: Run, inst: ElementInstance): void;
  /** The completion condition of an ad-hoc subprocess became true; `cancel` terminates what is still active. */
  completeAdHoc(run: Run, scope: ElementInstance, cancel: boolean): void;
}

/**
 * The working set of one `step` call: a private copy of the state that the handlers
 * mutate, the commands emitted so far and the agenda of pending work. Created per call
 * and dropped afterwards, so nothing survives between calls except the returned state.
 */
export interface Run {
  index: ModelIndex;
  /** The lifecycle and the element behaviours (see Dispatch). */
  dispatch: Dispatch;
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
