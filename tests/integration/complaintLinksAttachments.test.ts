/**
 * Signed customer links (POST /api/complaints/{id}/customer-link, Bearer or ?token=) and
 * attachment downloads, over HTTP on the real servers. No worker: nothing here needs the
 * process to move.
 */
import { deployShippedProcesses } from '../../server/complaints/shippedProcesses';
import { apiClient, TEST_PASSWORD, type Api } from '../support/auth';
import { startStack, type Stack } from '../support/stack';
import { intake, type ComplaintDetail } from './complaintSupport';

const PNG = Buffer.concat([Buffer.from([0x89, 0x50, 0x4e, 0x47, 0x0d, 0x0a, 0x1a, 0x0a]), Buffer.from('not really pixels')]);
interface Attachment { id: string; filename: string; contentType: string; geo: { lat: number; lon: number } | null; takenAt: string | null; href: string }
interface Link { token: string; url: string; expiresAt: string }

describe('customer links and attachment downloads', () => {
  let stack: Stack;
  let customer: Api;
  let mine: string;
  let other: string;
  /** Session tokens of a second login of the same customer, and of an agent. */
  let customerToken: string;
  let agentToken: string;

  beforeAll(async () => {
    stack = await startStack({ worker: false, complaints: { publicBaseUrl: 'https://complaints.example.com/' } });
    await deployShippedProcesses(stack.services.definitions);
    customer = stack.as({ roles: ['customer'], customerId: 'cust-links' });
    mine = (await customer<ComplaintDetail>('POST', '/api/complaints', intake('cust-links'))).body.id;
    other = (await stack.api<ComplaintDetail>('POST', '/api/complaints', intake('cust-other'))).body.id;
    customerToken = (await stack.login((await stack.createUser({ roles: ['customer'], customerId: 'cust-links' })).email, TEST_PASSWORD)).token;
    agentToken = (await stack.login((await stack.createUser({ roles: ['agent'] })).email, TEST_PASSWORD)).token;
  });

  afterAll(async () => {
    await stack?.stop();
  });

  const upload = (token: string | undefined, id: string, query: string, body: Buffer = PNG, type = 'image/png') =>
    fetch(`${stack.url}/api/complaints/${id}/attachments?${query}`, {
      method: 'POST', body: new Uint8Array(body), headers: { 'content-type': type, ...(token ? { authorization: `Bearer ${token}` } : {}) },
    });

  describe('POST /api/complaints/{id}/customer-link', () => {
    it('gives an agent a signed, expiring link to the customer page', async () => {
      const res = await stack.as('agent')<Link>('POST', `/api/complaints/${mine}/customer-link`, { ttlHours: 2 });
      expect(res.status).toBe(201);
      expect(res.body.token).toMatch(/^cl1\./);
      expect(res.body.url).toBe(`https://complaints.example.com/#/complaints/${mine}?token=${encodeURIComponent(res.body.token)}`);
      const hours = (Date.parse(res.body.expiresAt) - Date.now()) / 3_600_000;
      expect(hours).toBeGreaterThan(1.9);
      expect(hours).toBeLessThanOrEqual(2);
    });

    it('refuses bad input with the field path, unknown complaints with 404, and customers with 403', async () => {
      const bad = await stack.as('agent')<{ fields: Array<{ path: string }> }>('POST', `/api/complaints/${mine}/customer-link`, { ttlHours: -1 });
      expect(bad.status).toBe(400);
      expect(bad.body.fields.map((f) => f.path)).toEqual(['ttlHours']);
      expect((await stack.as('agent')('POST', '/api/complaints/cmp-00000000-0000-4000-8000-000000000000/customer-link', {})).status).toBe(404);
      expect((await customer('POST', `/api/complaints/${mine}/customer-link`, {})).status).toBe(403);
    });
  });

  describe('a customer link', () => {
    let token: string;
    beforeAll(async () => {
      token = (await stack.api<Link>('POST', `/api/complaints/${mine}/customer-link`, {})).body.token;
    });

    it('opens its complaint as bearer token and as ?token=', async () => {
      expect((await apiClient(stack.url, token)<ComplaintDetail>('GET', `/api/complaints/${mine}`)).body.id).toBe(mine);
      expect((await stack.anonymous('GET', `/api/complaints/${mine}?token=${encodeURIComponent(token)}`)).status).toBe(200);
    });

    it('opens no other complaint (404) and no other operation (403)', async () => {
      const link = apiClient(stack.url, token);
      expect((await link<{ error: string }>('GET', `/api/complaints/${other}`)).body.error).toBe('complaint_not_found');
      expect((await link('POST', `/api/complaints/${other}/evaluation`, { stars: 5 })).status).toBe(404);
      expect((await link('GET', '/api/complaints')).status).toBe(403);
      expect((await link('POST', `/api/complaints/${mine}/reopen`, { reason: 'x' })).status).toBe(403);
      expect((await link('POST', `/api/complaints/${mine}/customer-link`, {})).status).toBe(403);
      expect((await link('GET', '/api/auth/me')).status).toBe(403);
    });

    it('is refused with 401 link_invalid when altered and link_expired when expired', async () => {
      const altered = `${token.slice(0, -2)}${token.endsWith('AA') ? 'BB' : 'AA'}`;
      const tampered = await apiClient(stack.url, altered)<{ error: string }>('GET', `/api/complaints/${mine}`);
      expect(tampered).toMatchObject({ status: 401, body: { error: 'link_invalid' } });
      // a link signed for another complaint, with its complaint id swapped in, fails its signature
      const [prefix, , mac] = token.split('.');
      const forged = `${prefix}.${Buffer.from(`${other}.9999999999`).toString('base64url')}.${mac}`;
      expect((await apiClient(stack.url, forged)<{ error: string }>('GET', `/api/complaints/${other}`)).body.error).toBe('link_invalid');
      const expired = stack.services.complaints.links.sign(mine, -1000).token;
      expect(await apiClient(stack.url, expired)<{ error: string }>('GET', `/api/complaints/${mine}`)).toMatchObject({ status: 401, body: { error: 'link_expired' } });
      // a session token is not accepted in the URL
      expect(await stack.anonymous<{ error: string }>('GET', `/api/complaints/${mine}?token=${agentToken}`)).toMatchObject({ status: 401, body: { error: 'link_invalid' } });
    });
  });

  describe('attachments', () => {
    it('stores location and capture time, and streams the file back with its type, as a download, nosniff', async () => {
      // given a photo uploaded through the customer's link, with location and capture time
      const token = (await stack.api<Link>('POST', `/api/complaints/${mine}/customer-link`, {})).body.token;
      const res = await upload(token, mine, 'filename=kettle%20base.png&lat=31.2304&lon=121.4737&takenAt=2026-11-20T09:30:00%2B08:00');
      expect(res.status).toBe(201);
      const stored = (await res.json()) as Attachment;
      expect(stored).toMatchObject({ filename: 'kettle base.png', contentType: 'image/png', geo: { lat: 31.2304, lon: 121.4737 }, takenAt: '2026-11-20T01:30:00.000Z' });

      // when the complaint is read, then the attachment is listed with its metadata and download path
      const detail = await customer<ComplaintDetail & { attachments: Attachment[] }>('GET', `/api/complaints/${mine}`);
      const listed = detail.body.attachments.find((a) => a.id === stored.id)!;
      expect(listed).toMatchObject({ geo: { lat: 31.2304, lon: 121.4737 }, takenAt: '2026-11-20T01:30:00.000Z', href: `/api/complaints/${mine}/attachments/${stored.id}` });

      // and downloading it (the customer's login, the link, an agent) gives the bytes back
      for (const bearer of [customerToken, token, agentToken]) {
        const file = await fetch(`${stack.url}${listed.href}`, { headers: { authorization: `Bearer ${bearer}` } });
        expect(file.status).toBe(200);
        expect(file.headers.get('content-type')).toBe('image/png');
        expect(file.headers.get('content-disposition')).toBe('attachment; filename="kettle base.png"');
        expect(file.headers.get('x-content-type-options')).toBe('nosniff');
        expect(Buffer.from(await file.arrayBuffer()).equals(PNG)).toBe(true);
      }
    });

    it('answers 404 for unknown attachments and other customers, 400 for malformed ids', async () => {
      const res = await upload(undefined, mine, 'filename=a.png');
      expect(res.status).toBe(401);
      const { id } = (await (await upload(customerToken, mine, 'filename=a.png')).json()) as Attachment;
      const stranger = stack.as({ roles: ['customer'], customerId: 'cust-stranger' });
      expect((await stranger('GET', `/api/complaints/${mine}/attachments/${id}`)).status).toBe(404);
      const unknown = await customer<{ error: string }>('GET', `/api/complaints/${mine}/attachments/att-00000000-0000-4000-8000-000000000000`);
      expect(unknown).toMatchObject({ status: 404, body: { error: 'attachment_not_found' } });
      const malformed = await customer<{ fields: Array<{ path: string }> }>('GET', `/api/complaints/${mine}/attachments/..%2F..%2Fetc`);
      expect(malformed.status).toBe(400);
      expect(malformed.body.fields.map((f) => f.path)).toEqual(['attachmentId']);
    });
  });
});
