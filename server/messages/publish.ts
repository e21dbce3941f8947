/**
 * Publishing a message as Zeebe does: it is correlated to a waiting instance of each process
 * (at most one per process key), starts an instance of each process whose latest version has
 * a message start event of that name (one per correlation key while that instance is active),
 * and with a time-to-live it is buffered and reaches a subscription that opens before it
 * expires (projection part below). Variables stay out of logs.
 */
import { createHash, randomUUID } from 'node:crypto';
import { WorkflowNotFoundError, type Client } from '@temporalio/client';
import type { Variables } from '../../processes/evaluator';
import { correlateMessageSignal } from '../../workflows/processInstance/messages';
import type { StartRequest } from '../instances/service';
import { claimBusinessKey, type ClaimedInstanceState } from '../instances/businessKeys';
import { Conflict, NotFound } from '../domain/errors';
import type { Logger } from '../log';
import type { AppliedSnapshot, ProjectionPart } from '../projections/flush';
import { subscriptionKey, type ProjectionModels } from '../projections/models';
import type { StartRegistry } from '../starts/registry';
import type { MessageBuffer } from './buffer';

export interface PublishRequest {
  name: string;
  correlationKey?: string | undefined;
  variables?: Variables | undefined;
  messageId?: string | undefined;
  /** Milliseconds the message stays buffered for subscriptions that open later; 0 = not buffered. */
  timeToLive?: number | undefined;
}

export interface PublishResult {
  messageKey: string;
  /** Waiting instances it was delivered to (one per process key). */
  correlated: Array<{ instanceId: string; processKey: string }>;
  /** Instances its message start events started. */
  started: Array<{ instanceId: string; processKey: string }>;
  /** Set when buffered: until when a subscription that opens can still receive it. */
  expiresAt: Date | null;
}

export interface PublishDeps {
  temporal: Client;
  projections: ProjectionModels;
  starts: StartRegistry;
  buffer: MessageBuffer;
  /** The business-key claims collection; message starts claim (process, correlation key) in it. */
  claims: Parameters<typeof claimBusinessKey>[0];
  start: (key: string, request: StartRequest, options: { instanceId?: string }) => Promise<{ instanceId: string; alreadyStarted?: true }>;
  log?: Logger;
  now?: () => Date;
}

const sha = (text: string) => createHash('sha256').update(text).digest('hex').slice(0, 32);

/** One running message-started instance per (process, correlation key): a claim beside the business keys. */
export const messageStartClaimId = (processKey: string, correlationKey: string) => `message-start:${sha(`${processKey}\u0000${correlationKey}`)}`;

async function instanceState(temporal: Client, id: string): Promise<ClaimedInstanceState> {
  try {
    return (await temporal.workflow.getHandle(id).describe()).status.name === 'RUNNING' ? 'running' : 'ended';
  } catch (err) {
    if (err instanceof WorkflowNotFoundError) return 'unknown';
    throw err;
  }
}

interface Message {
  key: string;
  name: string;
  correlationKey: string | null;
  variables: Variables;
  /** What the instance de-duplicates by: the message key when buffered, else the caller's messageId. */
  messageId: string | undefined;
}

/** Delivers to the oldest waiting instance of each process not in `skip`; with `claim`, exactly once per process. */
async function deliverToWaiting(deps: PublishDeps, message: Message, skip: Set<string>, claim: boolean) {
  const waiting = await deps.projections.instances
    .find({ status: 'active', subscriptionKeys: subscriptionKey(message.name, message.correlationKey) })
    .select({ _id: 1, definitionKey: 1 })
    .sort({ startedAt: 1, _id: 1 })
    .lean()
    .exec();
  const byProcess = new Map<string, string[]>();
  for (const w of waiting) byProcess.set(w.definitionKey, [...(byProcess.get(w.definitionKey) ?? []), w._id]);
  const delivered: PublishResult['correlated'] = [];
  for (const [processKey, ids] of byProcess) {
    if (skip.has(processKey)) continue;
    if (claim && !(await deps.buffer.claim(message.key, processKey))) continue;
    const instanceId = await signalFirst(deps.temporal, ids, message);
    if (instanceId) {
      delivered.push({ instanceId, processKey });
      if (claim) await deps.buffer.noteInstance(message.key, processKey, instanceId);
    } else if (claim) {
      await deps.buffer.release(message.key, processKey);
    }
  }
  return delivered;
}

async function signalFirst(temporal: Client, ids: string[], message: Message): Promise<string | null> {
  for (const id of ids) {
    try {
      await temporal.workflow.getHandle(id).signal(correlateMessageSignal, {
        name: message.name,
        ...(message.correlationKey === null ? {} : { correlationKey: message.correlationKey }),
        variables: message.variables,
        ...(message.messageId ? { messageId: message.messageId } : {}),
      });
      return id;
    } catch (err) {
      if (!(err instanceof WorkflowNotFoundError)) throw err;
    }
  }
  return null;
}

