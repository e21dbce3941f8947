/**
 * Token modification and instance migration (decisions 0040, 0041): requests checked against
 * the models here (4xx with element ids, nothing changed), then carried out by the instance
 * workflows (the `modifyInstance` / `migrateInstance` updates) and, for migrations, by a
 * `migrationBatch` workflow per migration.
 */
import { randomUUID } from 'node:crypto';
import { WorkflowNotFoundError, WorkflowUpdateFailedError, type Client } from '@temporalio/client';
import { ApplicationFailure } from '@temporalio/common';
import { trusted } from 'mongoose';
import { dryRunMigration, validateMapping, type MappingInstruction, type MigrationReport, type ModificationInstruction } from '../../../processes/evaluator';
import type { ProcessModel } from '../../../processes/model';
import { replayDryRun, type ReplayReport } from '../../../processes/migration';
import { engineHistoryReader } from '../../compliance/engineHistory';
import { recordedHistory } from './recordedRuns';
import { migrationProgressQuery, type MigrationBatchInput, type MigrationProgress } from '../../../workflows/migrationBatch/contract';
import { evaluatorStateQuery, modifyInstanceUpdate } from '../../../workflows/processInstance/messages';
import type { DefinitionRef } from '../../../workflows/processInstance/types';
import { Conflict, DomainError, Invalid, NotFound, Unavailable } from '../../domain/errors';
import type { ProjectionModels } from '../../projections/models';
import type { DefinitionsService } from '../../definitions/service';
import type { InstancesService } from '../../instances/service';
import { fromTemporalError } from '../../instances/temporalErrors';

const MAX_DRY_RUN = 200;
const MAX_SELECTED = 1000;
const QUERY_TIMEOUT_MS = 5000;

export interface MigrationsServiceDeps {
  temporal: Client;
  taskQueue: string;
  definitions: DefinitionsService;
  projections: ProjectionModels;
  instances: InstancesService;
}

export interface Selection {
  processKey: string;
  sourceVersion: number;
  targetVersion: number;
  instanceIds?: string[] | undefined;
  filter?: { businessKey?: string | undefined; activeElementId?: string | undefined; hasIncidents?: boolean | undefined } | undefined;
  mapping: MappingInstruction[];
}

