import type { Run } from '../run';
import type { Stimulus, StimulusType } from '../types';

export interface Outcome {
  accepted: boolean;
  reason?: string;
}

export const ACCEPTED: Outcome = { accepted: true };

export function rejected(reason: string): Outcome {
  return { accepted: false, reason };
}

export type StimulusHandler<T extends StimulusType> = (run: Run, stimulus: Extract<Stimulus, { type: T }>) => Outcome;
