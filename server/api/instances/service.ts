/**
 * Process instances: starting them on an exact definition version, reading them (live state
 * from the workflow, lists from the projection), and operating on them through the
 * workflow's updates and signals.
 */
import { randomUUID } from 'node:crypto';
import { WorkflowExecutionAlreadyStartedError, WorkflowIdReusePolicy, WorkflowNotFoundError, type Client } from '@temporalio/client';
import { trusted } from 'mongoose';
import { TypedSearchAttributes } from '@temporalio/common';
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
} from '../../../workflows/processInstance/messages';
import type { ElementEvent, InstanceView, ProcessInstanceInput } from '../../../workflows/processInstance/types';
import type { ReplayWorkerOptions } from '@temporalio/worker';
import { elementHistoryFromTemporal } from '../../history/fromTemporal';
import { BPMN_BUSINESS_KEY, BPMN_PROCESS_ID, BPMN_PROCESS_VERSION } from '../../../workflows/searchAttributes';
import { HttpError } from '../../http/errors';
import { messagePublishers } from '../../../processes/compiler/messagePublishers';
import type { ProjectionModels } from '../../projections/models';
import { subscriptionKey, type InstanceRecord } from '../../projections/models';
import type { DefinitionsService } from '../definitions/service';
import type { businessKeyClaims} from './businessKeys';
import { businessKeyHash, claimBusinessKey, type ClaimedInstanceState } from './businessKeys';
import { instanceNotFound, toHttpError } from './temporalErrors';

export interface InstancesServiceDeps {
  temporal: Client;
  taskQueue: string;
  definitions: DefinitionsService;
  projections: ProjectionModels;
  claims: ReturnType<typeof businessKeyClaims>;
  /** The workflow code, to derive histories by replay; without it histories come from the projection. */
  workflowBundle?: NonNullable<ReplayWorkerOptions['workflowBundle']>;
}

