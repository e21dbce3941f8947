/**
 * Four-eyes publishing: a deployment that would replace a shipped process, or a process with
 * running instances, with new content is not deployed at once. It is stored as a proposal
 * (202); another user with a publishing role (designer, admin) approves it, which deploys it
 * (201), or rejects it. The proposer cannot approve their own. Every step is kept on the
 * proposal (who, when) and logged: the audit trail (collection `definition_proposals`).
 * The service's own start-up deployment of the shipped processes does not pass here.
 * Its routes: fourEyesRouter.ts.
 */
import { randomUUID } from 'node:crypto';
import { Schema, type Connection, type Model } from 'mongoose';
import { z } from 'zod';
import { Conflict, Forbidden, NotFound } from '../domain/errors';
import type { Logger } from '../log';
import type { DefinitionsService, DeployOutcome } from './service';

export interface ProposalRecord {
  _id: string;
  /** The document as proposed (UTF-8 text; the deployment re-checks it). */
  xml: string;
  resourceName: string | null;
  /** The processes it replaces, with the version each was at. */
  replaces: Array<{ key: string; version: number; reason: 'shipped' | 'live' }>;
  status: 'pending' | 'approved' | 'rejected';
  proposedBy: string;
  proposedAt: Date;
  decidedBy: string | null;
  decidedAt: Date | null;
  /** The versions the approval deployed. */
  deployed: Array<{ key: string; version: number }>;
}

const proposalSchema = new Schema<ProposalRecord>({
  _id: { type: String, required: true },
  xml: { type: String, required: true },
  resourceName: { type: String, default: null },
  replaces: [{ _id: false, key: String, version: Number, reason: String }],
  status: { type: String, required: true },
  proposedBy: { type: String, required: true },
  proposedAt: { type: Date, required: true },
  decidedBy: { type: String, default: null },
  decidedAt: { type: Date, default: null },
  deployed: [{ _id: false, key: String, version: Number }],
}, { collection: 'definition_proposals', versionKey: false });

function proposalModel(connection: Connection): Model<ProposalRecord> {
  return (connection.models.DefinitionProposal as Model<ProposalRecord> | undefined) ?? connection.model<ProposalRecord>('DefinitionProposal', proposalSchema);
}

export const ProposalView = z.object({
  id: z.string(),
  status: z.enum(['pending', 'approved', 'rejected']),
  replaces: z.array(z.object({ key: z.string(), version: z.number(), reason: z.enum(['shipped', 'live']) })),
  proposedBy: z.string(),
  proposedAt: z.string(),
  decidedBy: z.string().nullable(),
  decidedAt: z.string().nullable(),
  deployed: z.array(z.object({ key: z.string(), version: z.number() })),
}).meta({ id: 'DefinitionProposal' });

const toView = (p: ProposalRecord): z.infer<typeof ProposalView> => ({
  id: p._id, status: p.status, replaces: p.replaces, proposedBy: p.proposedBy, proposedAt: p.proposedAt.toISOString(),
  decidedBy: p.decidedBy, decidedAt: p.decidedAt?.toISOString() ?? null, deployed: p.deployed,
});

export function createFourEyes(deps: {
  mongo: Connection;
  definitions: DefinitionsService;
  /** Keys the service ships (server/complaints/shippedProcesses.ts). */
  shippedKeys: ReadonlySet<string>;
  /** Whether a key has running instances. */
  isLive: (key: string) => Promise<boolean>;
  log?: Logger;
}) {
  const proposals = proposalModel(deps.mongo);

  return {
    /** The processes of a document that need a second person, with why; [] = deploy at once. */
    async reviewNeeded(bytes: Buffer): Promise<ProposalRecord['replaces']> {
      const replaced = await deps.definitions.replacements(bytes);
      const needed: ProposalRecord['replaces'] = [];
      for (const r of replaced) {
        if (deps.shippedKeys.has(r.key)) needed.push({ ...r, reason: 'shipped' });
        else if (await deps.isLive(r.key)) needed.push({ ...r, reason: 'live' });
      }
      return needed;
    },

    async propose(bytes: Buffer, resourceName: string | undefined, replaces: ProposalRecord['replaces'], proposedBy: string) {
      const record: ProposalRecord = {
        _id: `dpr-${randomUUID()}`, xml: bytes.toString('utf8'), resourceName: resourceName ?? null, replaces,
        status: 'pending', proposedBy, proposedAt: new Date(), decidedBy: null, decidedAt: null, deployed: [],
      };
      await proposals.create(record);
      deps.log?.info({ proposal: record._id, replaces, proposedBy }, 'definition change proposed (four-eyes)');
      return toView(record);
    },

    async list() {
      return (await proposals.find({}).select({ xml: 0 }).sort({ proposedAt: -1 }).limit(100).lean()).map((p) => toView({ ...p, xml: '' }));
    },

    /** Deploys a pending proposal; only someone other than the proposer. */
    async approve(id: string, approver: string): Promise<{ proposal: z.infer<typeof ProposalView>; outcome: DeployOutcome }> {
      const pending = await proposals.findById(id).lean();
      if (!pending) throw new NotFound('proposal_not_found', `No proposal '${id}'`);
      if (pending.status !== 'pending') throw new Conflict('proposal_decided', `Proposal '${id}' is already ${pending.status}`);
      if (pending.proposedBy === approver) throw new Forbidden('four_eyes', 'A change to a shipped or live process needs another person to approve it');
      // Claim it first: two approvers at once deploy it once.
      const claimed = await proposals.findOneAndUpdate({ _id: id, status: 'pending' }, { $set: { status: 'approved', decidedBy: approver, decidedAt: new Date() } }, { returnDocument: 'after' }).lean();
      if (!claimed) throw new Conflict('proposal_decided', `Proposal '${id}' was decided meanwhile`);
      let outcome: DeployOutcome;
      try {
        outcome = await deps.definitions.deploy({ bytes: Buffer.from(pending.xml, 'utf8'), ...(pending.resourceName ? { resourceName: pending.resourceName } : {}) });
      } catch (err) {
        await proposals.updateOne({ _id: id }, { $set: { status: 'pending', decidedBy: null, decidedAt: null } });
        throw err;
      }
      const deployed = outcome.deployed.map((d) => ({ key: d.record.key, version: d.record.version }));
      await proposals.updateOne({ _id: id }, { $set: { deployed } });
      deps.log?.info({ proposal: id, deployed, proposedBy: pending.proposedBy, approvedBy: approver }, 'definition change approved and deployed (four-eyes)');
      return { proposal: toView({ ...claimed, deployed }), outcome };
    },

    async reject(id: string, who: string) {
      const decided = await proposals.findOneAndUpdate({ _id: id, status: 'pending' }, { $set: { status: 'rejected', decidedBy: who, decidedAt: new Date() } }, { returnDocument: 'after' }).lean();
      if (!decided) {
        const exists = await proposals.exists({ _id: id });
        throw exists ? new Conflict('proposal_decided', `Proposal '${id}' is already decided`) : new NotFound('proposal_not_found', `No proposal '${id}'`);
      }
      deps.log?.info({ proposal: id, rejectedBy: who }, 'definition change rejected (four-eyes)');
      return toView(decided);
    },
  };
}

export type FourEyes = ReturnType<typeof createFourEyes>;
