/**
 * The complaints domain: intake (idempotent, starts the complaint-handling process),
 * reading complaints with their tasks, and the customer's and agents' actions that feed the
 * running process (evaluations and reopen requests as messages, commitments as processes
 * of their own).
 */
import { createHash, randomUUID } from 'node:crypto';
import { trusted } from 'mongoose';
import type { z } from 'zod';
import { Conflict, DomainError, NotFound, Unprocessable } from '../domain/errors';
import type { InstancesService } from '../instances/service';
import { toTaskView } from '../tasks/service';
import { apiClockFromRecord } from '../instances/slaView';
import type { ProjectionModels } from '../projections/models';
import type { ComplaintRecord, Evaluation, StaffUpdate } from './model';
import type { CommitmentBody, ComplaintListQuery, EvaluationBody, IntakeBody } from './schemas';
import { deliverMessage } from './deliver';
import { departmentWork } from './departmentWork';
import { toAppointmentView } from './appointments';
import type { ComplaintStore } from './store';

export interface ComplaintsConfig {
  /** COMPENSATION_AUTO_APPROVE_LIMIT: compensation below it needs no supervisor approval. */
  compensationAutoApproveLimit: number;
  /** DISPATCH_MODE: who picks the engineer when the intake does not say. */
  dispatchMode: 'auto' | 'customer';
  /** ENGINEER_CHOICE_TIMEOUT (ISO 8601): the wait for the customer's choice. */
  engineerChoiceTimeout: string;
}

export interface ComplaintsServiceDeps {
  store: ComplaintStore;
  instances: InstancesService;
  projections: ProjectionModels;
  config: ComplaintsConfig;
  /**
   * The customer's tier from the directory (undefined: not in the directory, so 'standard').
   * Identity fields never come from the request: a tier given at intake is ignored.
   */
  customerTier?: (customerId: string) => Promise<string | undefined>;
}

/** The workflow id of a complaint's process: `cmp-<uuid>` → `pi-<uuid>` (random, like the complaint id). */
export const processInstanceIdOf = (complaintId: string) => `pi-${complaintId.replace(/^cmp-/, '')}`;

export const notFound = (id: string) => new NotFound('complaint_not_found', `No complaint '${id}'`);
const escapeRegex = (s: string) => s.replace(/[.*+?^${}()|[\]\\]/g, '\\$&');
const iso = (d: Date | string | null | undefined) => (d ? new Date(d).toISOString() : null);

/** Ascending by a time, then `_id`: the order the `$in` queries sorted by. */
const byTime = <T extends { _id: unknown }>(at: (doc: T) => Date | string | number | null | undefined) => (a: T, b: T) =>
  (new Date(at(a) ?? 0).getTime() - new Date(at(b) ?? 0).getTime()) || String(a._id).localeCompare(String(b._id));

async function eachInstance<T>(instanceIds: string[], read: (instanceId: string) => Promise<T[]>, order: (a: T, b: T) => number): Promise<T[]> {
  return (await Promise.all(instanceIds.map(read))).flat().sort(order);
}

/** An evaluation as the API shows it (without the delivery state). */
const toEvaluationView = ({ state: _state, ...e }: Evaluation) => ({ ...e, at: new Date(e.at).toISOString() });

export function toComplaintView(c: ComplaintRecord) {
  return {
    id: c._id, status: c.status, channel: c.channel, customerId: c.customerId, product: c.product, title: c.title,
    category: c.category, severity: c.severity, departments: c.departments, engineer: c.engineer,
    instanceId: c.instanceId, reopenCount: c.reopenCount, createdAt: c.createdAt.toISOString(),
  };
}

