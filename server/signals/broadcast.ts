/**
 * Broadcasting a signal as Zeebe does (decision 0034): it reaches every instance waiting for
 * its name now (the projection's `signalNames`) and starts one instance of the latest version
 * of every process with a signal start event of that name. Nothing is buffered: an instance
 * whose subscription is not in the projection yet does not get it. Variables stay out of logs.
 */
import { createHash, randomUUID } from 'node:crypto';
import { WorkflowNotFoundError, type Client } from '@temporalio/client';
import { trusted } from 'mongoose';
import type { Variables } from '../../processes/evaluator';
import { bpmnSignal } from '../../workflows/processInstance/signals';
import type { StartRequest } from '../instances/service';
import type { Logger } from '../log';
import type { ProjectionModels } from '../projections/models';
import type { StartRegistry } from '../starts/registry';

export interface BroadcastRequest {
  signalName: string;
  variables?: Variables | undefined;
  /** Idempotency: a repeated broadcast with this id reaches nobody twice (the activity's retries). */
  signalId?: string | undefined;
}

export interface BroadcastResult {
  signalKey: string;
  /** Instances the signal was delivered to. */
  delivered: Array<{ instanceId: string; processKey: string }>;
  /** Instances its signal start events started. */
  started: Array<{ instanceId: string; processKey: string }>;
}

export interface BroadcastDeps {
  temporal: Client;
  projections: ProjectionModels;
  starts: StartRegistry;
  start: (key: string, request: StartRequest, options: { instanceId?: string }) => Promise<{ instanceId: string; alreadyStarted?: true }>;
  log?: Logger;
}

const PAGE = 200;
const PARALLEL = 16;

/** A `pi-<uuid>`-shaped id derived from the signal and the process: a retried start finds its instance. */
function derivedInstanceId(signalId: string, processKey: string): string {
  const h = createHash('sha256').update(`signal-start\u0000${signalId}\u0000${processKey}`).digest('hex');
  return `pi-${h.slice(0, 8)}-${h.slice(8, 12)}-${h.slice(12, 16)}-${h.slice(16, 20)}-${h.slice(20, 32)}`;
}

/** The active instances waiting for `name`, page by page in id order. */
async function* waiting(projections: ProjectionModels, name: string): AsyncGenerator<Array<{ _id: string; definitionKey: string }>> {
  let after: string | null = null;
  for (;;) {
    const filter = { status: 'active' as const, signalNames: name, ...(after === null ? {} : { _id: trusted({ $gt: after }) }) };
    const page: Array<{ _id: string; definitionKey: string }> = await projections.instances.find(filter).select({ _id: 1, definitionKey: 1 }).sort({ _id: 1 }).limit(PAGE).lean().exec();
    if (page.length > 0) yield page;
    if (page.length < PAGE) return;
    after = page[page.length - 1]!._id;
  }
}

async function deliver(temporal: Client, instanceId: string, request: BroadcastRequest, signalId: string): Promise<boolean> {
  try {
    await temporal.workflow.getHandle(instanceId).signal(bpmnSignal, { name: request.signalName, variables: request.variables ?? {}, signalId });
    return true;
  } catch (err) {
    if (err instanceof WorkflowNotFoundError) return false; // ended since its projection was written
    throw err;
  }
}

export async function broadcastSignal(deps: BroadcastDeps, request: BroadcastRequest): Promise<BroadcastResult> {
  const signalId = request.signalId ?? `sig-${randomUUID()}`;
  const delivered: BroadcastResult['delivered'] = [];
  for await (const page of waiting(deps.projections, request.signalName)) {
    for (let i = 0; i < page.length; i += PARALLEL) {
      const batch = page.slice(i, i + PARALLEL);
      const reached = await Promise.all(batch.map((w) => deliver(deps.temporal, w._id, request, signalId)));
      batch.forEach((w, n) => { if (reached[n]) delivered.push({ instanceId: w._id, processKey: w.definitionKey }); });
    }
  }
  const started: BroadcastResult['started'] = [];
  for (const target of await deps.starts.bySignal(request.signalName)) {
    const instanceId = request.signalId ? derivedInstanceId(request.signalId, target.key) : `pi-${randomUUID()}`;
    const result = await deps.start(target.key, { version: target.version, startEventId: target.startEventId, variables: request.variables ?? {} }, { instanceId });
    started.push({ instanceId: result.instanceId, processKey: target.key });
  }
  deps.log?.info({ signalKey: signalId, delivered: delivered.length, started: started.length }, 'signal broadcast');
  return { signalKey: signalId, delivered, started };
}