/** Starts an instance of each process with a message start event of this name (Zeebe's rules). */
async function startByMessage(deps: PublishDeps, message: Message, skip: Set<string>, claim: boolean) {
  const started: PublishResult['started'] = [];
  for (const target of await deps.starts.byMessage(message.name)) {
    if (skip.has(target.key)) continue;
    if (claim && !(await deps.buffer.claim(message.key, target.key))) continue;
    const instanceId = `pi-${randomUUID()}`;
    if (message.correlationKey !== null && message.correlationKey !== '') {
      const held = await claimBusinessKey(deps.claims, messageStartClaimId(target.key, message.correlationKey), instanceId, (id) => instanceState(deps.temporal, id));
      if (!held.ok) {
        // An instance this correlation key started is still active: no second one (Zeebe).
        if (claim) await deps.buffer.release(message.key, target.key);
        continue;
      }
    }
    await deps.start(target.key, { version: target.version, startEventId: target.startEventId, variables: message.variables }, { instanceId });
    started.push({ instanceId, processKey: target.key });
    if (claim) await deps.buffer.noteInstance(message.key, target.key, instanceId);
  }
  return started;
}

export async function publishMessage(deps: PublishDeps, request: PublishRequest): Promise<PublishResult> {
  const now = deps.now?.() ?? new Date();
  const ttl = request.timeToLive ?? 0;
  const correlationKey = request.correlationKey ?? null;
  const message: Message = {
    key: request.messageId ? `msg-${sha(`${request.name}\u0000${correlationKey ?? ''}\u0000${request.messageId}`)}` : `msg-${randomUUID()}`,
    name: request.name,
    correlationKey,
    variables: request.variables ?? {},
    messageId: request.messageId,
  };
  let expiresAt: Date | null = null;
  if (ttl > 0) {
    await deps.buffer.expire(now);
    expiresAt = new Date(now.getTime() + ttl);
    message.messageId = message.key;
    try {
      await deps.buffer.messages.create({
        _id: message.key, name: message.name, correlationKey, subscriptionKey: subscriptionKey(message.name, correlationKey),
        variables: message.variables, publishedAt: now, expiresAt,
      });
    } catch (err) {
      if ((err as { code?: number }).code !== 11000) throw err;
      throw new Conflict('message_already_published', `A message with this messageId is still buffered (until it expires or is published under another id)`);
    }
  }
  const buffered = ttl > 0;
  const correlated = await deliverToWaiting(deps, message, new Set(), buffered);
  const started = await startByMessage(deps, message, new Set(correlated.map((c) => c.processKey)), buffered);
  if (!buffered && correlated.length === 0 && started.length === 0) {
    throw new NotFound('no_subscriber', `No active instance waits for message '${request.name}' with this correlation key, and no process starts with it`);
  }
  return { messageKey: message.key, correlated, started, expiresAt };
}

/**
 * The worker side of buffering: when a snapshot shows message subscriptions that the stored
 * instance did not have, the oldest unexpired buffered message for each is delivered (claimed
 * per process first, so a message the publisher delivered itself is not delivered again).
 * The buffered messages for every subscription a flush opens are read with one query.
 */
export function bufferedMessagesPart(deps: { temporal: Client; buffer: MessageBuffer; log?: Logger; now?: () => Date }): ProjectionPart {
  return {
    name: 'buffered-messages',
    async write(applied: AppliedSnapshot[]) {
      const now = deps.now?.() ?? new Date();
      const opening = applied.flatMap(({ snapshot, before }) => {
        if (snapshot.status !== 'active' || snapshot.subscriptions.length === 0) return [];
        const had = new Set(before?.subscriptionKeys ?? []);
        const opened = [...new Set(snapshot.subscriptions.map((s) => subscriptionKey(s.messageName, s.correlationKey)))].filter((k) => !had.has(k));
        return opened.length === 0 ? [] : [{ snapshot, opened }];
      });
      if (opening.length === 0) return;
      let candidates: Awaited<ReturnType<MessageBuffer['waitingFor']>>;
      try {
        candidates = await deps.buffer.waitingFor([...new Set(opening.flatMap((o) => o.opened))], now);
      } catch (err) {
        deps.log?.warn({ err, instanceIds: opening.map((o) => o.snapshot.instanceId) }, 'buffered message delivery failed');
        return;
      }
      for (const { snapshot, opened } of opening) {
        try {
          for (const key of opened) {
            for (const m of candidates.filter((c) => c.subscriptionKey === key)) {
              if (!(await deps.buffer.claim(m._id, snapshot.definition.key))) continue;
              const message: Message = { key: m._id, name: m.name, correlationKey: m.correlationKey, variables: m.variables, messageId: m._id };
              if (await signalFirst(deps.temporal, [snapshot.instanceId], message)) {
                await deps.buffer.noteInstance(m._id, snapshot.definition.key, snapshot.instanceId);
              } else {
                await deps.buffer.release(m._id, snapshot.definition.key);
              }
              break;
            }
          }
        } catch (err) {
          deps.log?.warn({ err, instanceId: snapshot.instanceId }, 'buffered message delivery failed');
        }
      }
    },
  };
}
