/**
 * Closing a resolved complaint without the customer's evaluation (issue 14 item 5, decision
 * 0051): a supervisor, department head or admin, with a reason, when the customer cannot be
 * reached or asked for it by phone. The diagram has no message for it, so it is a token move
 * (decision 0040) from the wait for the evaluation (`AwaitEvaluation`) to the commitment check
 * that every close goes through (`CheckCommitments`): open commitments still hold the close,
 * and the process closes it as it would after seven days. The reason and who are on the
 * complaint's timeline; the engine's history says who moved the token, not the reason's text.
 */
import { Conflict, Invalid, NotFound } from '../domain/errors';
import { randomUUID } from 'node:crypto';
import type { ModificationInstruction } from '../../processes/evaluator/types';
import { entryBy, type Actor } from './evidence';
import type { ComplaintStore } from './store';

/** Token modification of a running instance (server/api/migrations/service.ts). */
export type InstanceModifier = (instanceId: string, instructions: ModificationInstruction[], actor: string, reason: string) => Promise<unknown>;

export const STAFF_CLOSE: ModificationInstruction[] = [
  { type: 'activate', elementId: 'CheckCommitments' },
  { type: 'terminate', elementId: 'AwaitEvaluation' },
];

export function createStaffClose(deps: { store: ComplaintStore; modify?: InstanceModifier }) {
  return {
    async close(id: string, reason: string, actor: Actor) {
      const c = await deps.store.get(id);
      if (!c) throw new NotFound('complaint_not_found', `No complaint '${id}'`);
      if (c.status !== 'awaiting_evaluation') {
        throw new Conflict('not_awaiting_evaluation', `Complaint '${id}' is ${c.status}; only a resolved complaint awaiting the customer's evaluation can be closed by staff`);
      }
      if (!deps.modify || !c.instanceId) throw new Conflict('close_not_possible', `Complaint '${id}' cannot be closed here`);
      try {
        await deps.modify(c.instanceId, STAFF_CLOSE, actor.who, 'closed by staff without the customer\'s evaluation (reason on the complaint\'s timeline)');
      } catch (err) {
        // The customer answered in the meantime, or the version waits elsewhere: the state's answer, not a bad request.
        if (err instanceof Invalid || err instanceof Conflict) {
          throw new Conflict('close_not_possible', `Complaint '${id}' is no longer waiting for the customer's evaluation`);
        }
        throw err;
      }
      // The process writes the status; the reason changes nothing else, appended beside the complaint (decision 0060).
      await deps.store.append(id, { id: `close-${randomUUID()}`, ...entryBy(actor), what: `closed by staff without the customer's evaluation: ${reason}` });
      return { id, closeRequested: true };
    },
  };
}
