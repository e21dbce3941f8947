/** The customer's evaluation of a resolved complaint (message complaint-evaluated). */
import { createHash, randomUUID } from 'node:crypto';
import type { z } from 'zod';
import { Conflict, DomainError, Unprocessable } from '../domain/errors';
import { toEvaluationView } from './detail';
import type { ComplaintRecord, Evaluation, StaffUpdate } from './model';
import type { EvaluationBody } from './schemas';
import type { ComplaintStore } from './store';

export interface EvaluationDeps {
  store: ComplaintStore;
  load: (id: string) => Promise<ComplaintRecord>;
  /** Delivers a message to the complaint's process; a refusal is a domain error (not waiting). */
  deliver: (c: ComplaintRecord, name: string, variables: Record<string, unknown>, messageId: string) => Promise<unknown>;
}

/**
 * The customer's evaluation; a closing one (4-5 stars) is refused while a commitment is open.
 * Stored before the message that closes the complaint is delivered (marked `pending` until
 * then), so a complaint can never close without its evaluation record; a delivery the process
 * refuses removes it again. With an Idempotency-Key the evaluation id follows from the key, so
 * a retry finds the stored evaluation and only (re)delivers it: the message id is the
 * evaluation id, which the process deduplicates.
 */
export async function evaluateComplaint(deps: EvaluationDeps, id: string, body: z.output<typeof EvaluationBody>, idempotencyKey?: string) {
  const { store, load, deliver } = deps;
  const c = await load(id);
  const evaluationId = idempotencyKey
    ? `evl-${createHash('sha256').update(`${id}\u0000${idempotencyKey}`).digest('hex').slice(0, 32)}`
    : `evl-${randomUUID()}`;
  const earlier = c.evaluations.find((e) => e.id === evaluationId);
  if (earlier && earlier.state !== 'pending') return toEvaluationView(earlier);
  if (!earlier) {
    if (c.status !== 'awaiting_evaluation') throw new Conflict('not_awaiting_evaluation', `Complaint '${id}' is ${c.status}, not awaiting an evaluation`);
    const open = c.commitments.filter((m) => m.status === 'open');
    if (body.stars >= 4 && open.length > 0) {
      throw new Conflict('open_commitments', 'The complaint cannot close while commitments to the customer are open', { commitments: open.map((m) => m.id) });
    }
  }
  // Only the engineer who served this complaint can be rated (the name comes from the complaint).
  if (!earlier && body.engineerId !== undefined && body.engineerId !== c.engineer) {
    throw new Unprocessable('engineer_not_served', 'Only the engineer who served this complaint can be rated',
      { fields: [{ path: 'engineerId', message: 'not the engineer who served this complaint' }] });
  }
  // The evaluation counts for the engineer who served the complaint, named or not (decision 0045).
  const evaluation: Evaluation = earlier
    ?? { id: evaluationId, stars: body.stars, tags: body.tags, comment: body.comment ?? null, engineerId: c.engineer, at: new Date(), state: 'pending' };
  // 1. Stored first: if this write fails, nothing reached the process.
  if (!earlier) {
    await store.mutate(id, (doc) => (doc.evaluations.some((e) => e.id === evaluation.id) ? null : { set: { evaluations: [...doc.evaluations, evaluation] } }));
  }
  // 2. Delivered; refused (not waiting any more) takes the stored record back.
  try {
    await deliver(c, 'complaint-evaluated', { stars: evaluation.stars, evaluationTags: evaluation.tags }, evaluation.id);
  } catch (err) {
    if (err instanceof DomainError) {
      await store.mutate(id, (doc) => ({ set: { evaluations: doc.evaluations.filter((e) => e.id !== evaluation.id) } }));
    }
    throw err;
  }
  // 3. Delivered: the timeline entry and the named engineer's satisfaction, applied once.
  const staffUpdate: StaffUpdate | null = evaluation.engineerId
    ? {
      id: `${evaluation.id}:stars`, staffId: evaluation.engineerId, kind: 'evaluation', amount: evaluation.stars, state: 'pending', claimedAt: null,
      review: { tags: evaluation.tags, comment: evaluation.comment, at: evaluation.at },
    }
    : null;
  // Created claimed by this request, which applies it right after (no claim of its own).
  let created: StaffUpdate[] = [];
  const delivered = await store.mutate(id, (doc, at) => {
    created = staffUpdate && !(doc.staffUpdates ?? []).some((u) => u.id === staffUpdate.id) ? [{ ...staffUpdate, ...store.createdAs(at) }] : [];
    return {
      set: {
        evaluations: [...doc.evaluations.filter((e) => e.id !== evaluation.id), { ...evaluation, state: 'delivered' }],
        ...(created.length ? { staffUpdates: [...(doc.staffUpdates ?? []), ...created] } : {}),
      },
      entry: { id: evaluation.id, who: `customer:${doc.customerId}`, what: `evaluated with ${evaluation.stars} star(s)` },
    };
  });
  // The evaluation is delivered and stored: a directory failure must not fail the request (a
  // retry would evaluate twice). The update goes back to pending and the process's next record
  // on this complaint (close or reopen, which follow at once) applies it.
  // The document the mutation returned says what else is claimable: no read for it.
  if (staffUpdate && delivered) await store.applyStaffUpdates(id, delivered, created).catch(() => undefined);
  return toEvaluationView(evaluation);
}
