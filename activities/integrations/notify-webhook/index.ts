/** `notify.webhook`: one JSON POST through the webhook channel (notifications/webhook.ts). */
import { z } from 'zod';
import { notifyIntegration } from '../../notifications/integration';
import { credentialName, deliveryTimeout, notificationMarkdown, notificationSubject, notificationText } from '../../notifications/schema';
import { webhookChannel } from '../../notifications/webhook';
import { notifyWebhookManifest } from './manifest';

export const notifyWebhookInput = z
  .object({
    url: z.url({ protocol: /^https?$/, error: 'must be an http or https URL' }).optional(),
    credential: credentialName.optional(),
    subject: notificationSubject.optional(),
    text: notificationText,
    markdown: notificationMarkdown.optional(),
    data: z.record(z.string(), z.json()).optional(),
    timeoutMs: deliveryTimeout(15_000),
  })
  .refine((v) => v.url !== undefined || v.credential !== undefined, {
    path: ['url'],
    message: 'a URL, or a credential with a url field, is required',
  });

export const notifyWebhook = notifyIntegration(notifyWebhookManifest, notifyWebhookInput, webhookChannel, (input) => ({
  message: {
    text: input.text,
    ...(input.subject !== undefined ? { subject: input.subject } : {}),
    ...(input.markdown !== undefined ? { markdown: input.markdown } : {}),
    ...(input.data !== undefined ? { data: input.data } : {}),
  },
  target: {
    ...(input.url !== undefined ? { url: input.url } : {}),
    ...(input.credential !== undefined ? { credential: input.credential } : {}),
  },
  timeoutMs: input.timeoutMs,
}));
