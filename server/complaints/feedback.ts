/**
 * Customer feedback on a touchpoint (0-10). A low score (at or below FEEDBACK_ALERT_THRESHOLD)
 * starts the `low-score-alert` process through its message start event `low-score-feedback`:
 * the API finds the start event subscribed to that message in the latest version and starts
 * the instance on it directly (no broker: a message start is a start with a chosen event).
 *
 * The work order goes to the touchpoint's owner group (TOUCHPOINT_OWNERS), else to
 * ALERT_DEFAULT_GROUP (`customer-experience`): with no configuration at all a low score still
 * lands in an inbox, never in an incident. The process gets ids, the touchpoint, the score and
 * the group; the customer's words and answers stay here and reach the work order through the
 * task list (`feedback` on each alert task), not the workflow history.
 */
import { randomUUID } from 'node:crypto';
import type { z } from 'zod';
import { startEvents } from '../../processes/evaluator';
import type { DefinitionsService } from '../definitions/service';
import type { InstancesService } from '../instances/service';
import { Conflict, DomainError, NotFound } from '../domain/errors';
import { readByIds } from '../projections/bulk';
import type { ComplaintModels, FeedbackRecord } from './model';
import type { FeedbackBody } from './schemas';

export interface FeedbackConfig {
  /** FEEDBACK_ALERT_THRESHOLD: scores at or below it raise an alert. */
  alertThreshold: number;
  /** TOUCHPOINT_OWNERS: touchpoint -> the group that owns it (its inbox gets the alert work order). */
  touchpointOwners: Readonly<Record<string, string>>;
  /** ALERT_DEFAULT_GROUP: the owner group of every other touchpoint. */
  defaultGroup: string;
  /** ALERT_REOPEN_WINDOW: how long a closed alert may be reopened (process variable reopenWindow). */
  reopenWindow: string;
}

export const LOW_SCORE_PROCESS = 'low-score-alert';
export const LOW_SCORE_MESSAGE = 'low-score-feedback';
export const REOPEN_ALERT_MESSAGE = 'low-score-alert-reopen';

/** What an alert work order shows of its feedback (task list `feedback`). */
export interface FeedbackSummary {
  id: string;
  touchpoint: string;
  score: number;
  verbatim: string;
  /** The survey answers at or below the threshold, lowest first. */
  lowAnswers: Array<{ question: string; score: number }>;
  ownerGroup: string | null;
  at: string;
  reopens: Array<{ reason: string; by: string; at: string }>;
}

/** Starts the latest version of `key` on its message start event for `messageName`. */
export async function startByMessage(
  deps: { definitions: DefinitionsService; instances: InstancesService },
  key: string,
  messageName: string,
  variables: Record<string, unknown>,
  businessKey?: string,
) {
  const definition = await deps.definitions.resolveDefinition(key);
  const start = startEvents(definition.model).find((s) =>
    s.trigger.type === 'message' && 'static' in s.trigger.messageName && s.trigger.messageName.static === messageName);
  if (!start) throw new Conflict('no_message_start', `Process '${key}' has no message start event for '${messageName}'`);
  return deps.instances.start(key, { variables, startEventId: start.id, version: definition.version, ...(businessKey ? { businessKey } : {}) });
}

