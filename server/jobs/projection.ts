/**
 * Keeps the `jobs` read model from instance snapshots, as a part of the projection writer's
 * flush (server/projections/flush.ts): the jobs in the newest applied snapshot of an instance
 * are stored, the instance's other job documents are removed. Only snapshots of models with
 * external jobs carry `jobs`; others are skipped without a read.
 */
import type { AnyBulkWriteOperation, Model } from 'mongoose';
import type { InstanceSnapshot } from '../../workflows/processInstance/types';
import { bulk } from '../projections/bulk';
import type { AppliedSnapshot, ProjectionPart } from '../projections/flush';
import type { JobRecord } from './models';

export function jobRecords(snapshot: InstanceSnapshot): JobRecord[] {
  return (snapshot.jobs ?? []).map((job) => ({
    _id: job.key,
    instanceId: snapshot.instanceId,
    key: job.key.slice(job.key.lastIndexOf(':') + 1),
    type: job.type,
    elementId: job.elementId,
    elementInstanceKey: job.elementInstanceKey,
    definitionKey: snapshot.definition.key,
    definitionVersion: snapshot.definition.version,
    retries: job.retries,
    worker: job.worker,
    deadline: job.deadline,
    availableAt: job.availableAt,
    errorMessage: job.errorMessage,
    createdAt: new Date(job.createdAt),
    sequence: snapshot.sequence,
    ...(job.jobKind ? { jobKind: job.jobKind } : {}),
    ...(job.listenerEventType ? { listenerEventType: job.listenerEventType } : {}),
  }));
}

export function jobsProjectionPart(jobs: Model<JobRecord>): ProjectionPart {
  return {
    name: 'jobs',
    async write(applied: AppliedSnapshot[]) {
      const newest = new Map<string, InstanceSnapshot>();
      for (const { snapshot } of applied) {
        if (!snapshot.jobs) continue;
        const seen = newest.get(snapshot.instanceId);
        if (!seen || seen.sequence < snapshot.sequence) newest.set(snapshot.instanceId, snapshot);
      }
      const ops: Array<AnyBulkWriteOperation<JobRecord>> = [];
      for (const snapshot of newest.values()) {
        const stored = await jobs.find({ instanceId: snapshot.instanceId }, { _id: 1, sequence: 1 }).lean<Array<Pick<JobRecord, '_id' | 'sequence'>>>();
        const byId = new Map(stored.map((s) => [s._id, s]));
        const current = jobRecords(snapshot);
        for (const record of current) {
          const before = byId.get(record._id);
          if (!before) ops.push({ insertOne: { document: record } });
          else if (before.sequence < record.sequence) ops.push({ updateOne: { filter: { _id: record._id }, update: { $set: record } } });
        }
        const keep = new Set(current.map((r) => r._id));
        for (const s of stored) if (!keep.has(s._id) && s.sequence < snapshot.sequence) ops.push({ deleteOne: { filter: { _id: s._id } } });
      }
      // A duplicate key is a document another process inserted meanwhile: its next snapshot writes over it.
      await bulk(jobs, ops);
    },
  };
}
