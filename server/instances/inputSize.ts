/**
 * A process instance's workflow input (its model and variables) travels to Temporal as one
 * payload, which Temporal refuses over 2 MB ("Blob data size exceeds limit"). Deploy bounds the
 * model (BPMN_MAX_MODEL_BYTES) and the API bounds a request body (1 MB), but a large model and
 * large variables together pass both: the start is refused here, before anything is written
 * (docs/security.md, "Execution limits").
 */
import type { ProcessInstanceInput } from '../../workflows/processInstance/types';
import { TooLarge } from '../domain/errors';

/** Temporal's default payload limit (the server's BlobSizeLimitError). */
export const TEMPORAL_BLOB_LIMIT_BYTES = 2 * 1024 * 1024;
/** Room left for the encryption (IV, tag, key id) and the payload's metadata. */
const HEADROOM_BYTES = 16 * 1024;
export const MAX_WORKFLOW_INPUT_BYTES = TEMPORAL_BLOB_LIMIT_BYTES - HEADROOM_BYTES;

const bytes = (value: unknown) => Buffer.byteLength(JSON.stringify(value) ?? '');

function tooLarge(total: number, input: ProcessInstanceInput): TooLarge {
  return new TooLarge('payload_too_large',
    `The instance's workflow input would be ${total} bytes (the model ${bytes(input.model)}, its variables ${bytes(input.variables)}); Temporal refuses more than 2 MB. ` +
    'Start it with fewer or smaller variables (keep large data elsewhere and pass its id)');
}

/** 413 when Temporal would refuse the start input; nothing has been written yet. */
export function checkStartInputSize(input: ProcessInstanceInput): void {
  const total = bytes(input);
  if (total > MAX_WORKFLOW_INPUT_BYTES) throw tooLarge(total, input);
}

/**
 * Temporal's own refusal of an oversized input (a server with a lower limit than its default):
 * the same 413 instead of a 500.
 */
export function startRefusedForSize(err: unknown, input: ProcessInstanceInput): TooLarge | null {
  if (!(err instanceof Error) || !/blob data size exceeds limit/i.test(`${err.message} ${err.cause instanceof Error ? err.cause.message : ''}`)) return null;
  return tooLarge(bytes(input), input);
}
