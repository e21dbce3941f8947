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
} from '../../workflows/processInstance/messages';
import type { ElementEvent, ExecutionLimits, InstanceView, ProcessInstanceInput } from '../../workflows/processInstance/types';
import { startEvents } from '../../processes/evaluator';
import type { EventTrigger, ProcessModel } from '../../processes/model';
import type { ReplayWorkerOptions } from '@temporalio/worker';
import { elementHistoryFromTemporal } from '../history/fromTemporal';
import { BPMN_BUSINESS_KEY, BPMN_PROCESS_ID, BPMN_PROCESS_VERSION } from '../../workflows/searchAttributes';
import { Conflict, Forbidden, NotFound, Unavailable, Unprocessable } from '../domain/errors';
import { messagePublishers } from '../../processes/compiler/messagePublishers';
import type { ProjectionModels } from '../projections/models';
import { subscriptionKey, type InstanceRecord } from '../projections/models';
import type { DefinitionsService } from '../definitions/service';
import type { businessKeyClaims} from './businessKeys';
import { businessKeyHash, claimBusinessKey, type ClaimedInstanceState } from './businessKeys';
import { instanceNotFound, fromTemporalError } from './temporalErrors';
import type { StartRegistry } from '../starts/registry';
import type { MessageBuffer } from '../messages/buffer';
import { publishMessage, type PublishRequest, type PublishResult } from '../messages/publish';
import type { Logger } from '../log';

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

/** The sequence of a projection the server closed itself: no later snapshot of the dead workflow can overwrite it. */
const CLOSED_BY_SERVER = Number.MAX_SAFE_INTEGER;
/** How long GET /api/instances/{id} waits for the live view before it answers from the read model. */
const LIVE_QUERY_TIMEOUT_MS = 3000;

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

function describeStart(start: { id: string; trigger: EventTrigger }): string {
  const { trigger } = start;
  if (trigger.type === 'message') return `'${start.id}' (message ${'static' in trigger.messageName ? `'${trigger.messageName.static}'` : 'named by an expression'})`;
  return `'${start.id}' (${trigger.type})`;
}

/**
 * A start that no start event can take is refused before anything is started (Zeebe's
 * CreateProcessInstance needs a none start event): naming the process's start events, so the
 * caller knows to publish the message or wait for the timer instead.
 */
