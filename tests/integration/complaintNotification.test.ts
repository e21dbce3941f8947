/**
 * The resolution notice: a complaint with an e-mail address gets a mail (real SMTP server on
 * loopback) with the complaint number and a signed link that opens that complaint only; a
 * notice that cannot be sent is recorded on the timeline and the lifecycle goes on.
 */
import { deployShippedProcesses } from '../../server/complaints/shippedProcesses';
import { startSmtp, parseMime, partOfType, type SmtpStandIn } from '../unit/activities/notifySupport';
import type { Api } from '../support/auth';
import { apiClient } from '../support/auth';
import { waitUntil } from '../../server/infra/ports';
import { startStack, type Stack } from '../support/stack';
import { intake, statusIs, type ComplaintDetail } from './complaintSupport';
import { ENGINEERS, resolveAs, seedKettleEngineers } from './complaintCustomerSupport';

describe('notifying the customer of the resolution', () => {
  let stack: Stack;
  let smtp: SmtpStandIn;
  let engineers: Record<string, Api>;
  let customer: Api;
  const previous = { url: process.env.SMTP_URL, from: process.env.SMTP_FROM };

  beforeAll(async () => {
    smtp = await startSmtp({ refuseRecipient: (a) => (a.startsWith('refused@') ? { code: 550, message: 'No such mailbox' } : undefined) });
    // complaint.notify-customer reads SMTP_URL at each send, as notify.email does
    process.env.SMTP_URL = smtp.url;
    process.env.SMTP_FROM = 'Complaints <complaints@example.com>';
    stack = await startStack({ complaints: { publicBaseUrl: 'https://complaints.example.com' } });
    await deployShippedProcesses(stack.services.definitions);
    engineers = await seedKettleEngineers(stack);
    customer = stack.as({ roles: ['customer'], customerId: 'cust-notice' });
  });

  afterAll(async () => {
    await stack?.stop();
    await smtp?.close();
    for (const [name, value] of [['SMTP_URL', previous.url], ['SMTP_FROM', previous.from]] as const) {
      if (value === undefined) delete process.env[name];
      else process.env[name] = value;
    }
  });

  it('mails the customer the complaint number and a signed link that works for that complaint only', async () => {
    // given a complaint with an e-mail address, resolved by the recommended engineer
    const filed = await customer<ComplaintDetail & { contact: unknown; number: string | null }>('POST', '/api/complaints', intake('cust-notice', { contact: { email: 'anna@example.com', phone: '+86 21 5555 0100' } }));
    expect(filed.status).toBe(201);
    const id = filed.body.id;
    expect(filed.body.contact).toEqual({ email: 'anna@example.com', phone: '+86 21 5555 0100' });
    await resolveAs(stack, engineers[ENGINEERS[0]!]!, id);

    // when the process reaches the notification
    await statusIs(stack, id, 'awaiting_evaluation');
    await waitUntil('the notice', async () => smtp.received.some((m) => m.rcptTo.includes('anna@example.com')), 20_000, 100);

    // then one mail went to the customer, naming the complaint and linking to it
    const mails = smtp.received.filter((m) => m.rcptTo.includes('anna@example.com'));
    expect(mails).toHaveLength(1);
    const mail = parseMime(mails[0]!.raw);
    // (by the number the complaint got at intake, not its internal id)
    expect(filed.body.number).toMatch(/^C-\d{6,}$/);
    expect(mail.headers.subject).toBe(`Your complaint ${filed.body.number} has been resolved`);
    const text = partOfType(mail, 'text/plain')!.body;
    const link = /https:\/\/complaints\.example\.com\/#\/complaints\/(cmp-[0-9a-f-]+)\?token=(\S+)/.exec(text);
    expect(link?.[1]).toBe(id);
    // and no internal id but the complaint number: no instance, engineer or customer reference
    const detail = await stack.api<ComplaintDetail>('GET', `/api/complaints/${id}`);
    for (const internal of [detail.body.instanceId!, ...ENGINEERS, 'cust-notice']) {
      expect(mails[0]!.raw).not.toContain(internal);
      expect(text).not.toContain(internal);
    }
    // and the mail's link opens the complaint and takes the evaluation, and nothing else
    const token = decodeURIComponent(link![2]!);
    const viaLink = apiClient(stack.url);
    expect((await viaLink('GET', `/api/complaints/${id}?token=${encodeURIComponent(token)}`)).status).toBe(200);
    expect((await apiClient(stack.url, token)('GET', '/api/complaints')).status).toBe(403);
    expect((await apiClient(stack.url, token)('POST', `/api/complaints/${id}/evaluation`, { stars: 5 })).status).toBe(201);
    await statusIs(stack, id, 'closed');
    const timeline = (await stack.api<ComplaintDetail>('GET', `/api/complaints/${id}`)).body.timeline.map((e) => e.what);
    expect(timeline).not.toContain('customer not reachable: the resolution notice could not be sent');
  });

  it('records "customer not reachable" when the mail is refused, and still waits for the evaluation', async () => {
    // given a complaint whose address the SMTP server refuses (permanently, 550)
    const filed = await customer<ComplaintDetail>('POST', '/api/complaints', intake('cust-notice', { contact: { email: 'refused@example.com' } }));
    const id = filed.body.id;
    await resolveAs(stack, engineers[ENGINEERS[0]!]!, id);

    // when the notice fails, then the timeline says so and the customer can still evaluate (no incident)
    await statusIs(stack, id, 'awaiting_evaluation');
    await waitUntil('not reachable recorded', async () => {
      const c = await stack.api<ComplaintDetail>('GET', `/api/complaints/${id}`);
      return c.body.timeline.some((e) => e.what === 'customer not reachable: the resolution notice could not be sent');
    }, 20_000, 100);
    expect(smtp.received.filter((m) => m.rcptTo.includes('refused@example.com'))).toHaveLength(0);
    expect((await customer('POST', `/api/complaints/${id}/evaluation`, { stars: 4 })).status).toBe(201);
    await statusIs(stack, id, 'closed');
  });

  it('sends nothing to a customer who left no e-mail address (notifyChannel none)', async () => {
    // given a complaint with a phone number only
    const filed = await customer<ComplaintDetail>('POST', '/api/complaints', intake('cust-notice', { contact: { phone: '+86 21 5555 0199' } }));
    const id = filed.body.id;
    const before = smtp.received.length;
    await resolveAs(stack, engineers[ENGINEERS[0]!]!, id);
    // when it is resolved, then it waits for the evaluation without a mail and without "not reachable"
    const waiting = await statusIs(stack, id, 'awaiting_evaluation');
    expect(waiting.timeline.map((e) => e.what)).not.toContain('customer not reachable: the resolution notice could not be sent');
    expect((await customer('POST', `/api/complaints/${id}/evaluation`, { stars: 5 })).status).toBe(201);
    await statusIs(stack, id, 'closed');
    expect(smtp.received.length).toBe(before);
  });

  it('refuses a bad contact at intake with the field path', async () => {
    const res = await customer<{ fields: Array<{ path: string }> }>('POST', '/api/complaints', intake('cust-notice', { contact: { email: 'not-an-address' } }));
    expect(res.status).toBe(400);
    expect(res.body.fields.map((f) => f.path)).toEqual(['contact.email']);
  });
});
