/**
 * A JSON POST to a subscriber's webhook, through the outbound HTTP transport (allow-list,
 * redirects, size cap, failure classes). The body is the same on every attempt of a job
 * and carries the idempotency key as `id` (also the Idempotency-Key header), so the
 * receiver can drop a retried delivery. A credential may add an Authorization header, an
 * HMAC-SHA256 signature of the body, or the URL itself when it is a secret.
 */
import { createHmac } from 'node:crypto';
import { assertCredentialHost } from '../catalog/credentials';
import { PermanentError } from '../catalog/errors';
import { safeUrl, sendHttp, statusFailure } from '../transport/http';
import type { NotificationChannel } from './channel';
import { credentialFields, missingField, withoutSecrets } from './secrets';

export interface WebhookTarget {
  /** From the diagram; when absent the credential's `url` field. */
  url?: string;
  /** Fields: `url`, `authorization` (header value), `secret` (signs the body). */
  credential?: string;
}

export const SIGNATURE_HEADER = 'x-signature-256';

/** `sha256=<hex HMAC-SHA256 of the raw body, keyed with the secret>`, as GitHub signs webhooks. */
export function webhookSignature(secret: string, body: string): string {
  return `sha256=${createHmac('sha256', secret).update(body, 'utf8').digest('hex')}`;
}

export const webhookChannel: NotificationChannel<WebhookTarget> = {
  type: 'webhook',
  async send(message, ctx) {
    const { target } = ctx;
    const fields = target.credential !== undefined ? credentialFields(target.credential, ctx) : {};
    const address = target.url ?? fields.url;
    if (address === undefined) {
      if (target.credential === undefined) throw new PermanentError('InvalidNotification', 'notify.webhook needs a url or a credential with one');
      throw missingField(target.credential, 'url', 'the webhook URL');
    }
    let url: URL;
    try {
      url = new URL(address);
    } catch {
      throw new PermanentError('NotConfigured', `credential '${target.credential}' field 'url' is not a URL`);
    }
    // The credential's token and signing key go only to its own hosts, never to a URL the diagram chose elsewhere.
    if (target.credential !== undefined && target.url !== undefined) assertCredentialHost(target.credential, fields, url);
    // A URL that came from a credential is a secret down to its path.
    const secrets = target.url === undefined && url.pathname !== '/' ? [url.pathname] : [];

    const body = JSON.stringify({
      id: ctx.idempotencyKey,
      ...(message.subject !== undefined ? { subject: message.subject } : {}),
      text: message.text,
      ...(message.markdown !== undefined ? { markdown: message.markdown } : {}),
      ...(message.data !== undefined ? { data: message.data } : {}),
    });
    const headers = new Headers({
      'content-type': 'application/json',
      accept: 'application/json, text/plain;q=0.9, */*;q=0.1',
      'idempotency-key': ctx.idempotencyKey,
    });
    if (fields.authorization) headers.set('authorization', fields.authorization);
    if (fields.secret) headers.set(SIGNATURE_HEADER, webhookSignature(fields.secret, body));

    try {
      const reply = await sendHttp({ method: 'POST', url, headers, body, timeoutMs: ctx.timeoutMs, signal: ctx.signal }, ctx.deps);
      const failed = statusFailure(reply);
      if (failed) throw failed;
    } catch (err) {
      throw withoutSecrets(err, secrets);
    }
    ctx.log('notify.webhook answered', { url: secrets.length ? url.origin : safeUrl(url) });
    return { delivered: true, id: ctx.idempotencyKey };
  },
};