export interface StartRequest {
  variables?: Record<string, unknown>;
  businessKey?: string;
  version?: number;
  /** Which start event to enter (a message start, for instance); default the none start event. */
  startEventId?: string;
}

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

  /** Runs an operation on a workflow and turns Temporal's errors into HTTP errors. */
  async function onInstance<T>(id: string, op: () => Promise<T>): Promise<T> {
    try {
      return await op();
    } catch (err) {
      throw toHttpError(err, id);
    }
  }

  /** The declared publishers of each message of a deployed version (versions never change: cached, bounded). */
  const publishers = new Map<string, Promise<Map<string, string[]>>>();
  const publishersOf = (key: string, version: number): Promise<Map<string, string[]>> => {
    const id = `${key}@${version}`;
    let found = publishers.get(id);
    if (!found) {
      found = deps.definitions.resolveDefinition(key, version).then((record) => messagePublishers(record.xml));
      found.catch(() => publishers.delete(id));
      publishers.set(id, found);
      if (publishers.size > 50) publishers.delete(publishers.keys().next().value as string);
    }
    return found;
  };

  const requireAccepted = (outcome: UpdateOutcome, what: string) => {
    if (!outcome.accepted) throw new HttpError(409, 'conflict', `${what} was not applied: ${outcome.reason ?? 'the instance state changed'}`);
  };

  return {
    /**
     * Starts an instance. `options.instanceId` (internal callers only, never from a request body)
     * makes the start idempotent: the id is the caller's, a closed workflow with it is never
     * started again (REJECT_DUPLICATE), and "already started" or "its business key is held by
     * that very id" answer `alreadyStarted` instead of a conflict.
     */
    async start(key: string, request: StartRequest, options: { instanceId?: string } = {}): Promise<{ instanceId: string; version: number; alreadyStarted?: true }> {
      const definition = await deps.definitions.resolveDefinition(key, request.version);
      const instanceId = options.instanceId ?? `pi-${randomUUID()}`;
      const bkHash = request.businessKey === undefined ? undefined : businessKeyHash(key, request.businessKey);
      if (bkHash) {
        const claim = await claimBusinessKey(deps.claims, bkHash, instanceId, instanceState);
        if (!claim.ok && options.instanceId && claim.runningInstanceId === instanceId) {
          return { instanceId, version: definition.version, alreadyStarted: true };
        }
        if (!claim.ok) {
          throw new HttpError(409, 'business_key_in_use', `An instance with this business key is already running`, {
            instanceId: claim.runningInstanceId,
          });
        }
      }
      const input: ProcessInstanceInput = {
        definition: { key: definition.key, version: definition.version },
        model: definition.model as ProcessInstanceInput['model'],
        variables: request.variables ?? {},
        ...(request.businessKey === undefined ? {} : { businessKey: request.businessKey }),
        ...(request.startEventId === undefined ? {} : { startEventId: request.startEventId }),
      };
      try {
        await temporal.workflow.start('processInstance', {
          taskQueue: deps.taskQueue,
          workflowId: instanceId,
          args: [input],
          ...(options.instanceId ? { workflowIdReusePolicy: WorkflowIdReusePolicy.REJECT_DUPLICATE } : {}),
          typedSearchAttributes: new TypedSearchAttributes([
            { key: BPMN_PROCESS_ID, value: definition.key },
            { key: BPMN_PROCESS_VERSION, value: definition.version },
            ...(bkHash ? [{ key: BPMN_BUSINESS_KEY, value: bkHash }] : []),
          ]),
        });
      } catch (err) {
        if (err instanceof WorkflowExecutionAlreadyStartedError) {
          if (options.instanceId) return { instanceId, version: definition.version, alreadyStarted: true };
          throw new HttpError(409, 'conflict', 'instance id collision, retry');
        }
        throw err;
      }
      return { instanceId, version: definition.version };
    },

    /** The live view from the workflow itself; the status from Temporal when it ended abnormally. */
    async get(id: string): Promise<InstanceDetail> {
      return onInstance(id, async () => {
        const description = await handle(id).describe();
        if (description.type !== 'processInstance') throw instanceNotFound(id);
        const view = await handle(id).query(instanceStateQuery);
        const ended = ENDED_BY_TEMPORAL[description.status.name];
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
      if (events.length === 0 && !(await projections.instances.exists({ _id: id }))) throw instanceNotFound(id);
      return events.map((e) => ({ index: e.index, elementId: e.elementId, elementType: e.elementType, event: e.event, time: e.time.getTime() }));
    },

    async setVariables(id: string, variables: Record<string, unknown>) {
      const outcome = await onInstance(id, () => handle(id).executeUpdate(setVariablesUpdate, { args: [{ variables }] }));
      requireAccepted(outcome, 'Setting variables');
    },

    async cancel(id: string) {
      await onInstance(id, async () => {
        const description = await handle(id).describe();
        if (description.status.name !== 'RUNNING') throw new HttpError(409, 'instance_closed', `Process instance '${id}' has already ended`);
        await handle(id).cancel();
      });
    },

    async resolveIncident(id: string, incidentId: string) {
      const outcome = await onInstance(id, () => handle(id).executeUpdate(resolveIncidentUpdate, { args: [{ incidentId }] }));
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
        throw new HttpError(404, 'no_subscriber', `No active instance waits for message '${message.name}' with this correlation key`);
      }
      if (publisher) {
        const allowed = (await publishersOf(waiting.definitionKey, waiting.definitionVersion)).get(message.name);
        if (allowed && !allowed.some((role) => publisher.roles.includes(role))) {
          throw new HttpError(403, 'forbidden', allowed.length
            ? `Message '${message.name}' may be published only by the roles ${allowed.join(', ')}`
            : `Message '${message.name}' is delivered by the service itself only`);
        }
      }
      await onInstance(waiting._id, () => handle(waiting._id).signal(correlateMessageSignal, message));
      return { instanceId: waiting._id };
    },
  };
}

export type InstancesService = ReturnType<typeof createInstancesService>;
