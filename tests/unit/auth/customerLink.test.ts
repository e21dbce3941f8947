import { mkdtemp, readFile, rm, stat } from 'node:fs/promises';
import os from 'node:os';
import path from 'node:path';
import { customerLinks, isLinkToken, loadLinkKey } from '../../../server/auth/customerLink';

const key = Buffer.alloc(32, 7);
const at = (iso: string) => () => new Date(iso);

describe('signed customer links', () => {
  it('verifies its own token for the complaint it names until it expires', () => {
    // given a link signed at 10:00 for one hour
    const token = customerLinks({ key, ttlMs: 3_600_000, baseUrl: 'https://x.example/', now: at('2026-11-24T10:00:00Z') }).sign('cmp-1').token;
    expect(isLinkToken(token)).toBe(true);
    // then it is valid at 10:59 and expired at 11:00
    expect(customerLinks({ key, ttlMs: 1, baseUrl: 'https://x.example', now: at('2026-11-24T10:59:59Z') }).verify(token)).toEqual({ ok: true, complaintId: 'cmp-1', expiresAt: new Date('2026-11-24T11:00:00Z') });
    expect(customerLinks({ key, ttlMs: 1, baseUrl: 'https://x.example', now: at('2026-11-24T11:00:00Z') }).verify(token)).toEqual({ ok: false, code: 'link_expired' });
  });

  it('refuses altered tokens, tokens of another key and non-link tokens as link_invalid', () => {
    const links = customerLinks({ key, ttlMs: 3_600_000, baseUrl: 'https://x.example' });
    const token = links.sign('cmp-1').token;
    const [prefix, payload, mac] = token.split('.') as [string, string, string];
    const other = Buffer.from('cmp-2.9999999999').toString('base64url');
    for (const bad of [`${prefix}.${other}.${mac}`, `${prefix}.${payload}.${mac.slice(0, -1)}`, `${prefix}.${payload}`, 'cl1.', 'session-token',
      customerLinks({ key: Buffer.alloc(32, 8), ttlMs: 3_600_000, baseUrl: 'https://x.example' }).sign('cmp-1').token]) {
      expect(links.verify(bad)).toEqual({ ok: false, code: 'link_invalid' });
    }
  });

  it('builds the customer page URL with the token', () => {
    const links = customerLinks({ key, ttlMs: 3_600_000, baseUrl: 'https://x.example/app/' });
    expect(links.url('cmp-1', 'cl1.a.b')).toBe('https://x.example/app/#/complaints/cmp-1?token=cl1.a.b');
  });

  it('refuses a key shorter than 32 bytes', () => {
    expect(() => customerLinks({ key: Buffer.alloc(16), ttlMs: 1, baseUrl: 'https://x.example' })).toThrow(/32 bytes/);
  });
});

describe('the link key', () => {
  let dir: string;
  beforeEach(async () => {
    dir = await mkdtemp(path.join(os.tmpdir(), 'link-key-'));
  });
  afterEach(async () => {
    await rm(dir, { recursive: true, force: true });
  });

  it('is generated once in DATA_DIR (mode 0600) and the same at the next start', async () => {
    const first = await loadLinkKey(undefined, dir);
    const second = await loadLinkKey(undefined, dir);
    expect(first.length).toBe(32);
    expect(second.equals(first)).toBe(true);
    expect((await stat(path.join(dir, 'customer-link.key'))).mode & 0o777).toBe(0o600);
    expect((await readFile(path.join(dir, 'customer-link.key'), 'utf8')).trim()).toBe(first.toString('hex'));
  });

  it('comes from CUSTOMER_LINK_KEY when set: 64+ hex digits as bytes, other text as UTF-8', async () => {
    expect((await loadLinkKey('ab'.repeat(32), dir)).equals(Buffer.from('ab'.repeat(32), 'hex'))).toBe(true);
    expect((await loadLinkKey('a passphrase of at least thirty-two characters', dir)).toString('utf8')).toBe('a passphrase of at least thirty-two characters');
  });
});
