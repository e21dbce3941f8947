/**
 * Outbound HTTP for integrations: allow-list on every hop, redirects followed by hand,
 * one deadline for the whole exchange, a capped body read, and failures classified as
 * PermanentError (retrying cannot help) or TransientError (may succeed later).
 * Messages name origin and path only: query strings and headers may carry secrets.
 */
import { PermanentError, TransientError } from '../catalog/errors';
import { isHostAllowed } from './hostAllowList';

export interface HttpExchange {
  method: string;
  url: URL;
  headers: Headers;
  body?: string;
  timeoutMs: number;
  /** Cancellation from the caller (the activity). */
  signal: AbortSignal;
}

export interface HttpTransportDeps {
  fetch: typeof globalThis.fetch;
  allowedHosts: readonly string[];
  maxResponseBytes: number;
}

export interface HttpReply {
  status: number;
  headers: Headers;
  text: string;
  /** The URL that answered, after redirects. */
  url: URL;
}

const MAX_REDIRECTS = 5;
const REDIRECTS = new Set([301, 302, 303, 307, 308]);

/** Origin and path: what may appear in messages and logs. */
export function safeUrl(url: URL): string {
  return `${url.origin}${url.pathname}`;
}

function assertAllowed(url: URL, allowedHosts: readonly string[], via?: URL): void {
  if (isHostAllowed(url, allowedHosts)) return;
  const what = via ? `redirect from ${safeUrl(via)} to ${url.host}` : `request to ${url.host}`;
  throw new PermanentError('HostNotAllowed', `${what} refused: host not in HTTP_ALLOWED_HOSTS`, { host: url.host });
}

function failure(err: unknown, exchange: HttpExchange, deadline: AbortSignal, url: URL): unknown {
  if (err instanceof PermanentError || err instanceof TransientError) return err;
  // Cancellation is the activity's business: hand back its own reason untouched.
  if (exchange.signal.aborted) return exchange.signal.reason;
  if (deadline.aborted) {
    return new TransientError('HttpTimeout', `no complete response from ${safeUrl(url)} within ${exchange.timeoutMs} ms`);
  }
  const cause = err instanceof Error && err.cause instanceof Error ? err.cause : err;
  const code = (cause as { code?: unknown } | undefined)?.code;
  const reason = typeof code === 'string' ? code : cause instanceof Error ? cause.message : String(cause);
  return new TransientError('NetworkError', `request to ${safeUrl(url)} failed: ${reason}`);
}

async function readCapped(response: Response, max: number, url: URL): Promise<string> {
  const tooLarge = () =>
    new PermanentError('ResponseTooLarge', `response from ${safeUrl(url)} exceeds the ${max}-byte limit`, { limitBytes: max });
  const declared = Number(response.headers.get('content-length'));
  if (Number.isFinite(declared) && declared > max) {
    await response.body?.cancel();
    throw tooLarge();
  }
  if (!response.body) return '';
  const reader = response.body.getReader();
  const chunks: Uint8Array[] = [];
  let total = 0;
  for (;;) {
    const { done, value } = await reader.read();
    if (done) break;
    total += value.byteLength;
    if (total > max) {
      await reader.cancel();
      throw tooLarge();
    }
    chunks.push(value);
  }
  return Buffer.concat(chunks).toString('utf8');
}

/** Sends one request, following at most 5 redirects, each to an allowed host. */
export async function sendHttp(exchange: HttpExchange, deps: HttpTransportDeps): Promise<HttpReply> {
  const deadline = AbortSignal.timeout(exchange.timeoutMs);
  const signal = AbortSignal.any([exchange.signal, deadline]);
  const headers = new Headers(exchange.headers);
  let { method, body } = exchange;
  let url = exchange.url;
  assertAllowed(url, deps.allowedHosts);
  try {
    for (let hop = 0; ; hop++) {
      const response = await deps.fetch(url, { method, headers, body: body ?? null, redirect: 'manual', signal });
      const location = response.headers.get('location');
      if (!REDIRECTS.has(response.status) || location === null) {
        const text = await readCapped(response, deps.maxResponseBytes, url);
        return { status: response.status, headers: response.headers, text, url };
      }
      await response.body?.cancel();
      if (hop >= MAX_REDIRECTS) {
        throw new PermanentError('TooManyRedirects', `more than ${MAX_REDIRECTS} redirects from ${safeUrl(exchange.url)}`);
      }
      const next = new URL(location, url);
      assertAllowed(next, deps.allowedHosts, url);
      // The credential was meant for the original origin only.
      if (next.origin !== url.origin) headers.delete('authorization');
      if (response.status === 303 || (method === 'POST' && (response.status === 301 || response.status === 302))) {
        method = 'GET';
        body = undefined;
        headers.delete('content-type');
      }
      url = next;
    }
  } catch (err) {
    throw failure(err, exchange, deadline, url);
  }
}

function retryAfterMs(headers: Headers): number | undefined {
  const value = headers.get('retry-after');
  if (value === null) return undefined;
  const seconds = Number(value);
  if (Number.isFinite(seconds) && seconds >= 0) return seconds * 1000;
  const date = Date.parse(value);
  return Number.isNaN(date) ? undefined : Math.max(0, date - Date.now());
}

/**
 * The error a status stands for, or undefined for success (1xx-3xx).
 * 408/429/5xx may pass; any other 4xx will not, whatever the retry count.
 */
export function statusFailure(reply: HttpReply): PermanentError | TransientError | undefined {
  const { status } = reply;
  if (status < 400) return undefined;
  const details = { status, body: reply.text.slice(0, 1000) };
  const where = `${status} from ${safeUrl(reply.url)}`;
  if (status === 408 || status === 429 || status >= 500) {
    const after = retryAfterMs(reply.headers);
    return new TransientError(status >= 500 ? 'HttpServerError' : 'HttpRetryableStatus', where, {
      details,
      ...(after !== undefined ? { retryAfterMs: after } : {}),
    });
  }
  return new PermanentError('HttpClientError', where, details);
}
