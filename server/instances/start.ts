/**
 * Starting an instance on an exact definition version: refused before anything is started when
 * no start event can take it, the business key claimed (decision 0004), the workflow started
 * with its search attributes.
 */
import { randomUUID } from 'node:crypto';
import { WorkflowExecutionAlreadyStartedError, WorkflowIdReusePolicy, type Client } from '@temporalio/client';
import { TypedSearchAttributes } from '@temporalio/common';
import type { ExecutionLimits, ProcessInstanceInput } from '../../workflows/processInstance/types';
import { BPMN_BUSINESS_KEY, BPMN_PROCESS_ID, BPMN_PROCESS_VERSION } from '../../workflows/searchAttributes';
import { startEvents } from '../../processes/evaluator';
import type { EventTrigger, ProcessModel } from '../../processes/model';
import type { DefinitionsService } from '../definitions/service';
import { Conflict, Unprocessable } from '../domain/errors';
import { checkStartInputSize, startRefusedForSize } from './inputSize';
import { businessKeyHash, claimBusinessKey, type businessKeyClaims, type ClaimedInstanceState } from './businessKeys';

export interface StartRequest {
  variables?: Record<string, unknown>;
  businessKey?: string;
  version?: number;
  /** Which start event to enter (a message start, for instance); default the none start event. */
  startEventId?: string;
}

export interface StartDeps {
  temporal: Client;
  taskQueue: string;
  definitions: DefinitionsService;
  claims: ReturnType<typeof businessKeyClaims>;
  limits?: ExecutionLimits | undefined;
}

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
export function refuseUnstartable(model: ProcessModel, startEventId: string | undefined): void {
  const starts = startEvents(model);
  const ok = startEventId === undefined ? starts.some((s) => s.trigger.type === 'none') : starts.some((s) => s.id === startEventId);
  if (ok) return;
  const list = starts.length ? starts.map(describeStart).join(', ') : 'none at all';
  const why = startEventId === undefined
    ? `Process '${model.id}' has no none start event, so it cannot be started by this request; its start events: ${list}`
    : `'${startEventId}' is not a start event of process '${model.id}'; its start events: ${list}`;
  throw new Unprocessable('no_start_event', why, { startEvents: starts.map((s) => ({ elementId: s.id, trigger: s.trigger.type })) });
}

/**
 * Starts an instance. `options.instanceId` (internal callers only, never from a request body)
 * makes the start idempotent: the id is the caller's, a closed workflow with it is never
 * started again (REJECT_DUPLICATE), and "already started" or "its business key is held by
 * that very id" answer `alreadyStarted` instead of a conflict.
 */
export async function startInstance(
  deps: StartDeps,
  instanceState: (id: string) => Promise<ClaimedInstanceState>,
  key: string,
  request: StartRequest,
  options: { instanceId?: string } = {},
): Promise<{ instanceId: string; version: number; alreadyStarted?: true }> {
  const definition = await deps.definitions.resolveDefinition(key, request.version);
  refuseUnstartable(definition.model as ProcessModel, request.startEventId);
  const input: ProcessInstanceInput = {
    definition: { key: definition.key, version: definition.version },
    model: definition.model as ProcessInstanceInput['model'],
    variables: request.variables ?? {},
    ...(request.businessKey === undefined ? {} : { businessKey: request.businessKey }),
    ...(request.startEventId === undefined ? {} : { startEventId: request.startEventId }),
    ...(deps.limits ? { limits: deps.limits } : {}),
  };
  checkStartInputSize(input);
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
  try {
    await deps.temporal.workflow.start('processInstance', {
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
    throw startRefusedForSize(err, input) ?? err;
  }
  return { instanceId, version: definition.version };
}
