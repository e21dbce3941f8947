/**
 * Configuration of the complaint domain and what it reaches: allowed hosts, e-mail, compensation
 * and dispatch, low-score alerts and their recipients, customer links, payload keys, attachments.
 */
import { z } from 'zod';
import { parseRecipients } from '../../activities/integrations/alert-notify-owner/recipients';
import { parsePayloadKeys } from '../temporal/payloadCodec';
import { csv, GROUP_ID, isoDuration } from './types';

function recipientIssue(value: string | undefined, kind: 'sms' | 'email', ctx: z.RefinementCtx): void {
  try {
    parseRecipients(value, kind);
  } catch (err) {
    ctx.addIssue({ code: 'custom', message: (err as Error).message });
  }
}

export const complaintsEnv = {
  HTTP_ALLOWED_HOSTS: csv.default([]),
  /** SMTP server of notify.email (smtp[s]://user:pass@host:port); unset = notify.email fails as NotConfigured. */
  SMTP_URL: z.url({ protocol: /^smtps?$/, error: 'must be an smtp:// or smtps:// URL' }).optional(),
  /** Sender of notify.email; unset = no-reply@localhost. */
  SMTP_FROM: z
    .string()
    .trim()
    .regex(/^(?:[^<>@\s]+@[^<>@\s]+|[^<>]*<[^<>@\s]+@[^<>@\s]+>)$/, 'an address, or Name <address>')
    .optional(),
  /** Compensation below this needs no supervisor approval (process variable compensationAutoApproveLimit). */
  COMPENSATION_AUTO_APPROVE_LIMIT: z.coerce.number().min(0).default(100),
  /** Feedback scores (0-10) at or below this start the low-score-alert process. */
  FEEDBACK_ALERT_THRESHOLD: z.coerce.number().int().min(0).max(10).default(6),
  /** `touchpoint=group,…`: the owner group of a touchpoint, whose inbox gets its low-score alert work orders. */
  TOUCHPOINT_OWNERS: csv.default([]).transform((pairs, ctx) => {
    const owners: Record<string, string> = {};
    for (const pair of pairs) {
      const [touchpoint, group, extra] = pair.split('=').map((s) => s.trim());
      if (!touchpoint || !group || extra !== undefined || !GROUP_ID.test(group)) ctx.addIssue({ code: 'custom', message: 'entries are touchpoint=group (group: lower case, digits, -)' });
      else Object.defineProperty(owners, touchpoint, { value: group, enumerable: true });
    }
    return owners;
  }),
  /** The group that gets the alert work order of a touchpoint without an owner in TOUCHPOINT_OWNERS. */
  ALERT_DEFAULT_GROUP: z.string().trim().regex(GROUP_ID, 'a group id (lower case, digits, -)').default('customer-experience'),
  /** How long a closed alert work order may be reopened (ISO 8601 duration). */
  ALERT_REOPEN_WINDOW: isoDuration.default('P7D'),
  /** `group=+number,…`: who gets an SMS when an alert work order opens for the group (E.164 numbers). */
  ALERT_SMS_TO: z.string().optional().superRefine((v, ctx) => recipientIssue(v, 'sms', ctx)),
  /** `group=address,…`: who gets an e-mail (through SMTP_URL) when an alert work order opens for the group. */
  ALERT_EMAIL_TO: z.string().optional().superRefine((v, ctx) => recipientIssue(v, 'email', ctx)),
  /** The credential of the SMS provider (Twilio Messages API): CREDENTIAL_<NAME>_ACCOUNT_SID, _AUTH_TOKEN, _FROM, _URL. */
  ALERT_SMS_CREDENTIAL: z.string().regex(/^[A-Za-z0-9][A-Za-z0-9_.-]*$/, 'letters, digits, _ . - only').default('sms'),
  /** Key of the signed customer links (decision 0007): 64+ hex digits or 32+ characters; unset = DATA_DIR/customer-link.key, generated once. */
  CUSTOMER_LINK_KEY: z.string().trim().min(32, 'at least 32 characters (or 64 hex digits)').optional(),
  /**
   * Keys of the payload codec (decision 0023): `id:<64 hex digits>`, comma-separated, newest first
   * (it encrypts; all decrypt). Unset = DATA_DIR/payload.keys, generated once. Values are never echoed.
   */
  PAYLOAD_KEYS: z.string().trim().optional().superRefine((value, ctx) => {
    if (value === undefined) return;
    try {
      parsePayloadKeys(value);
    } catch (err) {
      ctx.addIssue({ code: 'custom', message: err instanceof Error ? err.message.replace(/^PAYLOAD_KEYS: /, '') : 'invalid' });
    }
  }),
  /** Lifetime of a customer link, in hours (default 14 days). */
  CUSTOMER_LINK_TTL_HOURS: z.coerce.number().min(0.1).max(24 * 365).default(24 * 14),
  /** Where customers reach the web app; links are <PUBLIC_BASE_URL>/#/complaints/<id>?token=… (in the page fragment, so the token never reaches a proxy or access log). Unset = http://HOST:PORT. */
  PUBLIC_BASE_URL: z.url({ protocol: /^https?$/, error: 'must be an http:// or https:// URL' }).optional(),
  /** 'customer': the customer picks one of the recommended engineers (unless the intake says otherwise); 'auto': the best is assigned. */
  DISPATCH_MODE: z.enum(['auto', 'customer']).default('auto'),
  /** How long the process waits for the customer's engineer choice before assigning the best (ISO 8601 duration). */
  ENGINEER_CHOICE_TIMEOUT: z.string().regex(/^P(?=\d|T\d)(\d+D)?(T(?=\d)(\d+H)?(\d+M)?(\d+S)?)?$/, 'an ISO 8601 duration such as PT4H or P1D').default('PT4H'),
  ATTACHMENT_MAX_BYTES: z.coerce.number().int().min(1024).max(100 * 1024 * 1024).default(10 * 1024 * 1024),
  /** The largest video clip accepted as evidence (mp4, webm, quicktime). */
  ATTACHMENT_VIDEO_MAX_BYTES: z.coerce.number().int().min(1024).max(500 * 1024 * 1024).default(50 * 1024 * 1024),
};
