/**
 * Temporal client errors as HTTP errors: an update rejected by its validator carries an
 * ApplicationFailure whose type says why (NotFound / Conflict / InvalidArgument / TooLarge).
 */
import { WorkflowNotFoundError, WorkflowUpdateFailedError } from '@temporalio/client';
import { ApplicationFailure } from '@temporalio/common';
import { RejectionType } from '../../../workflows/processInstance/messages';
import { HttpError } from '../../http/errors';

export function instanceNotFound(id: string): HttpError {
  return new HttpError(404, 'not_found', `No process instance '${id}'`);
}

export function toHttpError(err: unknown, instanceId: string): unknown {
  if (err instanceof WorkflowNotFoundError) return instanceNotFound(instanceId);
  if (err instanceof WorkflowUpdateFailedError && err.cause instanceof ApplicationFailure) {
    const { type, message } = err.cause;
    if (type === RejectionType.notFound) return new HttpError(404, 'not_found', message);
    if (type === RejectionType.conflict) return new HttpError(409, 'conflict', message);
    if (type === RejectionType.invalid) return new HttpError(400, 'invalid_request', message);
    if (type === RejectionType.tooLarge) return new HttpError(413, 'payload_too_large', message);
  }
  // An update against a closed workflow.
  if (err instanceof Error && /workflow execution already completed/i.test(err.message)) {
    return new HttpError(409, 'instance_closed', `Process instance '${instanceId}' has already ended`);
  }
  return err;
}
