/**
 * Linked forms (Camunda 8 `zeebe:formDefinition formId="…"`): form-js files deployed beside
 * the diagram, stored versioned by their `id`. Like process versions, a form's next version is
 * inserted under a unique `_id` (`<formId>:<version>`) and a deployer that loses the race
 * tries again; the same schema as the latest version is not stored again. A user task's
 * linked form is the latest version when its form is asked for (Camunda's default `latest`
 * binding, decision 0029).
 */
import { createHash } from 'node:crypto';
import { Schema, type Connection, type Model } from 'mongoose';
import { parseFormBody } from '../../processes/compiler/forms';
import { Unavailable } from '../domain/errors';

export interface FormVersionRecord {
  _id: string;
  formId: string;
  version: number;
  /** The form-js schema as deployed. */
  schema: Record<string, unknown>;
  /** sha256 of the canonical schema JSON. */
  hash: string;
  resourceName: string | null;
  deployedAt: Date;
}

const formSchema = new Schema<FormVersionRecord>({
  _id: String,
  formId: { type: String, required: true, index: true },
  version: { type: Number, required: true },
  schema: { type: Schema.Types.Mixed, required: true },
  hash: { type: String, required: true },
  resourceName: { type: String, default: null },
  deployedAt: { type: Date, required: true },
}, { versionKey: false, minimize: false, collection: 'form_versions' });

/** A form file of a deploy request, checked. */
export interface FormFile { formId: string; schema: Record<string, unknown>; hash: string; resourceName: string }

const FORM_ID = /^[A-Za-z_][A-Za-z0-9_.-]{0,254}$/;

/** Parses a `.form` file (form-js JSON with an `id`); a problem names the file. */
export function parseFormFile(resourceName: string, bytes: Uint8Array): FormFile | string {
  const parsed = parseFormBody(Buffer.from(bytes).toString('utf8'));
  if (typeof parsed === 'string') return `form file '${resourceName}' ${parsed}`;
  const id = parsed.id;
  if (typeof id !== 'string' || !FORM_ID.test(id)) return `form file '${resourceName}' has no usable "id" (the formId user tasks link to)`;
  return { formId: id, schema: parsed, hash: createHash('sha256').update(JSON.stringify(parsed)).digest('hex'), resourceName };
}

export function createFormStore(connection: Connection) {
  const forms = (connection.models.FormVersion as Model<FormVersionRecord> | undefined) ?? connection.model<FormVersionRecord>('FormVersion', formSchema);
  const latest = (formId: string) => forms.findOne({ formId }).sort({ version: -1 }).lean<FormVersionRecord>();

  return {
    latest,

    /** Stores a new version unless the latest has this schema; answers the version now current. */
    async deploy(file: FormFile): Promise<{ record: FormVersionRecord; created: boolean }> {
      for (let attempt = 0; attempt < 10; attempt += 1) {
        const current = await latest(file.formId);
        if (current && current.hash === file.hash) return { record: current, created: false };
        const version = (current?.version ?? 0) + 1;
        const record: FormVersionRecord = {
          _id: `${file.formId}:${version}`, formId: file.formId, version, schema: file.schema, hash: file.hash,
          resourceName: file.resourceName, deployedAt: new Date(),
        };
        try {
          await forms.collection.insertOne(record as never);
          return { record, created: true };
        } catch (err) {
          if ((err as { code?: number }).code !== 11000) throw err;
        }
      }
      throw new Unavailable('deployment_contention', `Too many concurrent deployments of the form '${file.formId}'; try again`);
    },

    async remove(record: FormVersionRecord): Promise<void> {
      await forms.deleteOne({ _id: record._id });
    },
  };
}

export type FormStore = ReturnType<typeof createFormStore>;
