import { createHmac } from 'node:crypto';
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

const webhook = (variables: Record<string, unknown>) => ({ taskType: 'notify.webhook', variables: { text: 'Complaint C-17 opened', ...variables } });
const ok = () => server((_req, res) => json(res, 200, { ok: true }));

describe('notify.webhook against a real loopback server', () => {
  it('posts the notification as JSON with the idempotency key as id and header', async () => {
    // given
    const hook = await ok();
    const { run } = jobHarness({ allowedHosts: [hook.host] });

    // when
    const result = await run({
      ...webhook({
        url: `${hook.url}/hooks/complaints?tenant=7`,
        subject: 'Complaint opened',
        markdown: '**C-17** opened',
        data: { event: 'complaint.opened', complaintId: 'C-17', priority: 2, tags: ['kettle'] },
      }),
      workflowId: 'complaint-17',
      jobKey: 'Notify#1',
    });

    // then
    expect(result.variables).toEqual({ notification: { channel: 'webhook', delivered: true, id: 'complaint-17:Notify#1' } });
    expect(hook.received).toHaveLength(1);
    const [req] = hook.received;
    expect(req).toMatchObject({ method: 'POST', url: '/hooks/complaints?tenant=7' });
    expect(req!.headers['content-type']).toBe('application/json');
    expect(req!.headers['idempotency-key']).toBe('complaint-17:Notify#1');
    expect(req!.headers['x-signature-256']).toBeUndefined();
    expect(JSON.parse(req!.body)).toEqual({
      id: 'complaint-17:Notify#1',
      subject: 'Complaint opened',
      text: 'Complaint C-17 opened',
      markdown: '**C-17** opened',
      data: { event: 'complaint.opened', complaintId: 'C-17', priority: 2, tags: ['kettle'] },
    });
  });

  it('sends the same body on a retry, so the receiver can drop the duplicate', async () => {
    // given
    const hook = await ok();
    const { run } = jobHarness({ allowedHosts: [hook.host] });

    // when
    await run({ ...webhook({ url: hook.url }), jobKey: '9' });
    await run({ ...webhook({ url: hook.url }), jobKey: '9' });

    // then
    expect(hook.received[0]!.body).toBe(hook.received[1]!.body);
  });

  it('adds the credential: Authorization header and an HMAC-SHA256 signature of the raw body', async () => {
    // given
    const hook = await ok();
    const { run, logText } = jobHarness({
      allowedHosts: [hook.host],
      credentials: envCredentials({ CREDENTIAL_CRM_HOOK_AUTHORIZATION: 'Bearer tok-1', CREDENTIAL_CRM_HOOK_SECRET: 'sign-key-1', CREDENTIAL_CRM_HOOK_HOSTS: hook.host }),
    });

    // when
    await run(webhook({ url: hook.url, credential: 'crm-hook' }));

    // then
    const [req] = hook.received;
    expect(req!.headers.authorization).toBe('Bearer tok-1');
    const expected = `sha256=${createHmac('sha256', 'sign-key-1').update(req!.body).digest('hex')}`;
    expect(req!.headers['x-signature-256']).toBe(expected);
    expect(logText()).not.toContain('tok-1');
    expect(logText()).not.toContain('sign-key-1');
  });

  it('never sends a credential to a host it is not bound to, even an allowed one', async () => {
    // given a credential of the CRM's host, and a second allowed host the diagram names instead
    const crm = await ok();
    const other = await ok();
    const { run } = jobHarness({
      allowedHosts: [crm.host, other.host],
      credentials: envCredentials({
        CREDENTIAL_CRM_HOOK_AUTHORIZATION: 'Bearer tok-1', CREDENTIAL_CRM_HOOK_HOSTS: crm.host,
        CREDENTIAL_CRM_URL_AUTHORIZATION: 'Bearer tok-2', CREDENTIAL_CRM_URL_URL: `${crm.url}/hook`,
        CREDENTIAL_UNBOUND_AUTHORIZATION: 'Bearer tok-3',
      }),
    });

    // when
    const byHosts = await failureOf(run(webhook({ url: `${other.url}/steal`, credential: 'crm-hook' })));
    const byUrl = await failureOf(run(webhook({ url: `${other.url}/steal`, credential: 'crm-url' })));
    const unbound = await failureOf(run(webhook({ url: `${other.url}/steal`, credential: 'unbound' })));

    // then nothing was sent, and the failures name the hosts, not the tokens
    expect([byHosts, byUrl, unbound]).toEqual([
      expect.objectContaining({ type: 'CredentialHostNotAllowed', nonRetryable: true }),
      expect.objectContaining({ type: 'CredentialHostNotAllowed', nonRetryable: true }),
      expect.objectContaining({ type: 'CredentialHostNotAllowed', nonRetryable: true }),
    ]);
    expect(unbound.message).toContain('CREDENTIAL_UNBOUND_HOSTS');
    expect(JSON.stringify([byHosts, byUrl, unbound].map((f) => [f.message, f.details]))).not.toMatch(/tok-\d/);
    expect(other.received).toHaveLength(0);
    expect(crm.received).toHaveLength(0);
  });

  it('takes a secret URL from the credential and keeps its path out of failures and logs', async () => {
    // given
    const hook = await server((_req, res) => json(res, 503, { busy: true }, { 'retry-after': '7' }));
    const { run, logText } = jobHarness({
      allowedHosts: [hook.host],
      credentials: envCredentials({ CREDENTIAL_SLACKISH_URL: `${hook.url}/services/T0/B0/very-secret-path` }),
    });

    // when
    const failure = await failureOf(run(webhook({ credential: 'slackish' })));

    // then
    expect(hook.received[0]!.url).toBe('/services/T0/B0/very-secret-path');
    expect(failure).toMatchObject({ type: 'HttpServerError', nonRetryable: false, nextRetryDelay: expect.anything() });
    expect(failure.message).toContain(hook.url);
    expect(JSON.stringify([failure.message, failure.details, logText()])).not.toContain('very-secret-path');
  });

  it('refuses a host outside HTTP_ALLOWED_HOSTS without sending anything', async () => {
    // given
    const hook = await ok();
    const { run } = jobHarness({ allowedHosts: ['hooks.example.com'] });

    // when
    const failure = await failureOf(run(webhook({ url: hook.url })));

    // then
    expect(failure).toMatchObject({ type: 'HostNotAllowed', nonRetryable: true });
    expect(hook.received).toHaveLength(0);
  });

  it('fails a 4xx answer without retry and retries a 5xx one', async () => {
    // given
    const gone = await server((_req, res) => json(res, 410, { error: 'unsubscribed' }));
    const down = await server((_req, res) => json(res, 502, {}));
    const { run } = jobHarness({ allowedHosts: [gone.host, down.host] });

    // when
    const permanent = await failureOf(run(webhook({ url: gone.url })));
    const transient = await failureOf(run(webhook({ url: down.url })));

    // then
    expect(permanent).toMatchObject({ type: 'HttpClientError', nonRetryable: true });
    expect(transient).toMatchObject({ type: 'HttpServerError', nonRetryable: false });
  });

  it('needs a URL or a credential, and a credential without url names the variable to set', async () => {
    // given
    const { run } = jobHarness({ credentials: envCredentials({ CREDENTIAL_ONLY_AUTH_AUTHORIZATION: 'Bearer x' }) });

    // when
    const neither = await failureOf(run(webhook({})));
    const noUrl = await failureOf(run(webhook({ credential: 'only-auth' })));

    // then
    expect(neither).toMatchObject({ type: 'InvalidInput', nonRetryable: true });
    expect(neither.message).toContain('url: a URL, or a credential with a url field, is required');
    expect(noUrl).toMatchObject({ type: 'CredentialNotFound', nonRetryable: true });
    expect(noUrl.message).toContain('CREDENTIAL_ONLY_AUTH_URL');
  });
});
