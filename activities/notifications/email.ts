/**
 * E-mail over SMTP (nodemailer). The server is SMTP_URL (smtp[s]://user:pass@host:port),
 * or the `url` field of a named credential; the sender is SMTP_FROM (or the credential's
 * `from`), never the diagram. Both are read at each send, as credentials are, so the
 * service's environment is the only configuration.
 *
 * The job's idempotency key is the Message-ID: every attempt of one job sends the same
 * Message-ID, so a receiver (or a human) recognises a retried message as the same one.
 */
import nodemailer from 'nodemailer';
import type { NodemailerError } from 'nodemailer';
import { PermanentError, TransientError } from '../catalog/errors';
import type { IntegrationContext } from '../catalog/types';
import type { ChannelContext, Delivery, Notification, NotificationChannel } from './channel';
import { credentialFields, missingField } from './secrets';

export const DEFAULT_SMTP_FROM = 'no-reply@localhost';

export interface EmailTarget {
  /** A credential with `url` (and optionally `from`) used instead of SMTP_URL / SMTP_FROM. */
  credential?: string;
}

interface SmtpSettings {
  url: URL;
  from: string;
}

function smtpUrl(value: string, source: string): URL {
  let url: URL | undefined;
  try {
    url = new URL(value);
  } catch {
    url = undefined;
  }
  // The value is not echoed: it carries the SMTP password.
  if (!url || (url.protocol !== 'smtp:' && url.protocol !== 'smtps:')) {
    throw new PermanentError('NotConfigured', `${source} is not an smtp:// or smtps:// URL`);
  }
  return url;
}

function settings(target: EmailTarget, ctx: IntegrationContext, env: NodeJS.ProcessEnv): SmtpSettings {
  const envFrom = env.SMTP_FROM?.trim() || DEFAULT_SMTP_FROM;
  if (target.credential !== undefined) {
    const fields = credentialFields(target.credential, ctx);
    if (!fields.url) throw missingField(target.credential, 'url', 'the SMTP server URL');
    return { url: smtpUrl(fields.url, `credential '${target.credential}' field 'url'`), from: fields.from?.trim() || envFrom };
  }
  const url = env.SMTP_URL?.trim();
  if (!url) {
    throw new PermanentError(
      'NotConfigured',
      'notify.email has no SMTP server: set SMTP_URL (smtp://user:pass@host:587), or name a credential with a url field',
    );
  }
  return { url: smtpUrl(url, 'SMTP_URL'), from: envFrom };
}

/**
 * `<key@domain>` with the key made a valid RFC 5322 id-left: characters other than letters,
 * digits, `-` and `_` are percent-encoded (`wf-1:job-1` -> `wf-1%3Ajob-1`), which keeps
 * distinct keys distinct and `decodeURIComponent` gives the key back.
 */
export function messageIdFor(idempotencyKey: string, from: string): string {
  const left = idempotencyKey.replace(/[^A-Za-z0-9_-]/gu, (c) =>
    [...Buffer.from(c, 'utf8')].map((b) => `%${b.toString(16).toUpperCase().padStart(2, '0')}`).join(''));
  const domain = /@([^\s<>@]+)>?\s*$/.exec(from)?.[1] ?? 'localhost';
  return `<${left}@${domain}>`;
}

/** Codes and the server's enhanced status only: SMTP replies often quote the address. */
function smtpFailure(err: NodemailerError, host: string): PermanentError | TransientError {
  const enhanced = /\b[245]\.\d{1,3}\.\d{1,3}\b/.exec(err.response ?? '')?.[0];
  const details: Record<string, unknown> = {
    code: err.code,
    ...(err.responseCode !== undefined ? { responseCode: err.responseCode } : {}),
    ...(err.command ? { command: err.command } : {}),
    ...(enhanced ? { enhancedStatus: enhanced } : {}),
  };
  const reply = [err.responseCode, enhanced].filter(Boolean).join(' ');
  const during = err.command ? `, ${err.command}` : '';
  if (err.code === 'EAUTH' || err.code === 'ENOAUTH') {
    return new PermanentError('SmtpAuthFailed', `SMTP server ${host} refused the login (${reply || err.code})`, details);
  }
  if (err.permanent === true) {
    return new PermanentError('SmtpRejected', `SMTP server ${host} refused the message (${reply}${during})`, details);
  }
  if (err.permanent === false) {
    return new TransientError('SmtpDeferred', `SMTP server ${host} deferred the message (${reply}${during})`, { details });
  }
  if (err.code === 'ETLS' || err.code === 'EREQUIRETLS' || err.code === 'ECONFIG') {
    return new PermanentError('SmtpConfigError', `SMTP connection to ${host} is misconfigured (${err.code})`, details);
  }
  const cause = err.originalCode ?? err.code ?? 'unknown error';
  return new TransientError('SmtpUnavailable', `SMTP server ${host} unreachable (${cause})`, { details });
}

async function deliver(message: Notification, ctx: ChannelContext<EmailTarget>, env: NodeJS.ProcessEnv): Promise<Delivery> {
  if (!message.to?.length) throw new PermanentError('InvalidNotification', 'an e-mail needs at least one recipient');
  const { url, from } = settings(ctx.target, ctx, env);
  const deadline = AbortSignal.timeout(ctx.timeoutMs);
  const phase = Math.min(ctx.timeoutMs, 15_000);
  const transport = nodemailer.createTransport({
    url: url.href,
    connectionTimeout: phase,
    greetingTimeout: phase,
    dnsTimeout: phase,
    socketTimeout: ctx.timeoutMs,
    disableFileAccess: true,
    disableUrlAccess: true,
    logger: false,
  });
  try {
    const info = await transport.sendMail({
      from,
      to: message.to,
      ...(message.cc?.length ? { cc: message.cc } : {}),
      ...(message.bcc?.length ? { bcc: message.bcc } : {}),
      ...(message.replyTo ? { replyTo: message.replyTo } : {}),
      subject: message.subject ?? '',
      text: message.text,
      ...(message.html ? { html: message.html } : {}),
      messageId: messageIdFor(ctx.idempotencyKey, from),
      signal: AbortSignal.any([ctx.signal, deadline]),
    });
    return { delivered: true, id: info.messageId, accepted: info.accepted?.length ?? 0, rejected: info.rejected?.length ?? 0 };
  } catch (err) {
    // Cancellation is the activity's business: hand back its own reason untouched.
    if (ctx.signal.aborted) throw ctx.signal.reason;
    if (deadline.aborted) {
      throw new TransientError('SmtpTimeout', `SMTP server ${url.host} did not take the message within ${ctx.timeoutMs} ms`);
    }
    throw smtpFailure(err as NodemailerError, url.host);
  } finally {
    transport.close();
  }
}

/** The e-mail channel, reading SMTP_URL / SMTP_FROM from `env` at each send. */
export function emailChannel(env: NodeJS.ProcessEnv = process.env): NotificationChannel<EmailTarget> {
  return { type: 'email', send: (message, ctx) => deliver(message, ctx, env) };
}
