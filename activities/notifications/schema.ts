/** Zod pieces the notify.* integrations share, so every channel reads its fields alike. */
import { z } from 'zod';

export const credentialName = z.string().regex(/^[A-Za-z0-9][A-Za-z0-9_.-]*$/, 'letters, digits, _ . - only');

export const notificationText = z.string().trim().min(1).max(20_000);
export const notificationMarkdown = z.string().trim().min(1).max(20_000);
export const notificationSubject = z.string().trim().min(1).max(500).regex(/^[^\r\n]*$/, 'must be one line');

/** A robot user id; no markup characters, as it is written into the message body. */
export const mentionId = z.string().regex(/^[^\s<>"'&]{1,64}$/, 'a user id without spaces or <>"\'&');
export const mobileNumber = z.string().regex(/^\+?[0-9][0-9-]{4,19}$/, 'a phone number');

/** Bound on one delivery attempt; the activity's own timeout is longer. */
export function deliveryTimeout(defaultMs: number) {
  return z.number().int().min(1_000).max(60_000).default(defaultMs);
}

/** The input of the robot integrations (notify.wecom, notify.dingtalk, notify.feishu). */
export const robotInput = z.object({
  /** The robot's address and secret are a credential, never part of the diagram. */
  credential: credentialName,
  text: notificationText,
  markdown: notificationMarkdown.optional(),
  subject: notificationSubject.optional(),
  mentions: z.array(mentionId).max(50).optional(),
  mentionMobiles: z.array(mobileNumber).max(50).optional(),
  mentionAll: z.boolean().optional(),
  timeoutMs: deliveryTimeout(15_000),
});

export type RobotInput = z.infer<typeof robotInput>;

export const notifyOutput = z.object({
  notification: z.object({
    channel: z.string(),
    delivered: z.literal(true),
    id: z.string().optional(),
    accepted: z.number().int().optional(),
    rejected: z.number().int().optional(),
  }),
});

export type NotifyOutput = z.infer<typeof notifyOutput>;
