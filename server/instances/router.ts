/** HTTP routes for process instances and messages. */
import { withApiClocks } from './slaView';
import type { OpenAPIRegistry } from '@asteasolutions/zod-to-openapi';
import { Router } from 'express';
import { z } from 'zod';
import { currentUser } from '../auth/context';
import { addRoute } from '../http/route';
import { errorResponse, validationErrorResponse } from '../http/responses';
import {
  HistoryEvent,
  HistoryQuery,
  IncidentListQuery,
  IncidentPage,
  IncidentParams,
  InstanceDetail,
  InstanceListQuery,
  InstancePage,
  InstanceParams,
  MessageBody,
  PublishedMessage,
  ProcessKeyParams,
  ResolveIncidentBody,
  SetVariablesBody,
  StartBody,
  StartResponse,
} from './schemas';
import type { InstancesService } from './service';

const json = (schema: z.ZodType) => ({ content: { 'application/json': { schema } } });
const TAGS = ['instances'];

export function instancesRouter(service: InstancesService, registry: OpenAPIRegistry): Router {
  const router = Router();

  addRoute(router, registry, {
    method: 'post', path: '/api/processes/{key}/instances', operationId: 'startInstance', tags: TAGS,
    summary: 'Start an instance of a deployed process (latest version unless `version` is given)',
    params: ProcessKeyParams,
    body: { schema: StartBody, required: false },
    responses: {
      201: { description: 'Started', ...json(StartResponse) },
      400: validationErrorResponse,
      404: errorResponse('No such process or version'),
      409: errorResponse('An instance with this business key is running; `instanceId` names it'),
      413: errorResponse("The model and the variables together exceed Temporal's 2 MB workflow input; nothing was started"),
      422: errorResponse('No start event can take this start (e.g. the process has only message or timer start events); `startEvents` lists them'),
    },
  }, async ({ params, body }, req, res) => {
    res.status(201).json(await service.start(params.key, body));
  });

  addRoute(router, registry, {
    method: 'get', path: '/api/instances', operationId: 'listInstances', tags: TAGS,
    summary: 'List instances (newest first) from the read model',
    query: InstanceListQuery,
    responses: { 200: { description: 'A page of instances', ...json(InstancePage) }, 400: validationErrorResponse },
  }, async ({ query }, _req, res) => {
    const { items, total } = await service.list(
      { key: query.key, status: query.status, businessKey: query.businessKey, hasIncidents: query.hasIncidents },
      query.page, query.pageSize);
    res.json({
      items: items.map((i) => ({
        id: i._id,
        definition: { key: i.definitionKey, version: i.definitionVersion },
        status: i.status,
        businessKey: i.businessKey,
        activeElements: i.activeElements,
        openTasks: i.openTaskCount,
        incidents: i.incidents.length,
        startedAt: i.startedAt?.toISOString() ?? null,
        updatedAt: i.updatedAt?.toISOString() ?? null,
      })),
      page: query.page,
      pageSize: query.pageSize,
      total,
    });
  });

  addRoute(router, registry, {
    method: 'get', path: '/api/incidents', operationId: 'listIncidents', tags: TAGS,
    summary: 'Open incidents across active instances, from the read model',
    description: 'One page of active instances that have an open incident (newest instance first), flattened into their incidents. Retry with POST /api/instances/{id}/incidents/{incidentId}/resolve.',
    query: IncidentListQuery,
    responses: { 200: { description: 'A page of incidents', ...json(IncidentPage) }, 400: validationErrorResponse },
  }, async ({ query }, _req, res) => {
    const { items, total } = await service.list({ key: query.key, status: 'active', hasIncidents: true }, query.page, query.pageSize);
    res.json({
      items: items.flatMap((i) => i.incidents.map((incident) => ({
        id: incident.id,
        instanceId: i._id,
        definition: { key: i.definitionKey, version: i.definitionVersion },
        businessKey: i.businessKey,
        elementId: incident.elementId,
        type: incident.type,
        message: incident.message,
        createdAt: incident.createdAt ? new Date(incident.createdAt).toISOString() : null,
      }))),
      page: query.page,
      pageSize: query.pageSize,
      total,
    });
  });

  addRoute(router, registry, {
    method: 'get', path: '/api/instances/{id}', operationId: 'getInstance', tags: TAGS,
    summary: 'The live state of an instance: active elements, variables, tasks, incidents, timers and SLA clocks',
    params: InstanceParams,
    responses: { 200: { description: 'The instance', ...json(InstanceDetail) }, 404: errorResponse('No such instance') },
  }, async ({ params }, _req, res) => {
    const { subscriptions: _subscriptions, ...detail } = await service.get(params.id);
    res.json(withApiClocks(detail, params.id, Date.now()));
  });

  addRoute(router, registry, {
    method: 'get', path: '/api/instances/{id}/history', operationId: 'getInstanceHistory', tags: TAGS,
    summary: 'Element lifecycle events in order',
    description: 'By default derived from the Temporal event history by replaying it (authoritative); `source=projection` reads the MongoDB read model instead (faster, eventually consistent: an instance started a moment ago may have an empty history).',
    params: InstanceParams,
    query: HistoryQuery,
    responses: { 200: { description: 'The events', ...json(z.array(HistoryEvent)) }, 404: errorResponse('No such instance') },
  }, async ({ params, query }, _req, res) => {
    const events = await service.history(params.id, query.source);
    res.json(events.map((e) => ({
      elementId: e.elementId, elementType: e.elementType, event: e.event, time: new Date(e.time).toISOString(),
      ...(e.message === undefined ? {} : { message: e.message }),
    })));
  });

  addRoute(router, registry, {
    method: 'put', path: '/api/instances/{id}/variables', operationId: 'setInstanceVariables', tags: TAGS,
    summary: 'Set process variables (e.g. to fix data before retrying an incident)',
    params: InstanceParams,
    body: { schema: SetVariablesBody },
    responses: { 204: { description: 'Set' }, 400: validationErrorResponse, 404: errorResponse('No such instance'), 409: errorResponse('The instance has ended'), 413: errorResponse('The variables would bring the instance past its size cap of 2,015,232 bytes of model and variables (`payload_too_large`); nothing changed') },
  }, async ({ params, body }, req, res) => {
    await service.setVariables(params.id, body.variables);
    res.status(204).end();
  });

  addRoute(router, registry, {
    method: 'delete', path: '/api/instances/{id}', operationId: 'cancelInstance', tags: TAGS,
    summary: 'Cancel a running instance',
    params: InstanceParams,
    description: 'The workflow is asked to cancel; one that does not take it within CANCEL_GRACE_MS is terminated and its read model closed. The body says which: `{ "status": "canceled" | "terminated" }`.',
    responses: { 202: { description: 'The instance has ended: canceled, or terminated after the grace period' }, 404: errorResponse('No such instance'), 409: errorResponse('The instance has ended') },
  }, async ({ params }, _req, res) => {
    res.status(202).json(await service.cancel(params.id));
  });

  addRoute(router, registry, {
    method: 'post', path: '/api/instances/{id}/incidents/{incidentId}/resolve', operationId: 'resolveIncident', tags: TAGS,
    summary: 'Retry the element an incident blocks',
    params: IncidentParams,
    body: { schema: ResolveIncidentBody, required: false },
    responses: { 204: { description: 'Retried' }, 400: validationErrorResponse, 404: errorResponse('No such instance or open incident'), 409: errorResponse('The instance has ended') },
  }, async ({ params, body }, req, res) => {
    await service.resolveIncident(params.id, params.incidentId, body.retries);
    res.status(204).end();
  });

  addRoute(router, registry, {
    method: 'post', path: '/api/messages', operationId: 'correlateMessage', tags: ['messages'],
    summary: 'Publish a message: delivered to a waiting instance of each process (name + correlation key), starts processes with a matching message start event, buffered for its time-to-live',
    description: 'As in Camunda 8: a message reaches each process at most once; a message start event with a correlation key starts no second instance while the one it started is active; with `timeToLive` the message waits for subscriptions that open later. Only callers with a role the message definition allows (a `publishers` zeebe:property on the bpmn:Message; docs/security.md): 403 otherwise.',
    body: { schema: MessageBody },
    responses: {
      200: { description: 'Delivered to waiting instances and/or started instances (and buffered when it has a time-to-live)', ...json(PublishedMessage) },
      202: { description: 'Buffered: nothing waits yet; a subscription that opens before `expiresAt` receives it', ...json(PublishedMessage) },
      400: validationErrorResponse,
      404: errorResponse('Without a time-to-live: no active instance waits for this message and no process starts with it'),
      409: errorResponse('A message with this name, correlation key and messageId is still buffered'),
    },
  }, async ({ body }, req, res) => {
    const message = body;
    await service.authorizePublisher(message, currentUser(req).roles);
    const result = await service.publishMessage(message);
    const first = result.correlated[0] ?? result.started[0];
    res.status(first ? 200 : 202).json({
      ...(first ? { instanceId: first.instanceId } : {}),
      messageKey: result.messageKey,
      correlated: result.correlated,
      started: result.started,
      expiresAt: result.expiresAt?.toISOString() ?? null,
    });
  });

  return router;
}
