/**
 * One migration (decision 0041): a durable workflow that migrates the chosen instances in
 * batches, each instance through its own `migrateInstance` update (an activity sends it), and
 * keeps the result list. A worker that dies mid-batch loses nothing: the workflow replays to
 * the batch it was in, and the activities of that batch run again; an instance that already
 * moved answers `alreadyMigrated` (its run remembers the migration id), so no instance is
 * migrated twice and no task is opened twice. Progress and results: `migrationProgress`.
 */
import { proxyActivities, setHandler, sleep } from '@temporalio/workflow';
import { migrationProgressQuery, type InstanceMigrationResult, type MigrationActivities, type MigrationBatchInput, type MigrationProgress } from './contract';

const DEFAULT_BATCH_SIZE = 20;

const { migrateInstance } = proxyActivities<MigrationActivities>({
  // The update waits while a job of the instance finishes; the heartbeat shows the activity is alive.
  startToCloseTimeout: '10 minutes',
  heartbeatTimeout: '5 seconds',
  retry: { initialInterval: '1 second', maximumInterval: '30 seconds', backoffCoefficient: 2 },
});

export async function migrationBatch(input: MigrationBatchInput): Promise<MigrationProgress> {
  const results: InstanceMigrationResult[] = [];
  let status: MigrationProgress['status'] = 'running';
  const progress = (): MigrationProgress => ({
    migrationId: input.migrationId,
    status,
    source: input.source,
    target: input.target.definition,
    actor: input.actor,
    reason: input.reason,
    total: input.instanceIds.length,
    done: results.length,
    migrated: results.filter((r) => r.status === 'migrated').length,
    refused: results.filter((r) => r.status === 'refused').length,
    results: [...results],
  });
  setHandler(migrationProgressQuery, progress);
  const size = Math.max(1, input.batchSize ?? DEFAULT_BATCH_SIZE);
  const request = { migrationId: input.migrationId, target: input.target, mapping: input.mapping, actor: input.actor, reason: input.reason };
  for (let from = 0; from < input.instanceIds.length; from += size) {
    if (from > 0 && input.pauseMs) await sleep(input.pauseMs);
    const batch = input.instanceIds.slice(from, from + size);
    results.push(...await Promise.all(batch.map((instanceId) => migrateInstance({ instanceId, request }))));
  }
  status = 'completed';
  return progress();
}
