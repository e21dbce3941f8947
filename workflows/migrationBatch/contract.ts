/** Types of the migration batch workflow and its activity (workflow-safe: types and definitions only). */
import { defineQuery } from '@temporalio/workflow';
import type { MappingInstruction, MigrationRefusal } from '../../processes/evaluator';
import type { ProcessModel } from '../../processes/model';
import type { MigrationRequest } from '../processInstance/messages';
import type { DefinitionRef } from '../processInstance/types';

export interface MigrationBatchInput {
  migrationId: string;
  source: DefinitionRef;
  target: { definition: DefinitionRef; model: ProcessModel };
  instanceIds: string[];
  mapping: MappingInstruction[];
  actor: string;
  reason: string;
  /** Instances migrated at once (default 20). */
  batchSize?: number;
  /** A pause between batches, to spread the load (durable timer; default none). */
  pauseMs?: number;
}

export interface InstanceMigrationResult {
  instanceId: string;
  status: 'migrated' | 'refused';
  /** The instance had already been migrated by this migration (a retried delivery). */
  alreadyMigrated?: boolean;
  reason?: string;
  refusals?: MigrationRefusal[];
}

export interface MigrationProgress {
  migrationId: string;
  status: 'running' | 'completed';
  source: DefinitionRef;
  target: DefinitionRef;
  actor: string;
  reason: string;
  total: number;
  done: number;
  migrated: number;
  refused: number;
  /** In the order of `instanceIds`, as far as done. */
  results: InstanceMigrationResult[];
}

export interface MigrationActivities {
  /** Sends the instance its `migrateInstance` update (idempotent per migration id) and reports the outcome. */
  migrateInstance(req: { instanceId: string; request: MigrationRequest }): Promise<InstanceMigrationResult>;
}

export const migrationProgressQuery = defineQuery<MigrationProgress>('migrationProgress');
