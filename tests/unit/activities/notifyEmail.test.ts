import { envCredentials } from '../../../activities/catalog/credentials';
import { createNotifyEmail } from '../../../activities/integrations/notify-email';
import { messageIdFor } from '../../../activities/notifications/email';
import { loadConfig } from '../../../server/config';
import { failureOf, jobHarness } from './support/jobs';
import type { SmtpOptions, SmtpStandIn } from './notifySupport';
import { parseMime, partOfType, startSmtp } from './notifySupport';

const servers: SmtpStandIn[] = [];
async function smtp(options: SmtpOptions = {}): Promise<SmtpStandIn> {
  const s = await startSmtp(options);
  servers.push(s);
  return s;
}
afterEach(async () => {
  await Promise.all(servers.splice(0).map((s) => s.close()));
});

function harness(env: NodeJS.ProcessEnv, credentials: NodeJS.ProcessEnv = {}) {
  return jobHarness({ credentials: envCredentials(credentials) }, { integrations: [createNotifyEmail(env)] });
}

const mail = (variables: Record<string, unknown>) => ({
  taskType: 'notify.email',
  variables: { to: 'anna@example.com', subject: 'Complaint C-17 received', text: 'We are on it.', ...variables },
});

describe('notify.email against a real SMTP server', () => {
  it('delivers the message: envelope, headers, text and HTML bodies, Message-ID from the idempotency key', async () => {
    // given
    const server = await smtp();
    const { run, logText } = harness({ SMTP_URL: server.url, SMTP_FROM: 'Complaints <complaints@example.com>' });

    // when
    const result = await run({
      ...mail({
        to: ['anna@example.com', 'ben@example.com'],
        cc: 'carla@example.com',
        bcc: ['audit@example.com'],
        replyTo: 'desk@example.com',
        text: 'Dear Anna,\nyour kettle complaint is being handled — 处理中.',
        html: '<p>Dear Anna, <b>handled</b></p>',
      }),
      workflowId: 'complaint-17',
      jobKey: 'Notify#2',
    });

    // then
    expect(result.variables).toEqual({
      notification: { channel: 'email', delivered: true, id: '<complaint-17%3ANotify%232@example.com>', accepted: 4, rejected: 0 },
    });
    expect(server.received).toHaveLength(1);
    const [received] = server.received;
    expect(received!.mailFrom).toBe('complaints@example.com');
    expect(received!.rcptTo.sort()).toEqual(['anna@example.com', 'audit@example.com', 'ben@example.com', 'carla@example.com']);
    const parsed = parseMime(received!.raw);
    expect(parsed.headers['message-id']).toBe('<complaint-17%3ANotify%232@example.com>');
    expect(decodeURIComponent(/^<(.*)@/.exec(parsed.headers['message-id']!)![1]!)).toBe('complaint-17:Notify#2');
    expect(parsed.headers.from).toBe('Complaints <complaints@example.com>');
    expect(parsed.headers.to).toBe('anna@example.com, ben@example.com');
    expect(parsed.headers.cc).toBe('carla@example.com');
    expect(parsed.headers.bcc).toBeUndefined();
    expect(parsed.headers['reply-to']).toBe('desk@example.com');
    expect(parsed.headers.subject).toBe('Complaint C-17 received');
    expect(partOfType(parsed, 'text/plain')!.body).toBe('Dear Anna,\nyour kettle complaint is being handled — 处理中.'.replace(/\n/g, '\r\n'));
    expect(partOfType(parsed, 'text/html')!.body).toBe('<p>Dear Anna, <b>handled</b></p>');
    // Counts and timing only: no address and no body in the logs.
    expect(logText()).toContain('notify.email delivered');
    for (const secret of ['anna@', 'ben@', 'carla@', 'audit@', 'desk@', 'Dear Anna', 'kettle']) expect(logText()).not.toContain(secret);
  });

  it('sends the same Message-ID on every attempt of one job, and another for another job', async () => {
    // given
    const server = await smtp();
    const { run } = harness({ SMTP_URL: server.url, SMTP_FROM: 'no-reply@example.com' });

    // when
    await run({ ...mail({}), workflowId: 'complaint-1', jobKey: '7' });
    await run({ ...mail({}), workflowId: 'complaint-1', jobKey: '7' });
    await run({ ...mail({}), workflowId: 'complaint-1', jobKey: '8' });

    // then
    const ids = server.received.map((m) => parseMime(m.raw).headers['message-id']);
    expect(ids).toEqual(['<complaint-1%3A7@example.com>', '<complaint-1%3A7@example.com>', '<complaint-1%3A8@example.com>']);
  });

  it('uses the default sender no-reply@localhost when SMTP_FROM is unset', async () => {
    // given
    const server = await smtp();
    const { run } = harness({ SMTP_URL: server.url });

    // when
    await run(mail({}));

    // then
    expect(server.received[0]!.mailFrom).toBe('no-reply@localhost');
    expect(parseMime(server.received[0]!.raw).headers['message-id']).toBe('<wf-1%3Ajob-1@localhost>');
  });

  it('logs in with the user and password of SMTP_URL, and never logs the password', async () => {
    // given
    const server = await smtp({ auth: { user: 'bpm', pass: 's3cret-pw' } });
    const { run, logText } = harness({ SMTP_URL: server.url });

    // when
    const result = await run(mail({}));

    // then
    expect(result.variables).toMatchObject({ notification: { delivered: true } });
    expect(server.logins).toEqual([{ username: 'bpm', password: 's3cret-pw' }]);
    expect(logText()).not.toContain('s3cret-pw');
  });

  it('takes the server and sender from a named credential instead of SMTP_URL', async () => {
    // given
    const server = await smtp({ auth: { user: 'crm', pass: 'pw-2' } });
    const { run } = harness({}, { CREDENTIAL_CRM_MAIL_URL: server.url, CREDENTIAL_CRM_MAIL_FROM: 'crm@example.org' });

    // when
    const result = await run(mail({ credential: 'crm-mail' }));

    // then
    expect(result.variables).toMatchObject({ notification: { delivered: true, id: '<wf-1%3Ajob-1@example.org>' } });
    expect(server.received[0]!.mailFrom).toBe('crm@example.org');
  });

  it('fails as NotConfigured, without retry, when SMTP_URL is unset', async () => {
    // given
    const { run } = harness({});

    // when
    const failure = await failureOf(run(mail({})));

    // then
    expect(failure).toMatchObject({ type: 'NotConfigured', nonRetryable: true });
    expect(failure.message).toContain('SMTP_URL');
  });

  it('fails as NotConfigured when SMTP_URL is not an SMTP URL, without echoing it', async () => {
    // given
    const { run } = harness({ SMTP_URL: 'https://user:pw-in-url@mail.example.com' });

    // when
    const failure = await failureOf(run(mail({})));

    // then
    expect(failure).toMatchObject({ type: 'NotConfigured', nonRetryable: true });
    expect(failure.message).not.toContain('pw-in-url');
  });

  it('fails as CredentialNotFound, naming the variable to set, for an unknown or incomplete credential', async () => {
    // given
    const { run } = harness({}, { CREDENTIAL_HALF_FROM: 'x@example.com' });

    // when
    const unknown = await failureOf(run(mail({ credential: 'nope' })));
    const incomplete = await failureOf(run(mail({ credential: 'half' })));

    // then
    expect(unknown).toMatchObject({ type: 'CredentialNotFound', nonRetryable: true });
    expect(unknown.message).toContain('CREDENTIAL_NOPE_');
    expect(incomplete).toMatchObject({ type: 'CredentialNotFound', nonRetryable: true });
    expect(incomplete.message).toContain('CREDENTIAL_HALF_URL');
  });

  it('refuses a message all of whose recipients the server rejects (5xx), without retry or the address', async () => {
    // given
    const server = await smtp({ refuseRecipient: () => ({ code: 550, message: '5.1.1 <anna@example.com>: Recipient address rejected' }) });
    const { run, logText } = harness({ SMTP_URL: server.url });

    // when
    const failure = await failureOf(run(mail({})));

    // then
    expect(failure).toMatchObject({ type: 'SmtpRejected', nonRetryable: true });
    expect(failure.message).toContain('550 5.1.1');
    expect(JSON.stringify([failure.message, failure.details, logText()])).not.toContain('anna@');
    expect(server.received).toHaveLength(0);
  });

  it('delivers to the accepted recipients and counts the rejected one', async () => {
    // given
    const server = await smtp({ refuseRecipient: (a) => (a.startsWith('gone') ? { code: 550, message: 'no such user' } : undefined) });
    const { run } = harness({ SMTP_URL: server.url });

    // when
    const result = await run(mail({ to: ['anna@example.com', 'gone@example.com'] }));

    // then
    expect(result.variables).toMatchObject({ notification: { delivered: true, accepted: 1, rejected: 1 } });
    expect(server.received[0]!.rcptTo).toEqual(['anna@example.com']);
  });

  it('retries a message the server defers (4xx)', async () => {
    // given
    const server = await smtp({ refuseData: { code: 451, message: '4.3.0 try again later' } });
    const { run } = harness({ SMTP_URL: server.url });

    // when
    const failure = await failureOf(run(mail({})));

    // then
    expect(failure).toMatchObject({ type: 'SmtpDeferred', nonRetryable: false });
    expect(failure.message).toContain('451 4.3.0');
  });

  it('fails a refused login without retry', async () => {
    // given
    const server = await smtp({ auth: { user: 'bpm', pass: 'right' } });
    const url = server.url.replace(':right@', ':wrong@');
    const { run, logText } = harness({ SMTP_URL: url });

    // when
    const failure = await failureOf(run(mail({})));

    // then
    expect(failure).toMatchObject({ type: 'SmtpAuthFailed', nonRetryable: true });
    expect(JSON.stringify([failure.message, failure.details, logText()])).not.toContain('wrong');
  });

  it('retries when the server cannot be reached', async () => {
    // given
    const server = await smtp();
    const { port } = server;
    await servers.splice(0)[0]!.close();
    const { run } = harness({ SMTP_URL: `smtp://127.0.0.1:${port}` });

    // when
    const failure = await failureOf(run(mail({})));

    // then
    expect(failure).toMatchObject({ type: 'SmtpUnavailable', nonRetryable: false });
    expect(failure.message).toContain('ECONNREFUSED');
  });

  it('gives up an attempt after timeoutMs and retries it', async () => {
    // given
    const server = await smtp({ hangOnData: true });
    const { run } = harness({ SMTP_URL: server.url });

    // when
    const failure = await failureOf(run(mail({ timeoutMs: 1_000 })));

    // then
    expect(failure).toMatchObject({ type: 'SmtpTimeout', nonRetryable: false });
    expect(failure.message).toContain('1000 ms');
  });

  it('rejects invalid addresses as invalid input, naming the field', async () => {
    // given
    const { run } = harness({ SMTP_URL: 'smtp://127.0.0.1:1' });

    // when
    const failure = await failureOf(run(mail({ to: ['anna@example.com', 'not-an-address'], replyTo: 'nope' })));

    // then
    expect(failure).toMatchObject({ type: 'InvalidInput', nonRetryable: true });
    expect(failure.message).toMatch(/to\[1\]: not an e-mail address/);
    expect(failure.message).toMatch(/replyTo: /);
    expect(failure.message).not.toContain('not-an-address');
  });
});

