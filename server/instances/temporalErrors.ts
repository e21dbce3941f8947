/**
 * Temporal client errors as domain errors: an update rejected by its validator carries an
 * ApplicationFailure whose type says why (NotFound / Conflict / InvalidArgument / TooLarge).
 */
import { WorkflowNotFoundError, WorkflowUpdateFailedError } from '@temporalio/client';
import { ApplicationFailure } from '@temporalio/common';
import { RejectionType } from '../../workflows/processInstance/messages';
import { Conflict, Invalid, NotFound, TooLarge } from '../domain/errors';

export function instanceNotFound(id: string): NotFound {
  return new NotFound('not_found', `No process instance '${id}'`);
}

/** The domain error a Temporal client error means, or `err` itself when it means none. */
export function fromTemporalError(err: unknown, instanceId: string): unknown {
  if (err instanceof WorkflowNotFoundError) return instanceNotFound(instanceId);
  if (err instanceof WorkflowUpdateFailedError && err.cause instanceof ApplicationFailure) {
    const { type, message } = err.cause;
    if (type === RejectionType.notFound) return new NotFound('not_found', message);
    if (type === RejectionType.conflict) return new Conflict('conflict', message);
    if (type === RejectionType.invalid) return new Invalid('invalid_request', message);
    if (type === RejectionType.tooLarge) return new TooLarge('payload_too_large', message);
  }
  // An update against a closed workflow.
  if (err instanceof Error && /workflow execution already completed/i.test(err.message)) {
    return new Conflict('instance_closed', `Process instance '${instanceId}' has already ended`);
  }
  return err;
}