export function createComplaintsService(deps: ComplaintsServiceDeps) {
  const { store, instances, projections } = deps;
  const { complaints, intakeKeys, taskComments } = store.models;

  async function load(id: string): Promise<ComplaintRecord> {
    const doc = await store.get(id);
    if (!doc) throw notFound(id);
    return doc;
  }

  /**
   * Starts the complaint's process, idempotently: its instance id follows from the complaint id
   * (`cmp-<uuid>` → `pi-<uuid>`) and is written with the complaint itself, so a retried intake
   * can never start a second lifecycle, and filing needs no second write of the complaint.
   */
  async function startProcess(c: ComplaintRecord): Promise<ComplaintRecord> {
    const instanceId = processInstanceIdOf(c._id);
    // A complaint of an earlier version whose start succeeded under a random id.
    if (c.instanceId && c.instanceId !== instanceId) return c;
    try {
      await instances.start('complaint-handling', {
        businessKey: c._id,
        // Ids, codes and the dispatch criteria only: the title and description stay in the
        // complaints collection, out of workflow history. Every variable the diagram reads is set
        // (null when unknown): FEEL on a missing variable is an incident.
        variables: {
          complaintId: c._id, channel: c.channel, customerTier: c.customerTier,
          customerId: c.customerId, product: c.product,
          location: c.location ? { lat: c.location.lat, lon: c.location.lon } : null,
          onSite: false,
          compensationAutoApproveLimit: deps.config.compensationAutoApproveLimit,
          compensationAmount: 0, reopenCount: 0, assignee: null, recommendations: [], stars: null,
          // Codes only: the address itself stays on the complaint (complaint.notify-customer reads it).
          notifyChannel: c.contact?.email ? 'email' : 'none',
          dispatchMode: c.dispatchMode ?? 'auto',
          engineerChoiceTimeout: deps.config.engineerChoiceTimeout,
        },
      }, { instanceId });
    } catch (err) {
      // Held by an instance of an earlier version (random id) for this complaint: that one is its process.
      const running = (err as DomainError).details?.instanceId;
      if (!(err instanceof DomainError && err.code === 'business_key_in_use' && typeof running === 'string')) throw err;
      return (await store.mutate(c._id, () => ({ set: { instanceId: running } }))) ?? c;
    }
    if (c.instanceId === instanceId) return c;
    return (await store.mutate(c._id, () => ({ set: { instanceId } }))) ?? c;
  }

  /**
   * Delivers a message to the complaint's process. The status is written by the process just
   * before its event-based gateway subscribes, so a miss right after that is projection lag:
   * retried briefly. Anything else (wrong state) is the caller's 409.
   */
  function deliver(c: ComplaintRecord, name: string, variables: Record<string, unknown>, messageId: string) {
    return deliverMessage(instances, { name, complaintId: c._id, variables, messageId },
      () => new Conflict('not_awaiting_evaluation', `Complaint '${c._id}' is not waiting for the customer`));
  }

  return {
    async intake(body: z.output<typeof IntakeBody>, idempotencyKey?: string): Promise<{ complaint: ComplaintRecord; created: boolean }> {
      let id = `cmp-${randomUUID()}`;
      if (idempotencyKey) {
        // Insert-first: the key document decides which complaint id the key stands for.
        const keyId = createHash('sha256').update(`${body.customer.id}\u0000${idempotencyKey}`).digest('hex');
        try {
          await intakeKeys.create({ _id: keyId, complaintId: id, createdAt: new Date() });
        } catch (err) {
          if ((err as { code?: number }).code !== 11000) throw err;
          const claim = await intakeKeys.findById(keyId).lean();
          if (!claim) throw new Conflict('intake_in_progress', 'A request with this Idempotency-Key is still being processed; retry');
          const existing = await store.get(claim.complaintId);
          if (existing) return { complaint: await startProcess(existing), created: false };
          // The first request holds the key but its complaint is not written: it is either still
          // on its way or died in between (crash, database gone). This request files the complaint
          // under the key's id; the insert with that `_id` decides which of the two writes it, so
          // the key never stays without its complaint and there is never a second one.
          id = claim.complaintId;
        }
      }
      const customerTier = (await deps.customerTier?.(body.customer.id)) ?? 'standard';
      let complaint: ComplaintRecord;
      try {
        complaint = await store.create({
          _id: id, instanceId: processInstanceIdOf(id), channel: body.channel, customerId: body.customer.id, customerTier,
          product: body.product, title: body.title, description: body.description,
          location: body.location ? { lat: body.location.lat, lon: body.location.lon, address: body.location.address ?? null } : null,
          photos: body.photos ?? [],
          contact: body.contact ? { email: body.contact.email ?? null, phone: body.contact.phone ?? null } : null,
          dispatchMode: body.dispatchMode ?? deps.config.dispatchMode,
        });
      } catch (err) {
        if ((err as { code?: number }).code !== 11000) throw err;
        const existing = await store.get(id); // the other request of this key wrote it first
        if (!existing) throw err;
        return { complaint: await startProcess(existing), created: false };
      }
      return { complaint: await startProcess(complaint), created: true };
    },

    async list(query: z.output<typeof ComplaintListQuery>, scope: { customerId?: string } = {}) {
      const filter = {
        ...(scope.customerId ? { customerId: scope.customerId } : {}),
        ...(query.status ? { status: query.status } : {}),
        ...(query.severity ? { severity: query.severity } : {}),
        ...(query.department ? { departments: query.department } : {}),
        ...(query.engineer ? { engineer: query.engineer } : {}),
        // No text index on FerretDB: an escaped, case-insensitive regex on the (capped) title text.
        ...(query.q ? { title: new RegExp(escapeRegex(query.q), 'i') } : {}),
      };
      const [items, total] = await Promise.all([
        complaints.find(filter).sort({ createdAt: -1, _id: 1 }).skip((query.page - 1) * query.pageSize).limit(query.pageSize).lean<ComplaintRecord[]>(),
        complaints.countDocuments(filter),
      ]);
      return { items: items.map(toComplaintView), total };
    },

    /** The complaint with its tasks, clocks and comments; `known` spares the read of a record the caller holds (intake). */
    async detail(id: string, known?: ComplaintRecord) {
      const c = known?._id === id ? known : await load(id);
      const instanceIds = [c.instanceId, ...c.commitments.map((m) => m.instanceId)].filter((x): x is string => Boolean(x));
      // One equality read per instance, side by side: FerretDB answers those from an index, an `$in` by reading the collection.
      const [tasks, clocks, comments] = await Promise.all([
        eachInstance(instanceIds, (instanceId) => projections.tasks.find({ instanceId }).lean(), byTime((t) => t.createdAt)),
        eachInstance(instanceIds, (instanceId) => projections.sla.clocks.find({ instanceId }).lean(), byTime((k) => k.startedAt)),
        eachInstance(instanceIds, (instanceId) => taskComments.find({ instanceId }).lean(), byTime((m) => m.at)),
      ]);
      const taskViews = tasks.map(toTaskView);
      return {
        ...toComplaintView(c),
        description: c.description,
        location: c.location,
        photos: c.photos,
        timeline: c.timeline.map((e) => ({ who: e.who, what: e.what, when: e.when.toISOString() })),
        // Every department's view: its role and its tasks (only this complaint's own instance, not commitments').
        departmentWork: departmentWork(c, taskViews.filter((t) => t.instanceId === c.instanceId)),
        tasks: taskViews.map((t) => ({ ...t, comments: comments.filter((m) => m.taskId === t.id).map((m) => ({ author: m.author, text: m.text, at: m.at.toISOString() })) })),
        commitments: c.commitments.map((m) => ({ ...m, dueAt: m.dueAt.toISOString(), createdAt: m.createdAt.toISOString(), fulfilledAt: m.fulfilledAt?.toISOString() ?? null })),
        evaluations: c.evaluations.map(toEvaluationView),
        slaClocks: clocks.map((k) => apiClockFromRecord(k, Date.now())),
        attachments: c.attachments.map((a) => ({
          ...a, takenAt: a.takenAt?.toISOString() ?? null, uploadedAt: a.uploadedAt.toISOString(), href: `/api/complaints/${c._id}/attachments/${a.id}`,
        })),
        contact: c.contact ?? null,
        dispatchMode: c.dispatchMode ?? 'auto',
        // Why these engineers: the dispatch's recommendations with their reasons (staff; the customer view keeps the engineer's own).
        appointment: toAppointmentView(c.appointment),
        dispatch: c.dispatch ? { recommended: c.dispatch.recommended, recommendedAt: iso(c.dispatch.recommendedAt) } : null,
        engineerChoice: c.engineerChoice
          ? { ...c.engineerChoice, offeredAt: iso(c.engineerChoice.offeredAt), decidedAt: iso(c.engineerChoice.decidedAt) }
          : null,
      };
    },

    /**
     * The customer's evaluation; a closing one (4-5 stars) is refused while a commitment is open.
     * Stored before the message that closes the complaint is delivered (marked `pending` until
     * then), so a complaint can never close without its evaluation record; a delivery the process
     * refuses removes it again. With an Idempotency-Key the evaluation id follows from the key, so
     * a retry finds the stored evaluation and only (re)delivers it: the message id is the
     * evaluation id, which the process deduplicates.
     */
    async evaluate(id: string, body: z.output<typeof EvaluationBody>, idempotencyKey?: string) {
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
      await store.mutate(id, (doc) => ({
        set: {
          evaluations: [...doc.evaluations.filter((e) => e.id !== evaluation.id), { ...evaluation, state: 'delivered' }],
          ...(staffUpdate && !(doc.staffUpdates ?? []).some((u) => u.id === staffUpdate.id) ? { staffUpdates: [...(doc.staffUpdates ?? []), staffUpdate] } : {}),
        },
        entry: { id: evaluation.id, who: `customer:${doc.customerId}`, what: `evaluated with ${evaluation.stars} star(s)` },
      }));
      // The evaluation is delivered and stored: a directory failure must not fail the request (a
      // retry would evaluate twice). The update stays pending and the process's next record on
      // this complaint (close or reopen, which follow at once) applies it.
      if (staffUpdate) await store.applyStaffUpdates(id).catch(() => undefined);
      return toEvaluationView(evaluation);
    },

    async reopen(id: string, reason: string, who: string) {
      const c = await load(id);
      if (c.status !== 'awaiting_evaluation') throw new Conflict('not_awaiting_evaluation', `Complaint '${id}' is ${c.status}; only a resolved complaint awaiting evaluation can be reopened`);
      const entryId = `reopen-${randomUUID()}`;
      await deliver(c, 'complaint-reopen-requested', {}, entryId);
      await store.mutate(id, () => ({ entry: { id: entryId, who, what: `reopen requested: ${reason}` } }));
    },

    /** Records a commitment and starts its own `commitment-fulfilment` process (a task for the owner department). */
    async addCommitment(id: string, body: z.output<typeof CommitmentBody>) {
      const c = await load(id);
      if (c.status === 'closed') throw new Conflict('complaint_closed', `Complaint '${id}' is closed`);
      const commitment = {
        id: `cmt-${randomUUID()}`, kind: body.kind, description: body.description, dueAt: new Date(body.dueAt),
        ownerDepartment: body.ownerDepartment, status: 'open' as const, instanceId: null, createdAt: new Date(), fulfilledAt: null,
      };
      await store.mutate(id, (doc) => ({
        set: { commitments: [...doc.commitments, commitment] },
        entry: { id: commitment.id, who: body.ownerDepartment, what: `commitment made: ${body.kind}` },
      }));
      const { instanceId } = await instances.start('commitment-fulfilment', {
        businessKey: commitment.id,
        variables: { complaintId: id, commitmentId: commitment.id, ownerDepartment: body.ownerDepartment, dueAt: commitment.dueAt.toISOString(), kind: body.kind },
      });
      await store.mutate(id, (doc) => ({ set: { commitments: doc.commitments.map((m) => (m.id === commitment.id ? { ...m, instanceId } : m)) } }));
      return { ...commitment, instanceId, dueAt: body.dueAt, createdAt: commitment.createdAt.toISOString() };
    },

    /**
     * Starts the process of every complaint filed at least `olderThanMs` ago that is still
     * `open` and has no workflow: its intake wrote the complaint and then died (process killed,
     * Temporal or the database unreachable) before the start. Run by the reconciler (decision
     * 0025); the derived workflow id and REJECT_DUPLICATE make a start racing the intake's own
     * harmless. Returns how many it started.
     */
    async resumeIntakes(olderThanMs = 30_000): Promise<number> {
      const waiting = await complaints.find({ status: 'open', createdAt: trusted({ $lt: new Date(Date.now() - olderThanMs) }) })
        .select({ _id: 1, instanceId: 1 }).limit(500).lean<Array<Pick<ComplaintRecord, '_id' | 'instanceId'>>>();
      let started = 0;
      for (const c of waiting) {
        if (await instances.exists(c.instanceId ?? processInstanceIdOf(c._id))) continue;
        const full = await store.get(c._id);
        if (!full) continue;
        await startProcess(full);
        started += 1;
      }
      return started;
    },

    load,
  };
}

export type ComplaintsService = ReturnType<typeof createComplaintsService>;
