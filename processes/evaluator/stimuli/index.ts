import type { StimulusType } from '../types';
import { childCompleted, childFailed, jobCompleted, jobFailed, jobThrewError, userTaskCompleted } from './work';
import { messageReceived, signalReceived, timerFired } from './events';
import { cancel, start } from './lifecycle';
import { resolveIncident, setVariables } from './operations';
import type { StimulusHandler } from './outcome';
import { applyModification } from '../modification';

export type { Outcome } from './outcome';

/** One handler per stimulus type. */
export const STIMULI: { [T in StimulusType]: StimulusHandler<T> } = {
  start,
  jobCompleted,
  jobFailed,
  jobThrewError,
  timerFired,
  messageReceived,
  signalReceived,
  userTaskCompleted,
  childCompleted,
  childFailed,
  resolveIncident,
  setVariables,
  cancel,
  modify: applyModification,
};
