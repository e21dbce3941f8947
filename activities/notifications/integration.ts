/**
 * Builds a `notify.<channel>` catalog integration from a channel: the integration's input
 * is split into the message and the channel's target, and the delivery becomes the one
 * output variable `notification`, so an unmapped task cannot overwrite process variables
 * such as `id`.
 */
import type { z } from 'zod';
import type { Integration, IntegrationManifest } from '../catalog/types';
import { defineIntegration } from '../catalog/types';
import type { Notification, NotificationChannel } from './channel';
import type { RobotTarget } from './robot';
import type { RobotInput } from './schema';
import { notifyOutput } from './schema';

export interface Split<Target> {
  message: Notification;
  target: Target;
  timeoutMs: number;
}

export function notifyIntegration<I extends z.ZodObject, Target>(
  manifest: IntegrationManifest,
  input: I,
  channel: NotificationChannel<Target>,
  split: (input: z.infer<I>) => Split<Target>,
): Integration<I, typeof notifyOutput> {
  return defineIntegration({
    ...manifest,
    input,
    output: notifyOutput,
    async run(parsed, ctx) {
      const { message, target, timeoutMs } = split(parsed);
      const started = Date.now();
      const delivery = await channel.send(message, { ...ctx, target, timeoutMs });
      // Counts and timing only: addresses, bodies and robot addresses stay out of logs.
      ctx.log(`${manifest.type} delivered`, {
        ms: Date.now() - started,
        ...(delivery.accepted !== undefined ? { accepted: delivery.accepted, rejected: delivery.rejected ?? 0 } : {}),
      });
      return { notification: { channel: channel.type, ...delivery } };
    },
  });
}

/** Robot integrations: everything but the credential and timeout is the message. */
export function robotSplit(input: Partial<RobotInput> & Pick<RobotInput, 'credential' | 'text' | 'timeoutMs'>): Split<RobotTarget> {
  const { credential, timeoutMs, ...message } = input;
  return { message, target: { credential }, timeoutMs };
}
