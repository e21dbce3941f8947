/** `notify.email`: one e-mail through the e-mail channel (notifications/email.ts). */
import { z } from 'zod';
import { emailChannel } from '../../notifications/email';
import { notifyIntegration } from '../../notifications/integration';
import { credentialName, deliveryTimeout, notificationSubject, notificationText } from '../../notifications/schema';
import { notifyEmailManifest } from './manifest';

const address = z.email({ error: 'not an e-mail address' });
/** One address or a list; always a list after parsing. */
const addresses = z
  .union([address, z.array(address).min(1).max(100)])
  .transform((v) => (typeof v === 'string' ? [v] : v));

export const notifyEmailInput = z.object({
  to: addresses,
  cc: addresses.optional(),
  bcc: addresses.optional(),
  replyTo: address.optional(),
  subject: notificationSubject,
  text: notificationText,
  html: z.string().trim().min(1).max(200_000).optional(),
  credential: credentialName.optional(),
  timeoutMs: deliveryTimeout(30_000),
});

/** The integration over the e-mail channel; `env` is where SMTP_URL and SMTP_FROM are read. */
export function createNotifyEmail(env: NodeJS.ProcessEnv = process.env) {
  return notifyIntegration(notifyEmailManifest, notifyEmailInput, emailChannel(env), (input) => ({
    message: {
      to: input.to,
      ...(input.cc ? { cc: input.cc } : {}),
      ...(input.bcc ? { bcc: input.bcc } : {}),
      ...(input.replyTo ? { replyTo: input.replyTo } : {}),
      subject: input.subject,
      text: input.text,
      ...(input.html ? { html: input.html } : {}),
    },
    target: input.credential !== undefined ? { credential: input.credential } : {},
    timeoutMs: input.timeoutMs,
  }));
}

export const notifyEmail = createNotifyEmail();