function refuseUnstartable(model: ProcessModel, startEventId: string | undefined): void {
  const starts = startEvents(model);
  const ok = startEventId === undefined ? starts.some((s) => s.trigger.type === 'none') : starts.some((s) => s.id === startEventId);
  if (ok) return;
  const list = starts.length ? starts.map(describeStart).join(', ') : 'none at all';
  const why = startEventId === undefined
    ? `Process '${model.id}' has no none start event, so it cannot be started by this request; its start events: ${list}`
    : `'${startEventId}' is not a start event of process '${model.id}'; its start events: ${list}`;
  throw new Unprocessable('no_start_event', why, { startEvents: starts.map((s) => ({ elementId: s.id, trigger: s.trigger.type })) });
}

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

  /** The end of an instance the workflow could not report itself. */
  async function closeReadModel(id: string, status: 'terminated'): Promise<void> {
    const now = new Date();
    const open = trusted({ $in: ['open', 'claimed'] }) as never;
    await projections.tasks.updateMany({ instanceId: id, state: open }, { $set: { state: 'canceled', closedAt: now, sequence: CLOSED_BY_SERVER } });
    await projections.openTasks.deleteMany({ instanceId: id });
    await projections.instances.updateOne({ _id: id }, {
      $set: { status, activeElements: [], timers: [], subscriptionKeys: [], openTaskCount: 0, openTaskKeys: [], sequence: CLOSED_BY_SERVER, updatedAt: now },
    });
  }

  async function viewFromProjection(id: string): Promise<InstanceView | null> {
    const record = await projections.instances.findById(id).lean();
    if (!record) return null;
    const tasks = await projections.openTasks.find({ instanceId: id }).lean();
    return {
      status: record.status,
      definition: { key: record.definitionKey, version: record.definitionVersion },
      businessKey: record.businessKey,
      activeElements: record.activeElements,
      variables: record.variables,
      tasks: tasks.map((t) => ({
        key: t.taskKey, elementId: t.elementId, name: t.name, state: t.state === 'claimed' ? 'claimed' : 'open', assignee: t.assignee,
        candidateGroups: t.candidateGroups, candidateUsers: t.candidateUsers,
        dueDate: t.dueAt ? t.dueAt.toISOString() : null, followUpDate: t.followUpAt ? t.followUpAt.toISOString() : null,
        formKey: t.formKey, createdAt: t.createdAt.getTime(),
      })),
      incidents: record.incidents.map((i) => ({ id: i.id, elementId: i.elementId, type: i.type, message: i.message, createdAt: new Date(i.createdAt).getTime() })),
      timers: record.timers.map((t) => ({ key: t.key, elementId: t.elementId, dueAt: new Date(t.dueAt).getTime() })),
      subscriptions: record.subscriptionKeys.map((k) => {
        const [messageName = '', correlationKey] = k.split('\u001f');
        return { messageName, correlationKey: correlationKey === undefined || correlationKey === '' ? null : correlationKey };
      }),
    };
  }

  /** The declared publishers of each message of a deployed version (versions never change: cached, bounded). */
  const publishers = new Map<string, Promise<Map<string, string[]>>>();
  const publishersOf = (key: string, version: number): Promise<Map<string, string[]>> => {
    const id = `${key}@${version}`;
    let found = publishers.get(id);
    if (!found) {
      // A version not in the repository (an instance started from a model directly) declares nothing.
      found = deps.definitions.resolveDefinition(key, version).then(
        (record) => messagePublishers(record.xml),
        (err: unknown) => {
          if (err instanceof NotFound) return new Map<string, string[]>();
          throw err;
        },
      );
      found.catch(() => publishers.delete(id));
      publishers.set(id, found);
      if (publishers.size > 50) publishers.delete(publishers.keys().next().value as string);
    }
    return found;
  };

  const requireAccepted = (outcome: UpdateOutcome, what: string) => {
    if (!outcome.accepted) throw new Conflict('conflict', `${what} was not applied: ${outcome.reason ?? 'the instance state changed'}`);
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
      refuseUnstartable(definition.model as ProcessModel, request.startEventId);
      const instanceId = options.instanceId ?? `pi-${randomUUID()}`;
      const bkHash = request.businessKey === undefined ? undefined : businessKeyHash(key, request.businessKey);
      if (bkHash) {
        const claim = await claimBusinessKey(deps.claims, bkHash, instanceId, instanceState);
        if (!claim.ok && options.instanceId && claim.runningInstanceId === instanceId) {
          return { instanceId, version: definition.version, alreadyStarted: true };
        }
        if (!claim.ok) {
          throw new Conflict('business_key_in_use', `An instance with this business key is already running`, {
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
        ...(deps.limits ? { limits: deps.limits } : {}),
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
          throw new Conflict('conflict', 'instance id collision, retry');
        }
        throw err;
      }
      return { instanceId, version: definition.version };
    },

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
          const stored = await viewFromProjection(id);
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
      if (events.length === 0 && !(await projections.instances.exists({ _id: id }))) throw instanceNotFound(id);
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
        await closeReadModel(id, 'terminated');
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
    async authorizePublisher(message: { name: string; correlationKey?: string }, roles: readonly string[]) {
      const waiting = await projections.instances
        .find({ status: 'active', subscriptionKeys: subscriptionKey(message.name, message.correlationKey ?? null) })
        .select({ definitionKey: 1, definitionVersion: 1 })
        .limit(20)
        .lean();
      const starting = deps.messaging ? await deps.messaging.starts.byMessage(message.name) : [];
      const targets = new Map<string, { key: string; version: number }>();
      for (const w of waiting) targets.set(`${w.definitionKey}@${w.definitionVersion}`, { key: w.definitionKey, version: w.definitionVersion });
      for (const s of starting) targets.set(`${s.key}@${s.version}`, { key: s.key, version: s.version });
      for (const { key, version } of targets.values()) {
        const allowed = (await publishersOf(key, version)).get(message.name);
        if (allowed && !allowed.some((role) => roles.includes(role))) {
          throw new Forbidden('forbidden', allowed.length
            ? `Message '${message.name}' may be published only by the roles ${allowed.join(', ')}`
            : `Message '${message.name}' is delivered by the service itself only`);
        }
      }
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
        throw new NotFound('no_subscriber', `No active instance waits for message '${message.name}' with this correlation key`);
      }
      if (publisher) {
        const allowed = (await publishersOf(waiting.definitionKey, waiting.definitionVersion)).get(message.name);
        if (allowed && !allowed.some((role) => publisher.roles.includes(role))) {
          throw new Forbidden('forbidden', allowed.length
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
