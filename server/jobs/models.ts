/**
 * The `jobs` read model: one document per open job of external workers (decision 0028),
 * written by the projection part (projection.ts) from instance snapshots, removed when the
 * job completes, throws an error or is cancelled. It tells the job API which jobs to try; the
 * workflow decides (its `activateJob` validator), so a stale document costs one refused try.
 */
import { Schema, type Connection, type Model } from 'mongoose';

export interface JobRecord {
  /** `<instance id>:<key>`, the job key of the API. */
  _id: string;
  instanceId: string;
  key: string;
  type: string;
  elementId: string;
  elementInstanceKey: string;
  definitionKey: string;
  definitionVersion: number;
  retries: number;
  worker: string | null;
  /** Epoch ms: the lock's end (null: never activated, or released by a failure). */
  deadline: number | null;
  /** Epoch ms from which the job may be activated (again); null while failed (incident). */
  availableAt: number | null;
  errorMessage: string | null;
  createdAt: Date;
  sequence: number;
  /** Only on the job of an execution listener (decision 0055). */
  jobKind?: 'EXECUTION_LISTENER';
  listenerEventType?: 'START' | 'END';
}

const jobSchema = new Schema<JobRecord>({
  _id: String,
  instanceId: { type: String, required: true, index: true },
  key: String,
  type: { type: String, required: true, index: true },
  elementId: String,
  elementInstanceKey: String,
  definitionKey: String,
  definitionVersion: Number,
  retries: Number,
  worker: { type: String, default: null },
  deadline: { type: Number, default: null },
  availableAt: { type: Number, default: null },
  errorMessage: { type: String, default: null },
  createdAt: Date,
  sequence: { type: Number, required: true },
  jobKind: { type: String, required: false },
  listenerEventType: { type: String, required: false },
}, { versionKey: false });

export function jobModel(connection: Connection): Model<JobRecord> {
  return connection.models.Job as Model<JobRecord> ?? connection.model<JobRecord>('Job', jobSchema, 'jobs');
}

export type JobState = 'activatable' | 'activated' | 'backoff' | 'failed';

/** The state of a stored job at `now` (a lock or a backoff ends by time alone). */
export function jobStateAt(job: Pick<JobRecord, 'deadline' | 'availableAt'>, now: number): JobState {
  if (job.availableAt === null) return 'failed';
  if (job.deadline !== null && job.deadline > now) return 'activated';
  if (job.availableAt > now) return 'backoff';
  return 'activatable';
}
