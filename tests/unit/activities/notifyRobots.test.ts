import { createHmac } from 'node:crypto';
import { envCredentials } from '../../../activities/catalog/credentials';
import type { Handler, Loopback, Received } from './support/loopback';
import { json, startLoopback } from './support/loopback';
import { failureOf, jobHarness } from './support/jobs';

const servers: Loopback[] = [];
async function robot(reply: Handler = (_req, res) => json(res, 200, { errcode: 0, errmsg: 'ok' })): Promise<Loopback> {
  const s = await startLoopback(reply);
  servers.push(s);
  return s;
}
afterEach(async () => {
  await Promise.all(servers.splice(0).map((s) => s.close()));
});

/** A harness whose credential `bot` has these fields and may reach only `server`. */
function harness(server: Loopback | undefined, fields: Record<string, string>) {
  const env = Object.fromEntries(Object.entries(fields).map(([k, v]) => [`CREDENTIAL_BOT_${k.toUpperCase()}`, v]));
  return jobHarness({ allowedHosts: server ? [server.host] : [], credentials: envCredentials(env) });
}

const job = (type: string, variables: Record<string, unknown>) => ({
  taskType: `notify.${type}`,
  variables: { credential: 'bot', text: 'Complaint C-17 needs a technician', ...variables },
});
const sent = (req: Received | undefined): unknown => JSON.parse(req!.body);
const query = (req: Received | undefined) => new URL(req!.url, 'http://x').searchParams;
const replyWith = (body: unknown): Handler => (_req, res) => json(res, 200, body);

describe('notify.wecom', () => {
  it('posts a text message with mention lists to the robot URL of the credential', async () => {
    // given
    const server = await robot();
    const { run } = harness(server, { url: `${server.url}/cgi-bin/webhook/send?key=k-1` });

    // when
    const result = await run(job('wecom', { mentions: ['wangqing'], mentionMobiles: ['13800001111'], mentionAll: true }));

    // then
    expect(result.variables).toEqual({ notification: { channel: 'wecom', delivered: true } });
    expect(server.received[0]).toMatchObject({ method: 'POST', url: '/cgi-bin/webhook/send?key=k-1' });
    expect(server.received[0]!.headers['content-type']).toMatch(/^application\/json/);
    expect(sent(server.received[0])).toEqual({
      msgtype: 'text',
      text: { content: 'Complaint C-17 needs a technician', mentioned_list: ['wangqing', '@all'], mentioned_mobile_list: ['13800001111'] },
    });
  });

  it('posts markdown with mentions as <@userid> in the content', async () => {
    // given
    const server = await robot();
    const { run } = harness(server, { url: `${server.url}/send?key=k-1` });

    // when
    await run(job('wecom', { markdown: '**C-17** <font color="warning">overdue</font>', mentions: ['wangqing', 'lisi'] }));

    // then
    expect(sent(server.received[0])).toEqual({
      msgtype: 'markdown',
      markdown: { content: '**C-17** <font color="warning">overdue</font>\n<@wangqing><@lisi>' },
    });
  });

  it('cuts text to the 2048 bytes WeCom accepts, on a character boundary', async () => {
    // given
    const server = await robot();
    const { run } = harness(server, { url: `${server.url}/send?key=k-1` });

    // when
    await run(job('wecom', { text: '投诉'.repeat(1000) }));

    // then
    const { text } = sent(server.received[0]) as { text: { content: string } };
    expect(Buffer.byteLength(text.content)).toBeLessThanOrEqual(2048);
    expect(text.content).toMatch(/^(投诉)+投?…$/);
  });

  it.each([
    [93000, 'invalid webhook url', 'RobotAuthFailed', true],
    [45009, 'api freq out of limit', 'RobotRateLimited', false],
    [-1, 'system busy', 'RobotUnavailable', false],
    [40008, 'invalid message type', 'RobotRejected', true],
  ])('treats errcode %i (%s) in a 200 answer as %s', async (errcode, errmsg, type, nonRetryable) => {
    // given
    const server = await robot(replyWith({ errcode, errmsg }));
    const { run } = harness(server, { url: `${server.url}/send?key=k-1` });

    // when
    const failure = await failureOf(run(job('wecom', {})));

    // then
    expect(failure).toMatchObject({ type, nonRetryable });
    expect(failure.message).toContain(`WeCom robot answered ${errcode}: ${errmsg}`);
    if (type === 'RobotRateLimited') expect(failure.nextRetryDelay).toBeDefined();
  });

  it('builds the qyapi.weixin.qq.com address from a key, refused unless that host is allowed, without showing the key', async () => {
    // given
    const { run, logText } = harness(undefined, { key: 'wecom-key-123' });

    // when
    const failure = await failureOf(run(job('wecom', {})));

    // then
    expect(failure).toMatchObject({ type: 'HostNotAllowed', nonRetryable: true });
    expect(failure.message).toContain('qyapi.weixin.qq.com');
    expect(JSON.stringify([failure.message, failure.details, logText()])).not.toContain('wecom-key-123');
  });

  it('fails at once for a missing credential or one without key or url, naming the variable', async () => {
    // given
    const { run } = harness(undefined, { secret: 'only-a-secret' });

    // when
    const missing = await failureOf(run(job('wecom', { credential: 'other' })));
    const incomplete = await failureOf(run(job('wecom', {})));

    // then
    expect(missing).toMatchObject({ type: 'CredentialNotFound', nonRetryable: true });
    expect(missing.message).toContain('CREDENTIAL_OTHER_');
    expect(incomplete).toMatchObject({ type: 'CredentialNotFound', nonRetryable: true });
    expect(incomplete.message).toContain('CREDENTIAL_BOT_KEY');
  });

  it('retries a 5xx answer and refuses a 200 answer without a result code', async () => {
    // given
    const down = await robot((_req, res) => json(res, 502, {}));
    const odd = await robot((_req, res) => {
      res.writeHead(200, { 'content-type': 'text/html' });
      res.end('<html>proxy login</html>');
    });

    // when
    const transient = await failureOf(harness(down, { url: `${down.url}/send?key=k` }).run(job('wecom', {})));
    const unexpected = await failureOf(harness(odd, { url: `${odd.url}/send?key=k` }).run(job('wecom', {})));

    // then
    expect(transient).toMatchObject({ type: 'HttpServerError', nonRetryable: false });
    expect(unexpected).toMatchObject({ type: 'RobotUnexpectedReply', nonRetryable: true });
  });
});

