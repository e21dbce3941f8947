/**
 * The complaints domain: intake (idempotent, starts the complaint-handling process),
 * reading complaints with their tasks, and the customer's and agents' actions that feed the
 * running process (evaluations and reopen requests as messages, commitments as processes
 * of their own).
 */
import { createHash, randomUUID } from 'node:crypto';
import { trusted } from 'mongoose';
import type { z } from 'zod';
import { Conflict, DomainError, NotFound } from '../domain/errors';
import type { InstancesService } from '../instances/service';
import { createdWithin } from '../tasks/workOrderSearch';
import type { ProjectionModels } from '../projections/models';
import type { ComplaintRecord } from './model';
import type { CommitmentBody, ComplaintListQuery, EvaluationBody, IntakeBody } from './schemas';
import { deliverMessage } from './deliver';
import { complaintDetail, toComplaintView } from './detail';
import { evaluateComplaint } from './evaluation';
import type { ComplaintStore } from './store';
import { entryBy, type Actor } from './evidence';
import type { PolicyNames } from './slaNames';
import { formatComplaintNumber, parseComplaintNumber } from '../domain/complaintNumber';
import { createComplaintNumbers, type ComplaintNumbers } from './numbers';

export { toComplaintView };

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
  /** The names of a definition version's SLA policies (the SLA card names its clock). */
  policyNames?: PolicyNames;
  /** Where complaint numbers come from (numbers.ts); by default the store's database. */
  numbers?: ComplaintNumbers;
}

/** The workflow id of a complaint's process: `cmp-<uuid>` → `pi-<uuid>` (random, like the complaint id). */
export const processInstanceIdOf = (complaintId: string) => `pi-${complaintId.replace(/^cmp-/, '')}`;

/** The complaint list's text search: the title, or the complaint's number. */
function textFilter(q: string): Record<string, unknown> {
  const title = new RegExp(escapeRegex(q), 'i');
  const n = parseComplaintNumber(q);
  return n === null ? { title } : { $or: [{ title }, { number: formatComplaintNumber(n) }] };
}

export const notFound = (id: string) => new NotFound('complaint_not_found', `No complaint '${id}'`);
const escapeRegex = (s: string) => s.replace(/[.*+?^${}()|[\]\\]/g, '\\$&');


