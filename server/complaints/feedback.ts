/**
 * Customer feedback on a touchpoint (0-10). A low score (at or below FEEDBACK_ALERT_THRESHOLD)
 * starts the `low-score-alert` process through its message start event `low-score-feedback`:
 * the API finds the start event subscribed to that message in the latest version and starts
 * the instance on it directly (no broker: a message start is a start with a chosen event).
 */
import { randomUUID } from 'node:crypto';
import type { z } from 'zod';
import { startEvents } from '../../processes/evaluator';
import type { DefinitionsService } from '../api/definitions/service';
import type { InstancesService } from '../api/instances/service';
import { HttpError } from '../http/errors';
import type { ComplaintModels } from './model';
import type { FeedbackBody } from './schemas';

export interface FeedbackConfig {
  /** FEEDBACK_ALERT_THRESHOLD: scores at or below it raise an alert. */
  alertThreshold: number;
  /** TOUCHPOINT_OWNERS: touchpoint -> the user who owns it (alert work orders are assigned to them). */
  touchpointOwners: Readonly<Record<string, string>>;
}

export const LOW_SCORE_PROCESS = 'low-score-alert';
export const LOW_SCORE_MESSAGE = 'low-score-feedback';

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
  if (!start) throw new HttpError(409, 'no_message_start', `Process '${key}' has no message start event for '${messageName}'`);
  return deps.instances.start(key, { variables, startEventId: start.id, version: definition.version, ...(businessKey ? { businessKey } : {}) });
}

export function createFeedbackService(deps: { models: ComplaintModels; definitions: DefinitionsService; instances: InstancesService; config: FeedbackConfig }) {
  return {
    async submit(body: z.output<typeof FeedbackBody>) {
      const id = `fb-${randomUUID()}`;
      await deps.models.feedback.create({ _id: id, touchpoint: body.touchpoint, score: body.score, verbatim: body.verbatim, customerId: body.customerId ?? null, alertInstanceId: null, at: new Date() });
      if (body.score > deps.config.alertThreshold) return { id, alert: null };
      const owners = deps.config.touchpointOwners;
      const owner = Object.prototype.hasOwnProperty.call(owners, body.touchpoint) ? owners[body.touchpoint]! : null;
      const { instanceId } = await startByMessage(deps, LOW_SCORE_PROCESS, LOW_SCORE_MESSAGE, {
        // The verbatim is what the work order is about, so it travels with it (no customer id).
        feedbackId: id, touchpoint: body.touchpoint, touchpointOwner: owner, score: body.score, verbatim: body.verbatim, rootCause: null,
      }, id);
      await deps.models.feedback.updateOne({ _id: id }, { $set: { alertInstanceId: instanceId } });
      return { id, alert: { instanceId } };
    },
  };
}