describe('notify.dingtalk', () => {
  it('signs the URL with timestamp and HMAC-SHA256 of timestamp\\nsecret, and names mentions in the text', async () => {
    // given
    const server = await robot();
    const { run, logText } = harness(server, { url: `${server.url}/robot/send?access_token=tok-1`, secret: 'SECabc123' });
    const before = Date.now();

    // when
    const result = await run(job('dingtalk', { mentionMobiles: ['13800000000'], mentions: ['user123'] }));

    // then
    expect(result.variables).toEqual({ notification: { channel: 'dingtalk', delivered: true } });
    const params = query(server.received[0]);
    expect(params.get('access_token')).toBe('tok-1');
    const timestamp = params.get('timestamp')!;
    expect(Number(timestamp)).toBeGreaterThanOrEqual(before);
    expect(Number(timestamp)).toBeLessThanOrEqual(Date.now());
    const expected = createHmac('sha256', 'SECabc123').update(`${timestamp}\nSECabc123`).digest('base64');
    expect(params.get('sign')).toBe(expected);
    expect(server.received[0]!.url).toContain(`sign=${encodeURIComponent(expected)}`);
    expect(sent(server.received[0])).toEqual({
      msgtype: 'text',
      text: { content: 'Complaint C-17 needs a technician\n@13800000000 @user123' },
      at: { atMobiles: ['13800000000'], atUserIds: ['user123'], isAtAll: false },
    });
    expect(logText()).not.toContain('SECabc123');
  });

  it('posts markdown with the subject as title, without signing when the credential has no secret', async () => {
    // given
    const server = await robot();
    const { run } = harness(server, { url: `${server.url}/robot/send?access_token=tok-1` });

    // when
    await run(job('dingtalk', { subject: 'C-17 overdue', markdown: '### C-17\n> overdue @13800000000', mentionMobiles: ['13800000000'], mentionAll: true }));

    // then
    expect([...query(server.received[0]).keys()]).toEqual(['access_token']);
    expect(sent(server.received[0])).toEqual({
      msgtype: 'markdown',
      markdown: { title: 'C-17 overdue', text: '### C-17\n> overdue @13800000000' },
      at: { atMobiles: ['13800000000'], isAtAll: true },
    });
  });

  it.each([
    [310000, 'sign not match', 'RobotAuthFailed', true],
    [300001, 'token is not exist', 'RobotAuthFailed', true],
    [130101, 'send too fast, exceed 20 times per minute', 'RobotRateLimited', false],
    [40035, 'invalid parameter', 'RobotRejected', true],
  ])('treats errcode %i (%s) as %s', async (errcode, errmsg, type, nonRetryable) => {
    // given
    const server = await robot(replyWith({ errcode, errmsg }));
    const { run } = harness(server, { url: `${server.url}/robot/send?access_token=tok-1`, secret: 'SECabc' });

    // when
    const failure = await failureOf(run(job('dingtalk', {})));

    // then
    expect(failure).toMatchObject({ type, nonRetryable, details: [{ channel: 'dingtalk', code: errcode, message: errmsg }] });
    expect(failure.message).not.toContain('SECabc');
  });
});

