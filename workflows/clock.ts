/**
 * Workflow time. Inside Temporal's sandbox `Date` is replaced by a deterministic clock (the
 * time of the current workflow task), so this is replay-safe; this file is the one place in
 * workflows/ that reads it, and the evaluator only ever receives time through stimuli.
 */
export function workflowNow(): number {
  // eslint-disable-next-line no-restricted-properties -- deterministic in the workflow sandbox
  return Date.now();
}
