/**
 * The replay dry run of a migration (decision 0053): an instance's recorded stimuli replayed
 * on the target version beside its own, pure (no I/O, no clock).
 */
export { replayDryRun } from './replay';
export type { ReplayReport, Divergence } from './replay';
export type { Mismatch } from './compare';
export type { RecordedHistory, RecordedRun, RecordedInput, StimulusBody } from './recorded';