describe('notify.feishu', () => {
  it('signs the body with timestamp and base64 HMAC-SHA256 keyed by timestamp\\nsecret over ""', async () => {
    // given
    const server = await robot(replyWith({ code: 0, data: {}, msg: 'success' }));
    const { run } = harness(server, { url: `${server.url}/open-apis/bot/v2/hook/hook-1`, secret: 'fs-secret' });
    const before = Math.floor(Date.now() / 1000);

    // when
    const result = await run(job('feishu', { mentions: ['ou_123'], mentionAll: true }));

    // then
    expect(result.variables).toEqual({ notification: { channel: 'feishu', delivered: true } });
    expect(server.received[0]!.url).toBe('/open-apis/bot/v2/hook/hook-1');
    const body = sent(server.received[0]) as { timestamp: string; sign: string };
    expect(Number(body.timestamp)).toBeGreaterThanOrEqual(before);
    expect(Number(body.timestamp)).toBeLessThanOrEqual(Math.ceil(Date.now() / 1000));
    const expected = createHmac('sha256', `${body.timestamp}\nfs-secret`).update('').digest('base64');
    expect(body).toEqual({
      msg_type: 'text',
      content: { text: 'Complaint C-17 needs a technician\n<at user_id="ou_123"></at> <at user_id="all">所有人</at>' },
      timestamp: body.timestamp,
      sign: expected,
    });
  });

  it('posts markdown as an interactive card with a lark_md element, unsigned without a secret', async () => {
    // given
    const server = await robot(replyWith({ StatusCode: 0, StatusMessage: 'success' }));
    const { run } = harness(server, { url: `${server.url}/open-apis/bot/v2/hook/hook-1` });

    // when
    const result = await run(job('feishu', { subject: 'C-17 overdue', markdown: '**C-17** is overdue', mentions: ['ou_123'] }));

    // then
    expect(result.variables).toMatchObject({ notification: { delivered: true } });
    expect(sent(server.received[0])).toEqual({
      msg_type: 'interactive',
      card: {
        config: { wide_screen_mode: true },
        header: { title: { tag: 'plain_text', content: 'C-17 overdue' } },
        elements: [{ tag: 'div', text: { tag: 'lark_md', content: '**C-17** is overdue\n<at id=ou_123></at>' } }],
      },
    });
  });

  it('offers no mention by phone number', async () => {
    // given
    const server = await robot(replyWith({ code: 0 }));
    const { run } = harness(server, { url: `${server.url}/hook/h` });

    // when
    const result = await run(job('feishu', { mentionMobiles: ['13800000000'] }));

    // then: the unknown field is dropped by the schema, not sent
    expect(result.variables).toMatchObject({ notification: { delivered: true } });
    expect(JSON.stringify(sent(server.received[0]))).not.toContain('13800000000');
  });

  it.each([
    [19021, 'sign match fail or timestamp is not within one hour from current time', 'RobotAuthFailed', true],
    [11232, 'frequency limited', 'RobotRateLimited', false],
    [9499, 'Bad Request', 'RobotRejected', true],
  ])('treats code %i (%s) as %s', async (code, msg, type, nonRetryable) => {
    // given
    const server = await robot(replyWith({ code, data: {}, msg }));
    const { run } = harness(server, { url: `${server.url}/open-apis/bot/v2/hook/hook-1`, secret: 'fs-secret' });

    // when
    const failure = await failureOf(run(job('feishu', {})));

    // then
    expect(failure).toMatchObject({ type, nonRetryable });
    expect(failure.message).toContain(`Feishu robot answered ${code}`);
  });

  it('keeps the hook key, which is in the URL path, out of failures and logs', async () => {
    // given
    const server = await robot((_req, res) => json(res, 500, { code: 1 }));
    const { run, logText } = harness(server, { url: `${server.url}/open-apis/bot/v2/hook/very-secret-hook` });

    // when
    const failure = await failureOf(run(job('feishu', {})));

    // then
    expect(server.received[0]!.url).toBe('/open-apis/bot/v2/hook/very-secret-hook');
    expect(failure).toMatchObject({ type: 'HttpServerError', nonRetryable: false });
    expect(JSON.stringify([failure.message, failure.details, logText()])).not.toContain('very-secret-hook');
  });

  it('builds the open.feishu.cn address from a key and refuses it when the host is not allowed', async () => {
    // given
    const { run } = harness(undefined, { key: 'hook-key-1' });

    // when
    const failure = await failureOf(run(job('feishu', {})));

    // then
    expect(failure).toMatchObject({ type: 'HostNotAllowed', nonRetryable: true });
    expect(failure.message).toContain('open.feishu.cn');
    expect(failure.message).not.toContain('hook-key-1');
  });
});
