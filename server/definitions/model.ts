/**
 * One deployed version of one BPMN process. Versions are immutable: a deployment only ever
 * inserts. FerretDB has no transactions, so the unique index on (key, version) is what makes
 * concurrent deployments safe: two deployers that picked the same next version cannot both
 * insert it (see service.ts for the retry).
 */
import { Schema, type Connection, type Model } from 'mongoose';
import type { ProcessModel } from '../../processes/model/types';

export interface DefinitionVersionRecord {
  /** BPMN process id. */
  key: string;
  /** 1..n per key, without gaps unless a failed multi-process deployment was rolled back. */
  version: number;
  /** ProcessModel.hash: sha256 of the executable model (layout and documentation excluded). */
  hash: string;
  /** sha256 (hex) of the deployed document's bytes. */
  xmlHash: string;
  /** The whole deployed document as text (it may hold other processes too). */
  xml: string;
  /** The executable model of this process only. */
  model: ProcessModel;
  /** The process name, or the key when the process has none. */
  name: string;
  deployedAt: Date;
  resourceName?: string;
}

export const COLLECTION = 'definition_versions';

const definitionVersionSchema = new Schema<DefinitionVersionRecord>(
  {
    key: { type: String, required: true },
    version: { type: Number, required: true, min: 1 },
    hash: { type: String, required: true },
    xmlHash: { type: String, required: true },
    xml: { type: String, required: true },
    // Stored as given: `minimize: false` keeps empty objects so the stored model still hashes the same.
    model: { type: Schema.Types.Mixed, required: true },
    name: { type: String, required: true },
    deployedAt: { type: Date, required: true },
    resourceName: { type: String },
  },
  {
    collection: COLLECTION,
    // Indexes are created explicitly (repository.ensureIndexes) so a failure surfaces on the request, not in the background.
    autoIndex: false,
    minimize: false,
    versionKey: false,
    strict: 'throw',
  },
);

definitionVersionSchema.index({ key: 1, version: 1 }, { unique: true, name: 'key_version_unique' });

export type DefinitionVersionModel = Model<DefinitionVersionRecord>;

/** The model bound to `connection` (each connection gets its own, so tests can hold several). */
export function definitionVersionModel(connection: Connection): DefinitionVersionModel {
  const existing = connection.models.DefinitionVersion as DefinitionVersionModel | undefined;
  return existing ?? connection.model<DefinitionVersionRecord>('DefinitionVersion', definitionVersionSchema);
}