export function createFeedbackService(deps: { models: ComplaintModels; definitions: DefinitionsService; instances: InstancesService; config: FeedbackConfig }) {
  const { config } = deps;
  const ownerOf = (touchpoint: string) =>
    Object.prototype.hasOwnProperty.call(config.touchpointOwners, touchpoint) ? config.touchpointOwners[touchpoint]! : config.defaultGroup;

  const summary = (r: FeedbackRecord): FeedbackSummary => ({
    id: r._id,
    touchpoint: r.touchpoint,
    score: r.score,
    verbatim: r.verbatim,
    lowAnswers: (r.answers ?? []).filter((a) => a.score <= config.alertThreshold).sort((a, b) => a.score - b.score)
      .map((a) => ({ question: a.question, score: a.score })),
    ownerGroup: r.ownerGroup ?? null,
    at: new Date(r.at).toISOString(),
    reopens: (r.reopens ?? []).map((x) => ({ reason: x.reason, by: x.by, at: new Date(x.at).toISOString() })),
  });

  return {
    async submit(body: z.output<typeof FeedbackBody>) {
      const id = `fb-${randomUUID()}`;
      const low = body.score <= config.alertThreshold;
      const ownerGroup = low ? ownerOf(body.touchpoint) : null;
      await deps.models.feedback.create({
        _id: id, touchpoint: body.touchpoint, score: body.score, verbatim: body.verbatim, ...(body.answers ? { answers: body.answers } : {}),
        customerId: body.customerId ?? null, alertInstanceId: null, ownerGroup, at: new Date(),
      });
      if (!low || ownerGroup === null) return { id, alert: null };
      const { instanceId } = await startByMessage(deps, LOW_SCORE_PROCESS, LOW_SCORE_MESSAGE, {
        // Ids, codes and the score only: the customer's words and answers stay in this collection.
        feedbackId: id, touchpoint: body.touchpoint, score: body.score, ownerGroup, reopenWindow: config.reopenWindow, rootCause: null,
      }, id);
      await deps.models.feedback.updateOne({ _id: id }, { $set: { alertInstanceId: instanceId } });
      return { id, alert: { instanceId, ownerGroup } };
    },

    /** The alert summaries of these feedback ids (unknown ids are left out). */
    async summaries(ids: readonly string[]): Promise<Map<string, FeedbackSummary>> {
      const wanted = [...new Set(ids)];
      const out = new Map<string, FeedbackSummary>();
      if (wanted.length === 0) return out;
      const found = await readByIds(wanted, (id) => deps.models.feedback.findById(id).lean<FeedbackRecord>());
      for (const [id, record] of found) out.set(id, summary(record));
      return out;
    },

    /**
     * Reopens a closed alert work order (within ALERT_REOPEN_WINDOW): the reason is kept here,
     * the process gets the message (correlation key = feedback id) with rootCause cleared and
     * opens a new work order for the same group.
     */
    async reopen(id: string, reason: string, by: string) {
      const record = await deps.models.feedback.findById(id).lean<FeedbackRecord>();
      if (!record) throw new NotFound('feedback_not_found', `No feedback '${id}'`);
      if (!record.alertInstanceId) throw new Conflict('no_alert', `Feedback '${id}' raised no alert`);
      try {
        await deps.instances.correlateMessage({ name: REOPEN_ALERT_MESSAGE, correlationKey: id, variables: { rootCause: null }, messageId: `reopen-${randomUUID()}` });
      } catch (err) {
        if (err instanceof DomainError && err.code === 'no_subscriber') {
          throw new Conflict('alert_not_closed', `The alert of feedback '${id}' is not closed, or its reopen window is over`);
        }
        throw err;
      }
      await deps.models.feedback.updateOne({ _id: id }, { $push: { reopens: { reason, by, at: new Date() } } });
      return { id, reopened: true };
    },
  };
}

export type FeedbackService = ReturnType<typeof createFeedbackService>;

/**
 * The task list's `feedback` on alert work orders: for each instance whose business key is a
 * feedback id, that feedback's summary (keyed by instance id, as the task list asks).
 */
export function alertTaskAnnotations(service: () => Pick<FeedbackService, 'summaries'>) {
  return async (owners: ReadonlyMap<string, { businessKey: string | null }>): Promise<Map<string, { feedback: FeedbackSummary }>> => {
    const byInstance = [...owners].filter(([, o]) => o.businessKey?.startsWith('fb-'));
    const out = new Map<string, { feedback: FeedbackSummary }>();
    if (byInstance.length === 0) return out;
    const summaries = await service().summaries(byInstance.map(([, o]) => o.businessKey!));
    for (const [instanceId, o] of byInstance) {
      const feedback = summaries.get(o.businessKey!);
      if (feedback) out.set(instanceId, { feedback });
    }
    return out;
  };
}
