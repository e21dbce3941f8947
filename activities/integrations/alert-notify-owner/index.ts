/**
 * `alert.notify-owner`: tells the owner group of a low-score alert that a work order waits, on
 * every channel that has contacts for the group: SMS (ALERT_SMS_TO, through the SMS provider of
 * notifications/sms.ts) and e-mail (ALERT_EMAIL_TO, through SMTP_URL). The message names the
 * touchpoint, the score and the inbox; the customer's words stay in the work order.
 *
 * A group without contacts is no failure (nothing to send). A contact the provider refuses is
 * counted and logged by failure type, and the others are still told. A transient failure
 * (429, 5xx, timeout) before anything was delivered is retried by the job; after a delivery it
 * is counted, so a retry never texts the same person twice.
 */
import { z } from 'zod';
import { PermanentError, TransientError } from '../../catalog/errors';
import { defineIntegration } from '../../catalog/types';
import { emailChannel } from '../../notifications/email';
import { DEFAULT_SMS_CREDENTIAL, twilioSmsProvider, type SmsProvider } from '../../notifications/sms';
import { alertNotifyOwnerManifest } from './manifest';
import { parseRecipients, recipientsOf } from './recipients';

const tally = z.object({ sent: z.number().int(), failed: z.number().int() });
export const alertNotifyOwnerOutput = z.object({ ownerNotice: z.object({ sms: tally, email: tally }) });

/** The text of the alert: touchpoint, score, group and where to work it. */
export function ownerAlertText(input: { touchpoint: string; score: number; ownerGroup: string }, baseUrl: string | undefined) {
  const subject = `Low score ${input.score}/10 at ${input.touchpoint}`;
  const where = baseUrl ? `${baseUrl.replace(/\/+$/, '')}/#/inbox` : 'the inbox';
  const text = `${subject}: an alert work order for ${input.ownerGroup} waits in ${where}.`;
  return { subject, text };
}

export function createAlertNotifyOwner(env: NodeJS.ProcessEnv = process.env, sms: SmsProvider = twilioSmsProvider(env.ALERT_SMS_CREDENTIAL?.trim() || DEFAULT_SMS_CREDENTIAL)) {
  const email = emailChannel(env);
  return defineIntegration({
    ...alertNotifyOwnerManifest,
    input: z.object({
      feedbackId: z.string().regex(/^fb-[0-9a-f-]{36}$/, 'a feedback id like fb-<uuid>'),
      ownerGroup: z.string().regex(/^[a-z][a-z0-9-]{0,63}$/, 'a group id'),
      touchpoint: z.string().regex(/^[A-Za-z0-9_.:-]{1,100}$/),
      score: z.number().int().min(0).max(10),
    }),
    output: alertNotifyOwnerOutput,
    async run(input, ctx) {
      let smsTo: readonly string[];
      let emailTo: readonly string[];
      try {
        smsTo = recipientsOf(parseRecipients(env.ALERT_SMS_TO, 'sms'), input.ownerGroup);
        emailTo = recipientsOf(parseRecipients(env.ALERT_EMAIL_TO, 'email'), input.ownerGroup);
      } catch (err) {
        throw new PermanentError('NotConfigured', `ALERT_SMS_TO / ALERT_EMAIL_TO: ${(err as Error).message}`);
      }
      const { subject, text } = ownerAlertText(input, env.PUBLIC_BASE_URL?.trim() || undefined);
      const notice = { sms: { sent: 0, failed: 0 }, email: { sent: 0, failed: 0 } };
      const delivered = () => notice.sms.sent + notice.email.sent > 0;
      const attempt = async (channel: 'sms' | 'email', send: () => Promise<unknown>) => {
        try {
          await send();
          notice[channel].sent += 1;
        } catch (err) {
          const retryable = !(err instanceof PermanentError) && !(err instanceof Error && err.name === 'AbortError');
          if (retryable && !delivered()) throw err instanceof TransientError ? err : new TransientError('DeliveryFailed', (err as Error).message);
          notice[channel].failed += 1;
          // The failure's type only: provider and SMTP replies may quote the number or address.
          ctx.log('owner alert not delivered', { channel, type: err instanceof PermanentError || err instanceof TransientError ? err.type : 'Error' });
        }
      };
      for (const to of smsTo) await attempt('sms', () => sms.send({ to, text }, { deps: ctx.deps, signal: ctx.signal, timeoutMs: 15_000 }));
      for (const to of emailTo) {
        await attempt('email', () => email.send({ to: [to], subject, text }, { ...ctx, idempotencyKey: `${ctx.idempotencyKey}:${emailTo.indexOf(to)}`, target: {}, timeoutMs: 30_000 }));
      }
      ctx.log('owner alert', { group: input.ownerGroup, sms: notice.sms, email: notice.email });
      return { ownerNotice: notice };
    },
  });
}

export const alertNotifyOwner = createAlertNotifyOwner();
