/**
 * The owner of a low-score alert hears of it on the configured channels: SMS through the
 * Twilio-shaped provider (a local stand-in of the Messages API on loopback, as the real one
 * cannot be reached here) and e-mail (a real SMTP server on loopback). The message names the
 * touchpoint and the score, never the customer's words; a refused number does not stop the
 * others or raise an incident.
 */
import http from 'node:http';
import type { AddressInfo } from 'node:net';
import { createAlertNotifyOwner } from '../../activities/integrations/alert-notify-owner';
import { integrationDeps } from '../../activities/catalog/deps';
import { PermanentError, TransientError } from '../../activities/catalog/errors';
import { twilioSmsProvider } from '../../activities/notifications/sms';
import { deployShippedProcesses } from '../../server/complaints/shippedProcesses';
import { waitUntil } from '../../server/infra/ports';
import { startSmtp, type SmtpStandIn } from '../unit/activities/notifySupport';
import type { Api } from '../support/auth';
import { eventually, startStack, type Stack } from '../support/stack';

interface SmsRequest { method: string; path: string; authorization: string; contentType: string; form: Record<string, string> }

/** A stand-in of Twilio's Messages API: records each request; `answer` decides the reply. */
async function startSmsStandIn(answer: (form: Record<string, string>) => { status: number; body: unknown }) {
  const received: SmsRequest[] = [];
  const server = http.createServer((req, res) => {
    let raw = '';
    req.setEncoding('utf8');
    req.on('data', (chunk: string) => { raw += chunk; });
    req.on('end', () => {
      const form = Object.fromEntries(new URLSearchParams(raw));
      received.push({ method: req.method ?? '', path: req.url ?? '', authorization: req.headers.authorization ?? '', contentType: req.headers['content-type'] ?? '', form });
      const { status, body } = answer(form);
      res.writeHead(status, { 'content-type': 'application/json' }).end(JSON.stringify(body));
    });
  });
  await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
  const { port } = server.address() as AddressInfo;
  return { url: `http://127.0.0.1:${port}`, received, close: () => new Promise<void>((resolve) => server.close(() => resolve())) };
}

const SID = 'AC0123456789abcdef0123456789abcdef';
const TOKEN = 'stand-in-auth-token-0123456789';
const ENV = ['CREDENTIAL_SMS_ACCOUNT_SID', 'CREDENTIAL_SMS_AUTH_TOKEN', 'CREDENTIAL_SMS_FROM', 'CREDENTIAL_SMS_URL', 'ALERT_SMS_TO', 'ALERT_EMAIL_TO', 'SMTP_URL', 'PUBLIC_BASE_URL'] as const;

describe('notifying the owner of a low-score alert', () => {
  let stack: Stack;
  let sms: Awaited<ReturnType<typeof startSmsStandIn>>;
  let smtp: SmtpStandIn;
  let customer: Api;
  const previous = Object.fromEntries(ENV.map((name) => [name, process.env[name]]));

  beforeAll(async () => {
    sms = await startSmsStandIn((form) => (form.To === '+8613800000999'
      ? { status: 400, body: { code: 21211, message: `The 'To' number ${form.To} is not a valid phone number.`, status: 400 } }
      : { status: 201, body: { sid: `SM${String(sms.received.length).padStart(32, '0')}`, status: 'queued' } }));
    smtp = await startSmtp();
    Object.assign(process.env, {
      CREDENTIAL_SMS_ACCOUNT_SID: SID, CREDENTIAL_SMS_AUTH_TOKEN: TOKEN, CREDENTIAL_SMS_FROM: '+15005550006', CREDENTIAL_SMS_URL: sms.url,
      ALERT_SMS_TO: 'store-ops=+8613800000001,store-ops=+8613800000999,store-ops=+8613800000002,customer-experience=+8613800000003',
      ALERT_EMAIL_TO: 'store-ops=ops-lead@example.com', SMTP_URL: smtp.url, PUBLIC_BASE_URL: 'https://complaints.example.com',
    });
    stack = await startStack({ allowedHosts: ['127.0.0.1'], complaints: { touchpointOwners: { 'store-42': 'store-ops' } } });
    await deployShippedProcesses(stack.services.definitions);
    // the customer gives feedback as themselves
    customer = stack.as({ roles: ['customer'], customerId: 'cust-alert-sms' });
  });

  afterAll(async () => {
    await stack?.stop();
    await sms?.close();
    await smtp?.close();
    for (const name of ENV) {
      if (previous[name] === undefined) delete process.env[name];
      else process.env[name] = previous[name];
    }
  });

  it("texts and mails the touchpoint's owner group; a refused number is counted, not an incident", async () => {
    // when a customer scores the owned touchpoint 2 of 10
    const res = await customer<{ alert: { instanceId: string } }>('POST', '/api/feedback', { touchpoint: 'store-42', score: 2, verbatim: 'The manager shouted at me' });
    expect(res.status).toBe(201);

    // then the process records what reached the owner group
    const instance = await eventually<{ variables: { ownerNotice?: unknown }; incidents: unknown[] }>(stack, `/api/instances/${res.body.alert.instanceId}`,
      (i) => i.variables.ownerNotice !== undefined, 'the owner notice');
    expect(instance.variables.ownerNotice).toEqual({ sms: { sent: 2, failed: 1 }, email: { sent: 1, failed: 0 } });
    expect(instance.incidents).toEqual([]);

    // and the SMS provider got one Messages API call per number of the group, nobody else's
    expect(sms.received.map((r) => r.form.To)).toEqual(['+8613800000001', '+8613800000999', '+8613800000002']);
    for (const request of sms.received) {
      expect(request).toMatchObject({ method: 'POST', path: `/2010-04-01/Accounts/${SID}/Messages.json`, contentType: 'application/x-www-form-urlencoded' });
      expect(request.authorization).toBe(`Basic ${Buffer.from(`${SID}:${TOKEN}`).toString('base64')}`);
      expect(request.form.From).toBe('+15005550006');
      expect(request.form.Body).toBe('Low score 2/10 at store-42: an alert work order for store-ops waits in https://complaints.example.com/#/inbox.');
    }
    // and the e-mail went to the group's address, without the customer's words
    await waitUntil('the mail', async () => smtp.received.length > 0, 10_000, 100);
    expect(smtp.received.map((m) => m.rcptTo)).toEqual([['ops-lead@example.com']]);
    expect(smtp.received[0]!.raw).toContain('Low score 2/10 at store-42');
    expect(smtp.received[0]!.raw).not.toContain('shouted');
    expect(JSON.stringify(sms.received)).not.toContain('shouted');
  });

  it('texts the default group for a touchpoint without an owner', async () => {
    const before = sms.received.length;
    const res = await customer<{ alert: { instanceId: string } }>('POST', '/api/feedback', { touchpoint: 'kiosk-1', score: 5, verbatim: 'meh' });
    // kiosk-1 has no owner: customer-experience, which has one number
    const instance = await eventually<{ variables: { ownerNotice?: unknown } }>(stack, `/api/instances/${res.body.alert.instanceId}`,
      (i) => i.variables.ownerNotice !== undefined, 'the owner notice');
    expect(instance.variables.ownerNotice).toEqual({ sms: { sent: 1, failed: 0 }, email: { sent: 0, failed: 0 } });
    expect(sms.received.slice(before).map((r) => r.form.To)).toEqual(['+8613800000003']);
  });
});

