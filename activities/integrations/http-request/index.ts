/** `http.request`: JSON over HTTP to an allowed host. Transport lives in transport/http.ts. */
import { PermanentError } from '../../catalog/errors';
import { assertCredentialHost, credentialEnvPrefix } from '../../catalog/credentials';
import type { IntegrationContext } from '../../catalog/types';
import { defineIntegration } from '../../catalog/types';
import type { HttpReply } from '../../transport/http';
import { safeUrl, sendHttp, statusFailure } from '../../transport/http';
import { httpRequestManifest } from './manifest';
import type { HttpRequestInput, HttpRequestOutput } from './schema';
import { httpRequestInput, httpRequestOutput } from './schema';

const SELECTED_HEADERS = ['content-type', 'content-length', 'location', 'etag', 'last-modified', 'retry-after', 'x-request-id', 'x-correlation-id'];

function authorization(name: string, ctx: IntegrationContext, url: URL): string {
  const fields = ctx.deps.credentials.get(name);
  const value = fields?.authorization;
  if (!fields || !value) {
    throw new PermanentError(
      'CredentialNotFound',
      `credential '${name}' has no 'authorization' field (set ${credentialEnvPrefix(name)}AUTHORIZATION)`,
    );
  }
  assertCredentialHost(name, fields, url);
  return value;
}

function requestHeaders(input: HttpRequestInput, ctx: IntegrationContext, url: URL): { headers: Headers; body?: string } {
  const headers = new Headers(input.headers);
  headers.set('accept', headers.get('accept') ?? 'application/json, text/plain;q=0.9, */*;q=0.1');
  headers.set('idempotency-key', ctx.idempotencyKey);
  if (input.credential !== undefined) headers.set('authorization', authorization(input.credential, ctx, url));
  if (input.body === undefined) return { headers };
  if (!headers.has('content-type')) headers.set('content-type', 'application/json');
  const raw = typeof input.body === 'string' && !/json/i.test(headers.get('content-type') ?? '');
  return { headers, body: raw ? (input.body as string) : JSON.stringify(input.body) };
}

function parseBody(reply: HttpReply): HttpRequestOutput['body'] {
  if (reply.text === '') return null;
  if (/[/+]json\b/i.test(reply.headers.get('content-type') ?? '')) {
    try {
      return JSON.parse(reply.text) as HttpRequestOutput['body'];
    } catch {
      // A body mislabelled as JSON is still worth showing to the process: keep the text.
    }
  }
  return reply.text;
}

export const httpRequest = defineIntegration({
  ...httpRequestManifest,
  input: httpRequestInput,
  output: httpRequestOutput,
  async run(input, ctx) {
    const url = new URL(input.url);
    const { headers, body } = requestHeaders(input, ctx, url);
    const started = Date.now();
    const reply = await sendHttp(
      { method: input.method, url, headers, ...(body !== undefined ? { body } : {}), timeoutMs: input.timeoutMs, signal: ctx.signal },
      ctx.deps,
    );
    ctx.log('http.request answered', { method: input.method, url: safeUrl(url), status: reply.status, ms: Date.now() - started });
    const failed = statusFailure(reply);
    if (failed) throw failed;
    const selected: Record<string, string> = {};
    for (const name of SELECTED_HEADERS) {
      const value = reply.headers.get(name);
      if (value !== null) selected[name] = value;
    }
    return { status: reply.status, headers: selected, body: parseBody(reply) };
  },
});
