/**
 * Token modification, the pure entry point: `modify(model, state, instructions)` is `step` with
 * a `modify` stimulus, so its commands (cancelJob, closeUserTask, startTimer, executeJob, ...)
 * are carried out by the adapter like those of any other stimulus. Rules: modification.ts.
 */
import type { ProcessModel } from '../model/types';
import type { EvaluatorLimits } from './limits';
import { step } from './step';
import type { ModificationInstruction, State, StepResult } from './types';

export { validateModification, type ModificationProblem } from './modification';

/** Applies a modification at `time` (the state given is not changed); refused when `validateModification` finds problems. */
export function modify(
  model: ProcessModel,
  state: State,
  instructions: ModificationInstruction[],
  time: number,
  limits: EvaluatorLimits | null = null,
): StepResult {
  return step(model, state, { type: 'modify', instructions, time }, limits);
}
