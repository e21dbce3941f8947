/** POST /api/signals: broadcast a signal (Camunda 8's "broadcast signal"), decision 0034. */
import type { OpenAPIRegistry } from '@asteasolutions/zod-to-openapi';
import { Router } from 'express';
import { z } from 'zod';
import { currentUser } from '../auth/context';
import { addRoute } from '../http/route';
import { errorResponse, validationErrorResponse } from '../http/responses';
import { Variables } from '../instances/schemas';
import type { SignalsService } from './service';

export const SignalBody = z.object({
  signalName: z.string().min(1).max(255).meta({ description: 'The name of the bpmn:Signal' }),
  variables: Variables.optional().meta({ description: 'Given to every instance the signal reaches or starts (merged into its process scope unless the catch event has output mappings)' }),
}).strict().meta({ id: 'Signal' });

export const BroadcastedSignal = z.object({
  signalKey: z.string(),
  delivered: z.number().int().meta({ description: 'Instances waiting for the signal that it was delivered to' }),
  started: z.number().int().meta({ description: 'Instances started by signal start events' }),
  deliveredTo: z.array(z.object({ instanceId: z.string(), processKey: z.string() })),
  startedInstances: z.array(z.object({ instanceId: z.string(), processKey: z.string() })),
}).meta({ id: 'BroadcastedSignal' });

const json = (schema: z.ZodType) => ({ content: { 'application/json': { schema } } });

export function signalsRouter(service: SignalsService, registry: OpenAPIRegistry): Router {
  const router = Router();
  addRoute(router, registry, {
    method: 'post', path: '/api/signals', operationId: 'broadcastSignal', tags: ['signals'],
    summary: 'Broadcast a signal: delivered to every instance waiting for it, starts every process with a matching signal start event',
    description: 'As in Camunda 8: a signal reaches every open signal subscription of its name (intermediate catch, boundary, event-subprocess start) in every active instance, and starts one instance of the latest version of each process with a signal start event of that name. It is not buffered: a subscription that opens later does not receive it, and a broadcast nobody takes still answers 200 with zero counts. Only callers with a role the signal definition allows (a `publishers` zeebe:property on the bpmn:Signal; docs/security.md): 403 otherwise.',
    body: { schema: SignalBody },
    responses: {
      200: { description: 'Broadcast: how many instances it reached and started', ...json(BroadcastedSignal) },
      400: validationErrorResponse,
      403: errorResponse('A definition the signal would reach allows other roles to broadcast it'),
    },
  }, async ({ body }, req, res) => {
    const signal = body;
    await service.authorizeBroadcaster(signal.signalName, currentUser(req).roles);
    const result = await service.broadcast(signal);
    res.status(200).json({
      signalKey: result.signalKey,
      delivered: result.delivered.length,
      started: result.started.length,
      deliveredTo: result.delivered,
      startedInstances: result.started,
    });
  });
  return router;
}
