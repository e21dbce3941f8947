/**
 * An instance's recorded history as the replay dry run reads it (replay.ts): per run of the
 * workflow (continue-as-new chains, migrations), the model the run executed and the stimuli
 * its inbox applied, in order, with their workflow time. The server extracts them from the
 * engine's event history (server/api/migrations/recordedRuns.ts); this side is pure.
 */
import type { EvaluatorLimits, State, Stimulus } from '../evaluator';
import type { ProcessModel } from '../model/types';

/** A stimulus without its time (the adapter's inbox entry). */
export type StimulusBody = Stimulus extends infer S ? (S extends Stimulus ? Omit<S, 'time'> : never) : never;

export type RecordedInput =
  | { kind: 'stimulus'; time: number; body: StimulusBody }
  /**
   * A durable timer fired. The engine knows it by the run's timer sequence number only (the
   * n-th timer the run started, from 1); which evaluator timer that is follows from replaying
   * the run: its re-armed timers first, then every `startTimer` command in order.
   */
  | { kind: 'timerFired'; time: number; timerSeq: number };

export interface RecordedRun {
  /** The model this run executed (as the engine recorded it in the run's input). */
  model: ProcessModel;
  version: number;
  /** The state the run continued from; null for the first run (its first input is `start`). */
  carried: State | null;
  /** The evaluator limits of the run; null for histories recorded before them. */
  limits: EvaluatorLimits | null;
  /** A first run recorded before FEEL became null-friendly. */
  feelStrict?: boolean;
  inputs: RecordedInput[];
}

export interface RecordedHistory {
  runs: RecordedRun[];
  /** False when the history was cut (too many runs or events): the first run read is not the instance's start. */
  complete: boolean;
}
