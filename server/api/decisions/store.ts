/**
 * Deployed DMN decisions, versioned by decision id as Camunda 8 versions them. One document
 * per decision version, `_id` `<decisionId>:<version>`: the next version is an insert under
 * that unique `_id`, retried when another deployer won (no transactions on FerretDB, as for
 * process versions and forms). Each version carries the whole decision requirements graph
 * (the .dmn file it came from, parsed), so a decision's required decisions are evaluated
 * from the same file version. A file deployed again unchanged stores nothing new.
 */
import { Schema, type Connection, type Model } from 'mongoose';
import type { DecisionGraph } from '../../../processes/dmn';
import { Unavailable } from '../../domain/errors';

export interface DecisionVersionRecord {
  _id: string;
  decisionId: string;
  version: number;
  name: string;
  versionTag: string | null;
  /** The `<definitions>` id of its file (Camunda's decisionRequirementsId). */
  decisionRequirementsId: string;
  graph: DecisionGraph;
  /** sha256 of the canonical graph JSON: the same file content is the same version. */
  hash: string;
  xml: string;
  resourceName: string | null;
  deployedAt: Date;
}

export type DecisionVersionMeta = Omit<DecisionVersionRecord, 'graph' | 'xml'>;

const decisionSchema = new Schema<DecisionVersionRecord>({
  _id: String,
  decisionId: { type: String, required: true, index: true },
  version: { type: Number, required: true },
  name: { type: String, required: true },
  versionTag: { type: String, default: null },
  decisionRequirementsId: { type: String, required: true },
  graph: { type: Schema.Types.Mixed, required: true },
  hash: { type: String, required: true },
  xml: { type: String, required: true },
  resourceName: { type: String, default: null },
  deployedAt: { type: Date, required: true },
}, { versionKey: false, minimize: false, collection: 'decision_versions' });

/** A parsed .dmn file, ready to store. */
export interface DecisionFile {
  graph: DecisionGraph;
  hash: string;
  xml: string;
  resourceName: string | null;
}

export interface DeployedDecision {
  record: DecisionVersionRecord;
  created: boolean;
}

const META = { graph: 0, xml: 0 } as const;

export function createDecisionStore(connection: Connection) {
  const decisions = (connection.models.DecisionVersion as Model<DecisionVersionRecord> | undefined)
    ?? connection.model<DecisionVersionRecord>('DecisionVersion', decisionSchema);

  const latest = (decisionId: string) => decisions.findOne({ decisionId }).sort({ version: -1 }).lean<DecisionVersionRecord>();

  async function deployOne(file: DecisionFile, decisionId: string): Promise<DeployedDecision> {
    const decision = file.graph.decisions.find((d) => d.id === decisionId)!;
    for (let attempt = 0; attempt < 10; attempt += 1) {
      const current = await latest(decisionId);
      if (current && current.hash === file.hash) return { record: current, created: false };
      const version = (current?.version ?? 0) + 1;
      const record: DecisionVersionRecord = {
        _id: `${decisionId}:${version}`, decisionId, version, name: decision.name, versionTag: decision.versionTag ?? null,
        decisionRequirementsId: file.graph.id, graph: file.graph, hash: file.hash, xml: file.xml,
        resourceName: file.resourceName, deployedAt: new Date(),
      };
      try {
        await decisions.collection.insertOne(record as never);
        return { record, created: true };
      } catch (err) {
        if ((err as { code?: number }).code !== 11000) throw err;
      }
    }
    throw new Unavailable('deployment_contention', `Too many concurrent deployments of the decision '${decisionId}'; try again`);
  }

  return {
    latest,

    find: (decisionId: string, version: number) => decisions.findOne({ _id: `${decisionId}:${version}` }).lean<DecisionVersionRecord>(),

    /** The latest version annotated with `versionTag` (Camunda's `bindingType="versionTag"`). */
    latestTagged: (decisionId: string, versionTag: string) =>
      decisions.findOne({ decisionId, versionTag }).sort({ version: -1 }).lean<DecisionVersionRecord>(),

    /** Every version of a decision, newest first, without graph and XML. */
    versions: (decisionId: string) => decisions.find({ decisionId }, META).sort({ version: -1 }).lean<DecisionVersionMeta[]>(),

    /** The latest version of every decision id, in id order (a deployment count is small: read all metadata). */
    async latestPerDecision(): Promise<DecisionVersionMeta[]> {
      const all = await decisions.find({}, META).lean<DecisionVersionMeta[]>();
      const newest = new Map<string, DecisionVersionMeta>();
      for (const v of all) {
        const seen = newest.get(v.decisionId);
        if (!seen || seen.version < v.version) newest.set(v.decisionId, v);
      }
      return [...newest.values()].sort((a, b) => (a.decisionId < b.decisionId ? -1 : a.decisionId > b.decisionId ? 1 : 0));
    },

    /** Stores a new version of every decision of the file whose latest version has other content. */
    async deploy(file: DecisionFile): Promise<DeployedDecision[]> {
      const deployed: DeployedDecision[] = [];
      try {
        for (const decision of file.graph.decisions) deployed.push(await deployOne(file, decision.id));
      } catch (err) {
        await Promise.allSettled(deployed.filter((d) => d.created).map((d) => decisions.deleteOne({ _id: d.record._id })));
        throw err;
      }
      return deployed;
    },

    async remove(record: Pick<DecisionVersionRecord, '_id'>): Promise<void> {
      await decisions.deleteOne({ _id: record._id });
    },
  };
}

export type DecisionStore = ReturnType<typeof createDecisionStore>;
