/**
 * Group robots (WeCom, DingTalk, Feishu/Lark): a JSON POST to the robot's webhook through
 * the outbound HTTP transport. The robot's address and signing secret come from a named
 * credential, never from the diagram: `key` (the robot's key / access_token / hook id) or
 * `url` (the whole webhook address), and `secret` when the robot signs.
 *
 * Robots answer HTTP 200 with an error code in the body; a code other than 0 is a failure:
 * a refused key or signature is permanent, rate limiting and "system busy" are retried.
 * Robots do not deduplicate, so a retry after a lost answer may post twice.
 */
import { PermanentError, TransientError } from '../catalog/errors';
import type { HttpReply } from '../transport/http';
import { sendHttp, statusFailure } from '../transport/http';
import type { Notification, NotificationChannel } from './channel';
import { credentialFields, missingField, withoutSecrets } from './secrets';

export interface RobotTarget {
  /** Credential with `key` or `url`, and `secret` for signing. */
  credential: string;
}

export interface RobotOutcome {
  code: number;
  message: string;
}

export interface RobotSpec {
  type: string;
  /** For messages: `WeCom`, `DingTalk`, `Feishu`. */
  label: string;
  /** The webhook address for a robot key. */
  urlForKey(key: string): string;
  payload(message: Notification): Record<string, unknown>;
  /** Signs the request with the robot's secret: adds to the URL or to the body. */
  sign?(secret: string, nowMs: number, url: URL, body: Record<string, unknown>): void;
  /** The result code and message of a reply body, undefined when it has none. */
  outcome(body: unknown): RobotOutcome | undefined;
  /** Codes for a refused key, token or signature. */
  authCodes: readonly number[];
  /** Codes for rate limiting. */
  rateCodes: readonly number[];
  /** Codes for a passing fault on the robot's side. */
  busyCodes: readonly number[];
}

/** Robots limit to about 20 messages a minute; an earlier retry would be refused again. */
export const RATE_LIMIT_RETRY_MS = 60_000;

function parseJson(text: string): unknown {
  try {
    return JSON.parse(text) as unknown;
  } catch {
    return undefined;
  }
}

function replyFailure(spec: RobotSpec, reply: HttpReply): PermanentError | TransientError | undefined {
  // Overload and outages first: whatever the body says, these may pass.
  const { status } = reply;
  if (status >= 500 || status === 408 || status === 429) return statusFailure(reply);
  const outcome = spec.outcome(parseJson(reply.text));
  if (outcome && outcome.code !== 0) {
    const details = { channel: spec.type, code: outcome.code, message: outcome.message.slice(0, 300) };
    const what = `${spec.label} robot answered ${outcome.code}: ${details.message}`;
    if (spec.authCodes.includes(outcome.code)) return new PermanentError('RobotAuthFailed', `${what} (check the credential's key, url and secret)`, details);
    if (spec.rateCodes.includes(outcome.code)) return new TransientError('RobotRateLimited', what, { retryAfterMs: RATE_LIMIT_RETRY_MS, details });
    if (spec.busyCodes.includes(outcome.code)) return new TransientError('RobotUnavailable', what, { details });
    return new PermanentError('RobotRejected', what, details);
  }
  const failed = statusFailure(reply);
  if (failed) return failed;
  if (!outcome) {
    return new PermanentError('RobotUnexpectedReply', `${spec.label} robot answered ${status} without a result code`, {
      channel: spec.type,
      status,
      body: reply.text.slice(0, 300),
    });
  }
  return undefined;
}

export function robotChannel(spec: RobotSpec): NotificationChannel<RobotTarget> {
  return {
    type: spec.type,
    async send(message, ctx) {
      const name = ctx.target.credential;
      const fields = credentialFields(name, ctx);
      const address = fields.url ?? (fields.key !== undefined ? spec.urlForKey(fields.key) : undefined);
      if (address === undefined) throw missingField(name, 'key', `the ${spec.label} robot key (or a 'url' field with its webhook address)`);
      let url: URL;
      try {
        url = new URL(address);
      } catch {
        throw new PermanentError('NotConfigured', `credential '${name}' does not give a valid ${spec.label} webhook URL`);
      }
      const body = spec.payload(message);
      if (fields.secret && spec.sign) spec.sign(fields.secret, Date.now(), url, body);
      // Transport messages show origin and path: the key may be in it (Feishu's /hook/<key>).
      const secrets = [fields.key, fields.url !== undefined && url.pathname.length > 1 ? url.pathname : undefined];
      try {
        const reply = await sendHttp(
          {
            method: 'POST',
            url,
            headers: new Headers({ 'content-type': 'application/json; charset=utf-8', accept: 'application/json' }),
            body: JSON.stringify(body),
            timeoutMs: ctx.timeoutMs,
            signal: ctx.signal,
          },
          ctx.deps,
        );
        const failed = replyFailure(spec, reply);
        if (failed) throw failed;
      } catch (err) {
        throw withoutSecrets(err, secrets);
      }
      return { delivered: true };
    },
  };
}

/** Cuts `text` to at most `maxBytes` of UTF-8, ending with an ellipsis when it had to cut. */
export function truncateUtf8(text: string, maxBytes: number): string {
  if (Buffer.byteLength(text, 'utf8') <= maxBytes) return text;
  const ellipsis = '…';
  let budget = maxBytes - Buffer.byteLength(ellipsis, 'utf8');
  let out = '';
  for (const ch of text) {
    const size = Buffer.byteLength(ch, 'utf8');
    if (size > budget) break;
    out += ch;
    budget -= size;
  }
  return out + ellipsis;
}

/** `{ errcode, errmsg }`, the reply of the WeCom and DingTalk robots. */
export function errcodeOutcome(body: unknown): RobotOutcome | undefined {
  if (typeof body !== 'object' || body === null) return undefined;
  const { errcode, errmsg } = body as { errcode?: unknown; errmsg?: unknown };
  return typeof errcode === 'number' ? { code: errcode, message: typeof errmsg === 'string' ? errmsg : '' } : undefined;
}