export function createComplaintsService(deps: ComplaintsServiceDeps) {
  const { store, instances, projections } = deps;
  const { complaints, intakeKeys, taskComments } = store.models;
  const numbers = deps.numbers ?? createComplaintNumbers(complaints.db);

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
          complaintId: c._id, complaintNumber: c.number ?? null, channel: c.channel, customerTier: c.customerTier,
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
      // The number is taken before the first write, so the key document can carry it: a retry
      // that finds the key without its complaint files the complaint with the same number.
      let number = await numbers.allocate(id);
      if (idempotencyKey) {
        // Insert-first: the key document decides which complaint id (and number) the key stands for.
        const keyId = createHash('sha256').update(`${body.customer.id}\u0000${idempotencyKey}`).digest('hex');
        try {
          await intakeKeys.create({ _id: keyId, complaintId: id, number, createdAt: new Date() });
        } catch (err) {
          if ((err as { code?: number }).code !== 11000) throw err;
          const claim = await intakeKeys.findById(keyId).lean();
          if (!claim) throw new Conflict('intake_in_progress', 'A request with this Idempotency-Key is still being processed; retry');
          const existing = await store.get(claim.complaintId);
          if (existing) return { complaint: await startProcess(existing), created: false };
          // The first request holds the key but its complaint is not written: it is either still
          // on its way or died in between (crash, database gone). This request files the complaint
          // under the key's id and number; the insert with that `_id` decides which of the two
          // writes it, so the key never stays without its complaint and there is never a second
          // one. (The number this request took stays unused: a gap, never a duplicate.)
          id = claim.complaintId;
          // A key written before complaint numbers: the number this request took.
          if (claim.number) number = claim.number;
        }
      }
      const customerTier = (await deps.customerTier?.(body.customer.id)) ?? 'standard';
      let complaint: ComplaintRecord;
      try {
        complaint = await store.create({
          _id: id, number, instanceId: processInstanceIdOf(id), channel: body.channel, customerId: body.customer.id, customerTier,
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
        // No text index on FerretDB: an escaped, case-insensitive regex on the (capped) title
        // text; a text that names a complaint number (`C-000123`, `c123`) also finds that complaint.
        ...(query.q ? textFilter(query.q) : {}),
        ...createdWithin(query),
      };
      const [items, total] = await Promise.all([
        complaints.find(filter).sort({ createdAt: -1, _id: 1 }).skip((query.page - 1) * query.pageSize).limit(query.pageSize).lean<ComplaintRecord[]>(),
        complaints.countDocuments(filter),
      ]);
      return { items: items.map(toComplaintView), total };
    },

    /**
     * The complaint with its whole timeline, tasks, clocks and comments; `known` spares the read
     * of a record the caller holds (intake). `justFiled`: `known` was filed by this request, so
     * nothing is appended beside it yet and its timeline is what it holds (no read for it).
     */
    async detail(id: string, known?: ComplaintRecord, justFiled = false) {
      const c = known?._id === id ? known : await load(id);
      const timeline = justFiled && c === known ? null : store.models.timeline;
      return complaintDetail({ projections, taskComments, timeline, ...(deps.policyNames ? { policyNames: deps.policyNames } : {}) }, c);
    },

    /** The customer's evaluation (evaluation.ts). */
    evaluate: (id: string, body: z.output<typeof EvaluationBody>, idempotencyKey?: string) => evaluateComplaint({ store, load, deliver }, id, body, idempotencyKey),

    /** `name`: the staff member's name from the session (audited on the timeline). */
    async reopen(id: string, reason: string, who: string, name?: string) {
      const c = await load(id);
      if (c.status !== 'awaiting_evaluation') throw new Conflict('not_awaiting_evaluation', `Complaint '${id}' is ${c.status}; only a resolved complaint awaiting evaluation can be reopened`);
      const entryId = `reopen-${randomUUID()}`;
      await deliver(c, 'complaint-reopen-requested', {}, entryId);
      // An entry that changes nothing else on the complaint: appended beside it (decision 0060).
      await store.append(id, { id: entryId, who, ...(name ? { name } : {}), what: `reopen requested: ${reason}` });
    },

    /** Records a commitment and starts its own `commitment-fulfilment` process (a task for the owner department). */
    /** `actor`: who promised it, from the session (the owner department keeps it; it did not make it). */
    async addCommitment(id: string, body: z.output<typeof CommitmentBody>, actor?: Actor) {
      const c = await load(id);
      if (c.status === 'closed') throw new Conflict('complaint_closed', `Complaint '${id}' is closed`);
      const commitment = {
        id: `cmt-${randomUUID()}`, kind: body.kind, description: body.description, dueAt: new Date(body.dueAt),
        ownerDepartment: body.ownerDepartment, status: 'open' as const, instanceId: null, createdAt: new Date(), fulfilledAt: null,
        ...(actor ? { by: actor.who, byName: actor.name } : {}),
      };
      await store.mutate(id, (doc) => ({
        set: { commitments: [...doc.commitments, commitment] },
        entry: { id: commitment.id, ...(actor ? entryBy(actor) : { who: body.ownerDepartment }), what: `commitment made: ${body.kind}` },
      }));
      const { instanceId } = await instances.start('commitment-fulfilment', {
        businessKey: commitment.id,
        variables: { complaintId: id, complaintNumber: c.number ?? null, commitmentId: commitment.id, ownerDepartment: body.ownerDepartment, dueAt: commitment.dueAt.toISOString(), kind: body.kind },
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
