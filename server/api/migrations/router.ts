/** HTTP routes of token modification and instance migration (operators). */
import type { OpenAPIRegistry } from '@asteasolutions/zod-to-openapi';
import { Router } from 'express';
import type { z } from 'zod';
import { currentUser } from '../../auth/context';
import { InstanceParams } from '../../instances/schemas';
import { addRoute } from '../../http/route';
import { errorResponse, validationErrorResponse } from '../../http/responses';
import { DryRunBody, DryRunReport, MigrationParams, MigrationProgress, MigrationStarted, ModificationBody, ModificationResult, StartMigrationBody } from './schemas';
import type { MigrationsService } from './service';

const json = (schema: z.ZodType) => ({ content: { 'application/json': { schema } } });

export function migrationsRouter(service: MigrationsService, registry: OpenAPIRegistry): Router {
  const router = Router();

  addRoute(router, registry, {
    method: 'post', path: '/api/instances/{id}/modifications', operationId: 'modifyInstance', tags: ['instances'],
    summary: 'Move tokens on a running instance: terminate element instances, activate elements (with variables)',
    description: 'As Camunda 8\'s process instance modification: activations first, then terminations; a flow scope left without tokens is terminated too. Checked against the model before anything changes (400 `invalid_modification` with `problems`, each with its instruction path and element id). Recorded in the instance history (`modified`) with who and why.',
    params: InstanceParams,
    body: { schema: ModificationBody },
    responses: {
      200: { description: 'Applied; the instance as it is now', ...json(ModificationResult) },
      400: validationErrorResponse,
      404: errorResponse('No such instance'),
      409: errorResponse('The instance has ended, or its state changed before the modification was applied'),
    },
  }, async ({ params, body }, req, res) => {
    res.json(await service.modify(params.id, body.instructions, currentUser(req).id, body.reason));
  });

  addRoute(router, registry, {
    method: 'post', path: '/api/migrations/dry-run', operationId: 'dryRunMigration', tags: ['migrations'],
    summary: 'Check a migration without changing anything: per instance, refusals, one-to-one tasks/timers/subscriptions/jobs/SLA clocks, and where the target diverges from its recorded path',
    body: { schema: DryRunBody },
    responses: {
      200: { description: 'One report per selected instance (at most 200)', ...json(DryRunReport) },
      400: validationErrorResponse,
      404: errorResponse('No such process version'),
    },
  }, async ({ body }, req, res) => {
    res.json(await service.dryRun(body));
  });

  addRoute(router, registry, {
    method: 'post', path: '/api/migrations', operationId: 'startMigration', tags: ['migrations'],
    summary: 'Migrate instances of one version to another, in durable batches',
    description: 'Each instance is checked and migrated by its own workflow (refused with the element named when it cannot be); the migration keeps a result list. Follow it with GET /api/migrations/{id}.',
    body: { schema: StartMigrationBody },
    responses: {
      202: { description: 'Started', ...json(MigrationStarted) },
      400: validationErrorResponse,
      404: errorResponse('No such process version'),
    },
  }, async ({ body }, req, res) => {
    res.status(202).json(await service.start(body, currentUser(req).id));
  });

  addRoute(router, registry, {
    method: 'get', path: '/api/migrations/{id}', operationId: 'getMigration', tags: ['migrations'],
    summary: 'Progress and results of a migration (migrated / refused with reason, per instance)',
    params: MigrationParams,
    responses: { 200: { description: 'The migration', ...json(MigrationProgress) }, 404: errorResponse('No such migration') },
  }, async ({ params }, _req, res) => {
    res.json(await service.progress(params.id));
  });

  return router;
}
