/**
 * The activity behind each instance of a migration batch (workflows/migrationBatch): it sends
 * the instance workflow its `migrateInstance` update with the worker's own client, under the
 * update id `<migrationId>`, so a retried attempt reaches the same update (or, once the
 * instance continued as new on the target version, is answered `alreadyMigrated`).
 */
import { Context } from '@temporalio/activity';
import { WorkflowNotFoundError, WorkflowUpdateFailedError } from '@temporalio/client';
import { ApplicationFailure } from '@temporalio/common';
import type { MigrationRefusal } from '../../processes/evaluator';
import type { InstanceMigrationResult, MigrationActivities } from '../../workflows/migrationBatch/contract';
import { migrateInstanceUpdate } from '../../workflows/processInstance/messages';

const HEARTBEAT_MS = 1000;

function refusalsOf(failure: ApplicationFailure): MigrationRefusal[] | undefined {
  const detail = failure.details?.[0] as { refusals?: MigrationRefusal[] } | undefined;
  return Array.isArray(detail?.refusals) ? detail.refusals : undefined;
}

export function createMigrationActivities(): MigrationActivities {
  return {
    async migrateInstance({ instanceId, request }): Promise<InstanceMigrationResult> {
      const context = Context.current();
      const beat = setInterval(() => context.heartbeat(), HEARTBEAT_MS);
      try {
        const outcome = await context.client.workflow.getHandle(instanceId).executeUpdate(migrateInstanceUpdate, {
          args: [request], updateId: request.migrationId,
        });
        if (!outcome.accepted) return { instanceId, status: 'refused', reason: outcome.reason ?? 'refused' };
        return { instanceId, status: 'migrated', ...(outcome.alreadyMigrated ? { alreadyMigrated: true } : {}) };
      } catch (err) {
        if (err instanceof WorkflowUpdateFailedError && err.cause instanceof ApplicationFailure) {
          const refusals = refusalsOf(err.cause);
          return { instanceId, status: 'refused', reason: err.cause.message, ...(refusals ? { refusals } : {}) };
        }
        if (err instanceof WorkflowNotFoundError) return { instanceId, status: 'refused', reason: 'no such instance' };
        if (err instanceof Error && /workflow execution already completed/i.test(err.message)) return { instanceId, status: 'refused', reason: 'the instance has ended' };
        throw err;
      } finally {
        clearInterval(beat);
      }
    },
  };
}
