/**
 * The customer's choice among the engineers offered by the process (dispatchMode "customer"):
 * only one of the offered, only while the offer waits; delivered to the process as message
 * `complaint-engineer-chosen` with `assignee`, then written on the complaint.
 */
import { randomUUID } from 'node:crypto';
import type { InstancesService } from '../instances/service';
import { Conflict, NotFound, Unprocessable } from '../domain/errors';
import { deliverMessage } from './deliver';
import type { ComplaintStore } from './store';

export function createEngineerChoice(deps: { store: ComplaintStore; instances: InstancesService }) {
  return {
    async choose(id: string, staffId: string, who: string) {
      const c = await deps.store.get(id);
      if (!c) throw new NotFound('complaint_not_found', `No complaint '${id}'`);
      const offer = c.engineerChoice;
      const notWaiting = () => new Conflict('not_awaiting_engineer_choice', `Complaint '${id}' is not waiting for the customer's choice of engineer`);
      if (!offer || offer.state !== 'waiting') throw notWaiting();
      if (!offer.offered.some((o) => o.staffId === staffId)) {
        throw new Unprocessable('engineer_not_offered', 'Choose one of the engineers offered', {
          fields: [{ path: 'staffId', message: `not one of ${offer.offered.map((o) => o.staffId).join(', ')}` }],
        });
      }
      const entryId = `choice-${randomUUID()}`;
      await deliverMessage(deps.instances, { name: 'complaint-engineer-chosen', complaintId: id, variables: { assignee: staffId }, messageId: entryId }, notWaiting);
      await deps.store.mutate(id, (doc) => ({
        set: { engineerChoice: doc.engineerChoice ? { ...doc.engineerChoice, state: 'chosen', chosenStaffId: staffId, decidedAt: new Date() } : null },
        entry: { id: entryId, who, what: 'engineer chosen by the customer' },
      }));
      return { id, staffId, state: 'chosen' as const };
    },
  };
}