export function createMigrationsService(deps: MigrationsServiceDeps) {
  const { temporal, projections } = deps;
  // The engine's histories are encrypted (decision 0023): read with the client's own codec.
  const engine = engineHistoryReader(temporal, temporal.options.dataConverter.payloadCodecs?.[0]);

  /** The recorded stimuli replayed on the target beside the instance's own versions (decision 0053). */
  async function replay(instanceId: string, state: Parameters<typeof dryRunMigration>[2], source: ProcessModel, target: ProcessModel, mapping: MappingInstruction[]): Promise<ReplayReport | { error: string }> {
    try {
      return replayDryRun(recordedHistory(await engine.read(instanceId, true)), state, source, target, mapping);
    } catch (err) {
      return { error: `the recorded history could not be replayed: ${err instanceof Error ? err.message : String(err)}` };
    }
  }

  async function modelOf(key: string, version: number, field: string): Promise<ProcessModel> {
    try {
      return (await deps.definitions.resolveDefinition(key, version)).model as ProcessModel;
    } catch (err) {
      if (err instanceof NotFound) throw new NotFound('not_found', `${field}: process '${key}' has no version ${version}`);
      throw err;
    }
  }

  /** Both models, and the mapping checked against them (400 naming the elements). */
  async function versions(selection: Selection) {
    if (selection.sourceVersion === selection.targetVersion) throw new Invalid('invalid_request', 'targetVersion: must differ from sourceVersion');
    const source = await modelOf(selection.processKey, selection.sourceVersion, 'sourceVersion');
    const target = await modelOf(selection.processKey, selection.targetVersion, 'targetVersion');
    const problems = validateMapping(source, target, selection.mapping);
    if (problems.length > 0) {
      throw new Invalid('invalid_mapping', problems.map((p) => p.reason).join('; '), { refusals: problems });
    }
    return { source, target };
  }

  async function liveDefinition(instanceId: string): Promise<DefinitionRef | null> {
    try {
      return (await temporal.connection.withDeadline(Date.now() + QUERY_TIMEOUT_MS, () => temporal.workflow.getHandle(instanceId).query(evaluatorStateQuery))).definition;
    } catch {
      return null;
    }
  }

  /** The chosen instances: the list given (each must run the source version), or the active ones the filter matches. */
  async function select(selection: Selection, limit: number): Promise<string[]> {
    const base = { definitionKey: selection.processKey, definitionVersion: selection.sourceVersion };
    if (selection.instanceIds) {
      const ids = [...new Set(selection.instanceIds)];
      if (ids.length > limit) throw new Invalid('invalid_request', `instanceIds: at most ${limit} instances at once`);
      const found = await projections.instances.find({ _id: trusted({ $in: ids }) as never }).select({ definitionKey: 1, definitionVersion: 1 }).lean();
      const byId = new Map(found.map((r) => [r._id, r]));
      const stale = ids.filter((id) => {
        const r = byId.get(id);
        return !r || r.definitionKey !== base.definitionKey || r.definitionVersion !== base.definitionVersion;
      });
      // The read model may lag a just-started (or just-migrated) instance: ask those instances themselves.
      const wrong: string[] = [];
      for (const id of stale) {
        const live = await liveDefinition(id);
        if (!live || live.key !== base.definitionKey || live.version !== base.definitionVersion) wrong.push(id);
      }
      if (wrong.length > 0) {
        throw new Invalid('invalid_request', `instanceIds: not instances of '${selection.processKey}' version ${selection.sourceVersion}: ${wrong.slice(0, 10).join(', ')}`, { instanceIds: wrong });
      }
      return ids;
    }
    const f = selection.filter ?? {};
    const query = {
      ...base,
      status: 'active' as const,
      ...(f.businessKey ? { businessKey: f.businessKey } : {}),
      ...(f.activeElementId ? { activeElements: f.activeElementId } : {}),
      ...(f.hasIncidents === undefined ? {} : { 'incidents.0': trusted({ $exists: f.hasIncidents }) }),
    };
    const found = await projections.instances.find(query).sort({ startedAt: 1, _id: 1 }).limit(limit + 1).select({ _id: 1, definitionKey: 1 }).lean();
    if (found.length > limit) throw new Invalid('invalid_request', `filter: more than ${limit} instances match; narrow the filter or give instanceIds`);
    return found.map((r) => r._id);
  }

  return {
    /** Applies a modification through the instance's update; the validator's problems come back as 400 with element ids. */
    async modify(instanceId: string, instructions: ModificationInstruction[], actor: string, reason: string) {
      try {
        const outcome = await temporal.workflow.getHandle(instanceId).executeUpdate(modifyInstanceUpdate, { args: [{ instructions, actor, reason }] });
        if (!outcome.accepted) throw new Conflict('conflict', `The modification was not applied: ${outcome.reason ?? 'the instance state changed'}`);
      } catch (err) {
        if (err instanceof WorkflowUpdateFailedError && err.cause instanceof ApplicationFailure) {
          const detail = err.cause.details?.[0] as { problems?: unknown } | undefined;
          if (detail?.problems) throw new Invalid('invalid_modification', err.cause.message, { problems: detail.problems });
        }
        throw fromTemporalError(err, instanceId);
      }
      const view = await deps.instances.get(instanceId);
      return {
        instanceId, status: view.status, activeElements: view.activeElements, tasks: view.tasks.map((t) => ({ key: t.key, elementId: t.elementId })),
      };
    },

    async dryRun(selection: Selection) {
      const { source, target } = await versions(selection);
      const ids = await select(selection, MAX_DRY_RUN);
      const sources = new Map<number, ProcessModel>([[selection.sourceVersion, source]]);
      const instances: Array<MigrationReport & { instanceId: string; replay: ReplayReport | { error: string } | null }> = [];
      for (const instanceId of ids) {
        let live: { definition: DefinitionRef; state: Parameters<typeof dryRunMigration>[2] };
        try {
          live = await temporal.connection.withDeadline(Date.now() + QUERY_TIMEOUT_MS, () => temporal.workflow.getHandle(instanceId).query(evaluatorStateQuery));
        } catch (err) {
          const reason = err instanceof WorkflowNotFoundError ? 'no such instance' : 'the instance did not answer (ended, or its worker is busy); try again';
          instances.push({ instanceId, ...refusedReport(source.id, reason), replay: null });
          continue;
        }
        let model = sources.get(live.definition.version);
        if (!model) {
          model = await modelOf(selection.processKey, live.definition.version, 'sourceVersion');
          sources.set(live.definition.version, model);
        }
        const path = (await deps.instances.history(instanceId, 'projection')).map((e) => ({ elementId: e.elementId, event: e.event }));
        instances.push({ instanceId, ...dryRunMigration(model, target, live.state, selection.mapping, path), replay: await replay(instanceId, live.state, model, target, selection.mapping) });
      }
      return {
        source: { key: selection.processKey, version: selection.sourceVersion },
        target: { key: selection.processKey, version: selection.targetVersion },
        total: instances.length,
        migratable: instances.filter((i) => i.migratable).length,
        instances,
      };
    },

    /** Starts the migration workflow; its results come from `progress`. */
    async start(selection: Selection & { reason: string; batchSize: number; pauseMs: number }, actor: string) {
      const { target } = await versions(selection);
      const instanceIds = await select(selection, MAX_SELECTED);
      if (instanceIds.length === 0) throw new Invalid('invalid_request', `filter: no active instance of '${selection.processKey}' version ${selection.sourceVersion} matches`);
      const migrationId = `mig-${randomUUID()}`;
      const input: MigrationBatchInput = {
        migrationId,
        source: { key: selection.processKey, version: selection.sourceVersion },
        target: { definition: { key: selection.processKey, version: selection.targetVersion }, model: target },
        instanceIds,
        mapping: selection.mapping,
        actor,
        reason: selection.reason,
        batchSize: selection.batchSize,
        ...(selection.pauseMs ? { pauseMs: selection.pauseMs } : {}),
      };
      await temporal.workflow.start('migrationBatch', { taskQueue: deps.taskQueue, workflowId: migrationId, args: [input] });
      return { migrationId, total: instanceIds.length };
    },

    async progress(migrationId: string): Promise<MigrationProgress> {
      const handle = temporal.workflow.getHandle(migrationId);
      try {
        const description = await handle.describe();
        if (description.type !== 'migrationBatch') throw new WorkflowNotFoundError('not a migration', migrationId, undefined);
        if (description.status.name === 'COMPLETED') return await handle.result() as MigrationProgress;
        return await temporal.connection.withDeadline(Date.now() + QUERY_TIMEOUT_MS, () => handle.query(migrationProgressQuery));
      } catch (err) {
        if (err instanceof WorkflowNotFoundError) throw new NotFound('not_found', `No migration '${migrationId}'`);
        if (err instanceof DomainError) throw err;
        throw new Unavailable('migration_unavailable', `Migration '${migrationId}' does not answer right now (its worker may be restarting); try again`);
      }
    },
  };
}

function refusedReport(processId: string, reason: string): MigrationReport {
  return {
    migratable: false, consistent: false, reachable: false, refusals: [{ elementId: processId, reason }],
    tasks: [], timers: [], subscriptions: [], jobs: [], slaClocks: [], divergences: [],
  };
}

export type MigrationsService = ReturnType<typeof createMigrationsService>;
