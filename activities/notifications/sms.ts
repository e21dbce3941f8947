/**
 * Text messages (SMS) through a provider behind one interface, so another provider is one
 * more implementation of `SmsProvider`. The one shipped speaks Twilio's Messages API, the
 * shape most SMS gateways copy: `POST <base>/2010-04-01/Accounts/<AccountSid>/Messages.json`,
 * form-encoded `To`, `From`, `Body`, HTTP basic auth `AccountSid:AuthToken`, 201 with the
 * message's `sid`.
 *
 * The account lives in a named credential (default `sms`): `CREDENTIAL_SMS_ACCOUNT_SID`,
 * `CREDENTIAL_SMS_AUTH_TOKEN`, `CREDENTIAL_SMS_FROM` and optionally `CREDENTIAL_SMS_URL` (the
 * API base, default https://api.twilio.com; its host must be in HTTP_ALLOWED_HOSTS). Errors
 * carry the HTTP status and the provider's error code only: its messages quote the number.
 */
import { PermanentError, TransientError } from '../catalog/errors';
import type { IntegrationDeps } from '../catalog/types';
import { sendHttp, statusFailure } from '../transport/http';
import { credentialEnvPrefix } from '../catalog/credentials';
import { missingField, withoutSecrets } from './secrets';

export interface SmsMessage {
  /** E.164 number, e.g. +8613800000000. */
  to: string;
  text: string;
}

export interface SmsReceipt {
  /** The provider's id of the message. */
  id?: string;
}

export interface SmsContext {
  deps: IntegrationDeps;
  signal: AbortSignal;
  timeoutMs: number;
}

export interface SmsProvider {
  readonly name: string;
  /** Sends one message; PermanentError when retrying cannot help, TransientError when it may. */
  send(message: SmsMessage, ctx: SmsContext): Promise<SmsReceipt>;
}

export const TWILIO_API_BASE = 'https://api.twilio.com';
export const DEFAULT_SMS_CREDENTIAL = 'sms';

/** An SMS is at most 10 segments here; longer text is cut (the work order has the rest). */
const MAX_SMS_CHARS = 1600;

export function twilioSmsProvider(credential = DEFAULT_SMS_CREDENTIAL): SmsProvider {
  return {
    name: 'twilio',
    async send(message, ctx) {
      const fields = ctx.deps.credentials.get(credential);
      if (!fields) throw new PermanentError('CredentialNotFound', `credential '${credential}' is not set (set ${credentialEnvPrefix(credential)}<FIELD> variables)`);
      const sid = fields.account_sid;
      const token = fields.auth_token;
      const from = fields.from;
      if (!sid) throw missingField(credential, 'account_sid', 'the account SID');
      if (!token) throw missingField(credential, 'auth_token', 'the auth token');
      if (!from) throw missingField(credential, 'from', 'the sending number');
      let base: URL;
      try {
        base = new URL(fields.url ?? TWILIO_API_BASE);
      } catch {
        throw new PermanentError('NotConfigured', `credential '${credential}' field 'url' is not a URL`);
      }
      const url = new URL(`${base.pathname.replace(/\/+$/, '')}/2010-04-01/Accounts/${encodeURIComponent(sid)}/Messages.json`, base);
      const body = new URLSearchParams({ To: message.to, From: from, Body: message.text.slice(0, MAX_SMS_CHARS) }).toString();
      const headers = new Headers({
        'content-type': 'application/x-www-form-urlencoded',
        accept: 'application/json',
        authorization: `Basic ${Buffer.from(`${sid}:${token}`).toString('base64')}`,
      });
      try {
        const reply = await sendHttp({ method: 'POST', url, headers, body, timeoutMs: ctx.timeoutMs, signal: ctx.signal }, ctx.deps);
        const failed = statusFailure(reply);
        if (failed) {
          // Twilio's error body: { code, message, more_info, status }. The message may quote the number.
          const code = providerCode(reply.text);
          const what = `SMS provider answered ${reply.status}${code !== undefined ? ` (code ${code})` : ''}`;
          const details = { status: reply.status, ...(code !== undefined ? { code } : {}) };
          if (failed instanceof TransientError) {
            throw new TransientError(failed.type, what, { details, ...(failed.options.retryAfterMs !== undefined ? { retryAfterMs: failed.options.retryAfterMs } : {}) });
          }
          throw new PermanentError(reply.status === 401 || reply.status === 403 ? 'CredentialRefused' : 'SmsRefused', what, details);
        }
        const sidOfMessage = messageSid(reply.text);
        return sidOfMessage ? { id: sidOfMessage } : {};
      } catch (err) {
        throw withoutSecrets(err, [sid, token]);
      }
    },
  };
}

function parse(text: string): Record<string, unknown> | undefined {
  try {
    const value: unknown = JSON.parse(text);
    return value !== null && typeof value === 'object' ? value as Record<string, unknown> : undefined;
  } catch {
    return undefined;
  }
}

function providerCode(text: string): number | undefined {
  const code = parse(text)?.code;
  return typeof code === 'number' ? code : undefined;
}

function messageSid(text: string): string | undefined {
  const sid = parse(text)?.sid;
  return typeof sid === 'string' && /^[A-Za-z0-9]{1,64}$/.test(sid) ? sid : undefined;
}