describe('Message-ID from an idempotency key', () => {
  it('encodes everything but letters, digits, - and _ so that the id stays a valid, reversible msg-id', () => {
    expect(messageIdFor('complaint-42:Task_1#3', 'a@b.example')).toBe('<complaint-42%3ATask_1%233@b.example>');
    expect(messageIdFor('wf 1:ä', 'Name <x@y.example>')).toBe('<wf%201%3A%C3%A4@y.example>');
    expect(messageIdFor('wf:1', 'no-domain')).toBe('<wf%3A1@localhost>');
  });
});

describe('SMTP configuration', () => {
  it('accepts smtp:// and smtps:// URLs and refuses others at start-up, naming the variable only', () => {
    expect(loadConfig({ SMTP_URL: 'smtps://u:p@mail.example.com:465', SMTP_FROM: 'Desk <desk@example.com>' })).toMatchObject({
      SMTP_URL: 'smtps://u:p@mail.example.com:465',
      SMTP_FROM: 'Desk <desk@example.com>',
    });
    expect(loadConfig({}).SMTP_URL).toBeUndefined();
    expect(() => loadConfig({ SMTP_URL: 'http://u:secret-pw@mail.example.com' })).toThrow(/SMTP_URL/);
    expect(() => loadConfig({ SMTP_URL: 'http://u:secret-pw@mail.example.com' })).not.toThrow(/secret-pw/);
    expect(() => loadConfig({ SMTP_FROM: 'not an address' })).toThrow(/SMTP_FROM/);
  });
});
