import { CancelledFailure } from '@temporalio/common';
import { envCredentials } from '../../../activities/catalog/credentials';
import type { Loopback } from './support/loopback';
import { json, startLoopback } from './support/loopback';
import { failureOf, jobHarness } from './support/jobs';

const servers: Loopback[] = [];
async function server(handler: Parameters<typeof startLoopback>[0]): Promise<Loopback> {
  const s = await startLoopback(handler);
  servers.push(s);
  return s;
}
afterEach(async () => {
  await Promise.all(servers.splice(0).map((s) => s.close()));
});

const httpJob = (variables: Record<string, unknown>) => ({ taskType: 'http.request', variables });

describe('http.request against a real loopback server', () => {
  it('returns status, selected headers and the parsed JSON body, sending the idempotency key', async () => {
    // given
    const api = await server((_req, res) => json(res, 200, { id: 7, tags: ['a'] }, { 'x-request-id': 'r-1', 'x-internal': 'no' }));
    const { run } = jobHarness({ allowedHosts: [api.host] });

    // when
    const result = await run({ ...httpJob({ url: `${api.url}/complaints/7` }), workflowId: 'complaint-42', jobKey: 'Task_1#3' });

    // then
    expect(result.variables).toEqual({
      status: 200,
      headers: expect.objectContaining({ 'content-type': 'application/json', 'x-request-id': 'r-1' }),
      body: { id: 7, tags: ['a'] },
    });
    expect(result.variables.headers).not.toHaveProperty('x-internal');
    expect(api.received).toHaveLength(1);
    expect(api.received[0]).toMatchObject({ method: 'GET', url: '/complaints/7', body: '' });
    expect(api.received[0]!.headers['idempotency-key']).toBe('complaint-42:Task_1#3');
  });

  it('sends a JSON body and returns a text response as text', async () => {
    // given
    const api = await server((_req, res) => {
      res.writeHead(201, { 'content-type': 'text/plain' });
      res.end('created');
    });
    const { run } = jobHarness({ allowedHosts: [api.host] });

    // when
    const result = await run(httpJob({ url: api.url, method: 'POST', body: { text: 'broken kettle' }, headers: { 'X-Channel': 'web' } }));

    // then
    expect(result.variables).toMatchObject({ status: 201, body: 'created' });
    expect(api.received[0]!.method).toBe('POST');
    expect(JSON.parse(api.received[0]!.body)).toEqual({ text: 'broken kettle' });
    expect(api.received[0]!.headers['content-type']).toBe('application/json');
    expect(api.received[0]!.headers['x-channel']).toBe('web');
  });

  it('refuses a host that is not allowed, loopback included, without sending anything', async () => {
    // given
    const api = await server((_req, res) => json(res, 200, {}));
    const { run } = jobHarness({ allowedHosts: ['api.example.com'] });

    // when
    const failure = await failureOf(run(httpJob({ url: api.url })));

    // then
    expect(failure).toMatchObject({ type: 'HostNotAllowed', nonRetryable: true });
    expect(failure.message).toContain('HTTP_ALLOWED_HOSTS');
    expect(api.received).toHaveLength(0);
  });

  it('allows nothing by default', async () => {
    // given
    const api = await server((_req, res) => json(res, 200, {}));
    const { run } = jobHarness();

    // when
    const failure = await failureOf(run(httpJob({ url: api.url })));

    // then
    expect(failure.type).toBe('HostNotAllowed');
    expect(api.received).toHaveLength(0);
  });

  it('follows a redirect to an allowed host, keeping the idempotency key and dropping the credential', async () => {
    // given
    const target = await server((_req, res) => json(res, 200, { moved: true }));
    const origin = await server((_req, res) => {
      res.writeHead(307, { location: `${target.url.replace('127.0.0.1', 'localhost')}/new` });
      res.end();
    });
    const { run } = jobHarness({
      allowedHosts: [origin.host, 'localhost'],
      credentials: envCredentials({ CREDENTIAL_CRM_AUTHORIZATION: 'Bearer secret-1', CREDENTIAL_CRM_HOSTS: origin.host }),
    });

    // when
    const result = await run(httpJob({ url: origin.url, credential: 'crm' }));

    // then
    expect(result.variables).toMatchObject({ status: 200, body: { moved: true } });
    expect(origin.received[0]!.headers.authorization).toBe('Bearer secret-1');
    expect(target.received[0]!.headers.authorization).toBeUndefined();
    expect(target.received[0]!.headers['idempotency-key']).toBe(origin.received[0]!.headers['idempotency-key']);
  });

  it('does not follow a redirect to a host outside the allow-list', async () => {
    // given
    const elsewhere = await server((_req, res) => json(res, 200, {}));
    const origin = await server((_req, res) => {
      res.writeHead(302, { location: `${elsewhere.url}/steal` });
      res.end();
    });
    const { run } = jobHarness({ allowedHosts: [origin.host] });

    // when
    const failure = await failureOf(run(httpJob({ url: origin.url })));

    // then
    expect(failure).toMatchObject({ type: 'HostNotAllowed', nonRetryable: true });
    expect(failure.message).toContain('redirect');
    expect(elsewhere.received).toHaveLength(0);
  });

  it.each([400, 401, 404, 422])('fails %i without retry', async (status) => {
    // given
    const api = await server((_req, res) => json(res, status, { error: 'nope' }));
    const { run } = jobHarness({ allowedHosts: [api.host] });

    // when
    const failure = await failureOf(run(httpJob({ url: api.url })));

    // then
    expect(failure).toMatchObject({ type: 'HttpClientError', nonRetryable: true });
    expect(failure.details).toEqual([{ status, body: '{"error":"nope"}' }]);
  });

  it.each([408, 429, 500, 503])('fails %i so that it is retried', async (status) => {
    // given
    const api = await server((_req, res) => json(res, status, {}));
    const { run } = jobHarness({ allowedHosts: [api.host] });

    // when
    const failure = await failureOf(run(httpJob({ url: api.url })));

    // then
    expect(failure.nonRetryable).toBe(false);
    expect(failure.type).toBe(status >= 500 ? 'HttpServerError' : 'HttpRetryableStatus');
  });

  it('passes Retry-After on as the next retry delay', async () => {
    // given
    const api = await server((_req, res) => json(res, 429, {}, { 'retry-after': '3' }));
    const { run } = jobHarness({ allowedHosts: [api.host] });

    // when
    const failure = await failureOf(run(httpJob({ url: api.url })));

    // then
    expect(failure.nextRetryDelay).toBe(3000);
  });

  it('retries when the connection is refused', async () => {
    // given
    const gone = await startLoopback(() => undefined);
    await gone.close();
    const { run } = jobHarness({ allowedHosts: [gone.host] });

    // when
    const failure = await failureOf(run(httpJob({ url: gone.url })));

    // then
    expect(failure).toMatchObject({ type: 'NetworkError', nonRetryable: false });
  });

  it.each([
    ['declared by Content-Length', true],
    ['streamed without a length', false],
  ])('refuses a response body over the cap (%s)', async (_label, declared) => {
    // given
    const big = 'x'.repeat(4096);
    const api = await server((_req, res) => {
      res.writeHead(200, declared ? { 'content-type': 'text/plain', 'content-length': big.length } : { 'content-type': 'text/plain' });
      if (declared) res.end(big);
      else {
        res.write(big.slice(0, 2048));
        res.end(big.slice(2048));
      }
    });
    const { run } = jobHarness({ allowedHosts: [api.host], maxResponseBytes: 1024 });

    // when
    const failure = await failureOf(run(httpJob({ url: api.url })));

    // then
    expect(failure).toMatchObject({ type: 'ResponseTooLarge', nonRetryable: true });
    expect(failure.message).toContain('1024-byte limit');
  });

  it('times out a server that does not answer, as a retryable failure', async () => {
    // given
    const api = await server(() => undefined);
    const { run } = jobHarness({ allowedHosts: [api.host] });
    const started = Date.now();

    // when
    const failure = await failureOf(run(httpJob({ url: api.url, timeoutMs: 200 })));

    // then
    expect(failure).toMatchObject({ type: 'HttpTimeout', nonRetryable: false });
    expect(Date.now() - started).toBeLessThan(5_000);
  });

  it('stops a request when the activity is cancelled', async () => {
    // given
    const api = await server(() => undefined);
    const harness = jobHarness({ allowedHosts: [api.host] });
    const running = harness.run(httpJob({ url: api.url, timeoutMs: 30_000 }));
    await waitFor(() => api.received.length === 1);

    // when
    harness.env.cancel();

    // then
    await expect(running).rejects.toBeInstanceOf(CancelledFailure);
  });

  it('sends the named credential as Authorization and never logs it', async () => {
    // given
    const secret = 'Bearer top-secret-token-123';
    const api = await server((_req, res) => json(res, 401, { error: 'expired' }));
    const harness = jobHarness({ allowedHosts: [api.host], credentials: envCredentials({ CREDENTIAL_CRM_API_AUTHORIZATION: secret, CREDENTIAL_CRM_API_HOSTS: api.host }) });

    // when
    const failure = await failureOf(harness.run(httpJob({ url: `${api.url}/x?token=q-secret`, credential: 'crm-api' })));

    // then
    expect(api.received[0]!.headers.authorization).toBe(secret);
    expect(harness.logs.some((l) => l.message === 'http.request answered')).toBe(true);
    expect(harness.logText()).toContain(`${api.url}/x`);
    expect(harness.logText()).not.toContain('top-secret');
    expect(harness.logText()).not.toContain('q-secret');
    expect(`${failure.message} ${JSON.stringify(failure.details)}`).not.toContain('top-secret');
  });

  it('refuses to send a credential to an allowed host it is not bound to, sending nothing', async () => {
    // given the CRM's token, bound to the CRM, and a diagram that points it at another allowed host
    const crm = await server((_req, res) => json(res, 200, {}));
    const other = await server((_req, res) => json(res, 200, {}));
    const { run } = jobHarness({
      allowedHosts: [crm.host, other.host],
      credentials: envCredentials({ CREDENTIAL_CRM_API_AUTHORIZATION: 'Bearer crm-token', CREDENTIAL_CRM_API_HOSTS: `${crm.host}, *.crm.example` }),
    });

    // when
    const failure = await failureOf(run(httpJob({ url: `${other.url}/collect`, credential: 'crm-api' })));
    const own = await run(httpJob({ url: `${crm.url}/ok`, credential: 'crm-api' }));

    // then
    expect(failure).toMatchObject({ type: 'CredentialHostNotAllowed', nonRetryable: true });
    expect(failure.message).not.toContain('crm-token');
    expect(other.received).toHaveLength(0);
    expect(own.variables).toMatchObject({ status: 200 });
    expect(crm.received[0]!.headers.authorization).toBe('Bearer crm-token');
  });

  it('fails without retry, naming the variable to set, when the credential is missing', async () => {
    // given
    const api = await server((_req, res) => json(res, 200, {}));
    const { run } = jobHarness({ allowedHosts: [api.host], credentials: envCredentials({}) });

    // when
    const failure = await failureOf(run(httpJob({ url: api.url, credential: 'crm-api' })));

    // then
    expect(failure).toMatchObject({ type: 'CredentialNotFound', nonRetryable: true });
    expect(failure.message).toContain('CREDENTIAL_CRM_API_AUTHORIZATION');
    expect(api.received).toHaveLength(0);
  });
});

async function waitFor(predicate: () => boolean, timeoutMs = 5_000): Promise<void> {
  const until = Date.now() + timeoutMs;
  while (!predicate()) {
    if (Date.now() > until) throw new Error('condition not reached');
    await new Promise((r) => setTimeout(r, 10));
  }
}
