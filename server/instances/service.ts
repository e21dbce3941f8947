/**
 * Process instances: starting them on an exact definition version, reading them (live state
 * from the workflow, lists from the projection), and operating on them through the
 * workflow's updates and signals.
 */
import { WorkflowNotFoundError, type Client } from '@temporalio/client';
import { trusted } from 'mongoose';
import {
  completeTaskUpdate,
  claimTaskUpdate,
  correlateMessageSignal,
  instanceStateQuery,
  resolveIncidentUpdate,
  setVariablesUpdate,
  transferTaskUpdate,
  unclaimTaskUpdate,
  type UpdateOutcome,
} from '../../workflows/processInstance/messages';
import type { ElementEvent, ExecutionLimits, InstanceView } from '../../workflows/processInstance/types';
import type { ReplayWorkerOptions } from '@temporalio/worker';
import { elementHistoryFromTemporal } from '../history/fromTemporal';
import { Conflict, NotFound, Unavailable } from '../domain/errors';
import type { ProjectionModels } from '../projections/models';
import { subscriptionKey, type InstanceRecord } from '../projections/models';
import { messagePublisherRule } from './publishers';
import { closeReadModel, viewFromProjection } from './readModel';
import { startInstance, type StartRequest } from './start';
import type { DefinitionsService } from '../definitions/service';
import type { businessKeyClaims} from './businessKeys';
import type { ClaimedInstanceState } from './businessKeys';
import { instanceNotFound, fromTemporalError } from './temporalErrors';
import type { StartRegistry } from '../starts/registry';
import type { MessageBuffer } from '../messages/buffer';
import { publishMessage, type PublishRequest, type PublishResult } from '../messages/publish';
import type { Logger } from '../log';

export type { StartRequest };

export interface InstancesServiceDeps {
  temporal: Client;
  taskQueue: string;
  definitions: DefinitionsService;
  projections: ProjectionModels;
  claims: ReturnType<typeof businessKeyClaims>;
  /** Message start events and buffered messages (server/starts, server/messages); without them a publish only correlates. */
  messaging?: { starts: StartRegistry; buffer: MessageBuffer; log?: Logger };
  /** The workflow code, to derive histories by replay; without it histories come from the projection. */
  workflowBundle?: NonNullable<ReplayWorkerOptions['workflowBundle']>;
  /** Execution limits every started instance gets (server/limits.ts); default the workflow's own. */
  limits?: ExecutionLimits;
  /** CANCEL_GRACE_MS: how long a cancel waits for the workflow to take it before terminating it (default 5 s). */
  cancelGraceMs?: number;
}

/** How long GET /api/instances/{id} waits for the live view before it answers from the read model. */
const LIVE_QUERY_TIMEOUT_MS = 3000;

export interface InstanceFilter {
  key?: string | undefined;
  status?: InstanceRecord['status'] | undefined;
  businessKey?: string | undefined;
  /** Only instances with (true) or without (false) an open incident. */
  hasIncidents?: boolean | undefined;
}

export interface InstanceDetail extends InstanceView {
  id: string;
}

const ENDED_BY_TEMPORAL: Record<string, InstanceView['status']> = {
  CANCELLED: 'canceled',
  TERMINATED: 'terminated',
  TIMED_OUT: 'terminated',
  FAILED: 'terminated',
};