describe('the Twilio-shaped SMS provider against its stand-in', () => {
  let standIn: Awaited<ReturnType<typeof startSmsStandIn>>;
  let reply: { status: number; body: unknown } = { status: 201, body: { sid: 'SM1' } };
  const deps = (fields: Record<string, string>) => integrationDeps({ allowedHosts: ['127.0.0.1'], credentials: { get: (name) => (name === 'sms' ? fields : undefined) } });
  const ctx = (fields: Record<string, string>) => ({ deps: deps(fields), signal: new AbortController().signal, timeoutMs: 5_000 });
  const account = () => ({ account_sid: SID, auth_token: TOKEN, from: '+15005550006', url: standIn.url });

  beforeAll(async () => {
    standIn = await startSmsStandIn(() => reply);
  });
  afterAll(async () => {
    await standIn?.close();
  });

  it('returns the message sid on 201', async () => {
    reply = { status: 201, body: { sid: 'SM0123' } };
    await expect(twilioSmsProvider().send({ to: '+8613800000001', text: 'hi' }, ctx(account()))).resolves.toEqual({ id: 'SM0123' });
  });

  it('classifies refusals as permanent and rate limits as transient, without the number or the token', async () => {
    reply = { status: 401, body: { code: 20003, message: 'Authenticate' } };
    const refused = await twilioSmsProvider().send({ to: '+8613800000001', text: 'hi' }, ctx(account())).catch((e: unknown) => e);
    expect(refused).toBeInstanceOf(PermanentError);
    expect(refused).toMatchObject({ type: 'CredentialRefused', details: { status: 401, code: 20003 } });

    reply = { status: 429, body: { code: 20429, message: 'Too Many Requests to +8613800000001' } };
    const limited = await twilioSmsProvider().send({ to: '+8613800000001', text: 'hi' }, ctx(account())).catch((e: unknown) => e);
    expect(limited).toBeInstanceOf(TransientError);
    expect(JSON.stringify({ m: (limited as Error).message, d: (limited as TransientError).options })).not.toMatch(/8613800000001|stand-in-auth-token/);
  });

  it('names the missing credential field and refuses a host outside the allow-list', async () => {
    const { from: _from, ...noFrom } = account();
    await expect(twilioSmsProvider().send({ to: '+8613800000001', text: 'hi' }, ctx(noFrom))).rejects.toMatchObject({ type: 'CredentialNotFound', message: expect.stringContaining('CREDENTIAL_SMS_FROM') as unknown });
    const outside = { ...account(), url: 'https://api.twilio.com' };
    await expect(twilioSmsProvider().send({ to: '+8613800000001', text: 'hi' }, ctx(outside))).rejects.toMatchObject({ type: 'HostNotAllowed' });
  });

  it('retries the job when nothing was delivered yet (a 5xx on the first number)', async () => {
    reply = { status: 503, body: {} };
    const integration = createAlertNotifyOwner({ ALERT_SMS_TO: 'ops=+8613800000001' });
    const run = integration.run({ feedbackId: 'fb-00000000-0000-4000-8000-000000000001', ownerGroup: 'ops', touchpoint: 't', score: 1 },
      { idempotencyKey: 'wf:1', headers: {}, signal: new AbortController().signal, log: () => undefined, deps: deps(account()) });
    await expect(run).rejects.toBeInstanceOf(TransientError);
  });
});