export function createInstancesService(deps: InstancesServiceDeps) {
  const { temporal, projections } = deps;
  const handle = (id: string) => temporal.workflow.getHandle(id);

  async function instanceState(id: string): Promise<ClaimedInstanceState> {
    try {
      return (await handle(id).describe()).status.name === 'RUNNING' ? 'running' : 'ended';
    } catch (err) {
      if (err instanceof WorkflowNotFoundError) return 'unknown';
      throw err;
    }
  }

  /** Runs an operation on a workflow and turns Temporal's errors into domain errors. */
  async function onInstance<T>(id: string, op: () => Promise<T>): Promise<T> {
    try {
      return await op();
    } catch (err) {
      throw fromTemporalError(err, id);
    }
  }

  async function closedWithin(id: string, ms: number): Promise<boolean> {
    const until = Date.now() + ms;
    for (;;) {
      if ((await handle(id).describe()).status.name !== 'RUNNING') return true;
      if (Date.now() >= until) return false;
      await new Promise((resolve) => setTimeout(resolve, Math.min(200, Math.max(0, until - Date.now()))));
    }
  }

  const publishers = messagePublisherRule({ definitions: deps.definitions, projections, ...(deps.messaging ? { starts: deps.messaging.starts } : {}) });

  const requireAccepted = (outcome: UpdateOutcome, what: string) => {
    if (!outcome.accepted) throw new Conflict('conflict', `${what} was not applied: ${outcome.reason ?? 'the instance state changed'}`);
  };

  return {
    /**
     * Starts an instance. `options.instanceId` (internal callers only, never from a request body)
     * makes the start idempotent (start.ts).
     */
    start: (key: string, request: StartRequest, options: { instanceId?: string } = {}) => startInstance(deps, instanceState, key, request, options),

    /** Whether Temporal knows a workflow with this id (running or closed, within retention). */
    async exists(id: string): Promise<boolean> {
      return (await instanceState(id)) !== 'unknown';
    },

    /** The live view from the workflow itself; the status from Temporal when it ended abnormally. */
    async get(id: string): Promise<InstanceDetail> {
      return onInstance(id, async () => {
        const description = await handle(id).describe();
        if (description.type !== 'processInstance') throw instanceNotFound(id);
        const ended = ENDED_BY_TEMPORAL[description.status.name];
        let view: InstanceView;
        try {
          // A workflow whose task keeps failing holds a query until the server gives up (~30 s): ask briefly.
          view = await temporal.connection.withDeadline(Date.now() + LIVE_QUERY_TIMEOUT_MS, () => handle(id).query(instanceStateQuery));
        } catch (err) {
          // A workflow whose task keeps failing (or a terminated one) cannot answer: the read model can.
          if (err instanceof WorkflowNotFoundError) throw err;
          const stored = await viewFromProjection(projections, id);
          if (!stored) throw new Unavailable('instance_unavailable', `Process instance '${id}' does not answer and has no stored view yet; try again`);
          view = stored;
        }
        return { id, ...view, ...(ended ? { status: ended } : {}) };
      });
    },

    async list(filter: InstanceFilter, page: number, pageSize: number) {
      const query = {
        ...(filter.key ? { definitionKey: filter.key } : {}),
        ...(filter.status ? { status: filter.status } : {}),
        ...(filter.businessKey ? { businessKey: filter.businessKey } : {}),
        ...(filter.hasIncidents === undefined ? {} : { 'incidents.0': trusted({ $exists: filter.hasIncidents }) }),
      };
      const [items, total] = await Promise.all([
        projections.instances.find(query).sort({ startedAt: -1, _id: 1 }).skip((page - 1) * pageSize).limit(pageSize).lean(),
        projections.instances.countDocuments(query),
      ]);
      return { items, total };
    },

    /**
     * Element events in order. Derived from the Temporal history by replay when the workflow
     * code is at hand (authoritative); otherwise read from the projection.
     */
    async history(id: string, source: 'temporal' | 'projection' = 'temporal'): Promise<Array<Omit<ElementEvent, 'index'> & { index: number }>> {
      if (source === 'temporal' && deps.workflowBundle) {
        const bundle = deps.workflowBundle;
        return onInstance(id, async () => {
          const description = await handle(id).describe();
          if (description.type !== 'processInstance') throw instanceNotFound(id);
          return elementHistoryFromTemporal(temporal, bundle, id);
        });
      }
      const events = await projections.elementEvents.find({ instanceId: id }).sort({ index: 1 }).lean();
      if (events.length === 0 && !(await projections.instances.exists({ _id: id }))) {
        // Not in the read model yet is not unknown: an instance started a moment ago (the viewer
        // opened from a just-filed complaint) has an empty history until its first flush.
        await onInstance(id, async () => {
          if ((await handle(id).describe()).type !== 'processInstance') throw instanceNotFound(id);
        });
        return [];
      }
      return events.map((e) => ({
        index: e.index, elementId: e.elementId, elementType: e.elementType, event: e.event, time: e.time.getTime(),
        ...(typeof e.message === 'string' ? { message: e.message } : {}),
      }));
    },

    async setVariables(id: string, variables: Record<string, unknown>) {
      const outcome = await onInstance(id, () => handle(id).executeUpdate(setVariablesUpdate, { args: [{ variables }] }));
      requireAccepted(outcome, 'Setting variables');
    },

    /**
     * Cancel always ends the instance: the workflow is asked to cancel (it terminates its tokens
     * and reports the end itself); one that does not close within the grace period (a workflow
     * task failing, a worker gone) is terminated, and the read model is closed here: instance
     * status, open tasks out of the inbox. Answers how it ended.
     */
    async cancel(id: string): Promise<{ status: 'canceled' | 'terminated' }> {
      return onInstance(id, async () => {
        const description = await handle(id).describe();
        if (description.status.name !== 'RUNNING') throw new Conflict('instance_closed', `Process instance '${id}' has already ended`);
        await handle(id).cancel();
        if (await closedWithin(id, deps.cancelGraceMs ?? 5000)) return { status: 'canceled' as const };
        try {
          await handle(id).terminate('cancel not taken within the grace period (CANCEL_GRACE_MS)');
        } catch (err) {
          if (!(err instanceof Error && /already completed|not found/i.test(err.message))) throw err;
        }
        await closeReadModel(projections, id, 'terminated');
        return { status: 'terminated' as const };
      });
    },

    async resolveIncident(id: string, incidentId: string, retries?: number) {
      const outcome = await onInstance(id, () => handle(id).executeUpdate(resolveIncidentUpdate, { args: [{ incidentId, ...(retries !== undefined ? { retries } : {}) }] }));
      requireAccepted(outcome, 'Resolving the incident');
    },

    async claimTask(instanceId: string, taskKey: string, assignee: string) {
      await onInstance(instanceId, () => handle(instanceId).executeUpdate(claimTaskUpdate, { args: [{ taskKey, assignee }] }));
    },

    async unclaimTask(instanceId: string, taskKey: string) {
      await onInstance(instanceId, () => handle(instanceId).executeUpdate(unclaimTaskUpdate, { args: [{ taskKey }] }));
    },

    async transferTask(instanceId: string, taskKey: string, to: { toGroup?: string; toUser?: string }) {
      await onInstance(instanceId, () => handle(instanceId).executeUpdate(transferTaskUpdate, { args: [{ taskKey, ...to }] }));
    },

    async completeTask(instanceId: string, taskKey: string, variables: Record<string, unknown>) {
      const outcome = await onInstance(instanceId, () =>
        handle(instanceId).executeUpdate(completeTaskUpdate, { args: [{ taskKey, variables }] }));
      requireAccepted(outcome, 'Completing the task');
    },

    /**
     * Publishes a message as Zeebe does (server/messages/publish.ts): to a waiting instance of
     * each process, to message start events, and buffered for `timeToLive` ms.
     */
    async publishMessage(request: PublishRequest): Promise<PublishResult> {
      if (!deps.messaging) throw new Error('publishMessage needs the messaging dependencies');
      const { starts, buffer, log } = deps.messaging;
      return publishMessage({
        temporal, projections, starts, buffer, claims: deps.claims, ...(log ? { log } : {}),
        start: (key, request, options) => this.start(key, request, options),
      }, request);
    },

    /**
     * The publisher rule (decision 0021) for the API route: every definition the message would
     * reach now — the waiting instances' versions and the processes it starts — must allow one
     * of the caller's roles when it declares `publishers` for this message; 403 otherwise.
     */
    authorizePublisher: (message: { name: string; correlationKey?: string }, roles: readonly string[]) => publishers.authorize(message, roles),

    /**
     * Delivers a message to the active instance waiting for it; 404 when none waits. With
     * `publisher` (the API route), the roles the waiting definition allows for this message
     * (processes/compiler/messagePublishers.ts) must include one of the caller's: 403 otherwise.
     * The service's own deliveries (evaluation, reopen, engineer choice) pass no publisher.
     */
    async correlateMessage(
      message: { name: string; correlationKey?: string; variables?: Record<string, unknown>; messageId?: string },
      publisher?: { roles: readonly string[] },
    ) {
      const waiting = await projections.instances
        .findOne({ status: 'active', subscriptionKeys: subscriptionKey(message.name, message.correlationKey ?? null) })
        .select({ _id: 1, definitionKey: 1, definitionVersion: 1 })
        .lean();
      if (!waiting) {
        throw new NotFound('no_subscriber', `No active instance waits for message '${message.name}' with this correlation key`);
      }
      if (publisher) await publishers.check({ key: waiting.definitionKey, version: waiting.definitionVersion }, message.name, publisher.roles);
      await onInstance(waiting._id, () => handle(waiting._id).signal(correlateMessageSignal, message));
      return { instanceId: waiting._id };
    },
  };
}

export type InstancesService = ReturnType<typeof createInstancesService>;
