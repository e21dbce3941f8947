/**
 * Signed customer links: a bearer token that grants one complaint's customer view and
 * nothing else (decision 0007). `cl1.<payload>.<mac>`, where payload is base64url of
 * `<complaintId>.<expiry in unix seconds>` and mac is HMAC-SHA256 over `cl1.<payload>` with the
 * link key. No state on the server: a link is valid until it expires (or the key changes).
 * Tokens and the key are never logged.
 */
import { createHmac, randomBytes, timingSafeEqual } from 'node:crypto';
import { chmod, mkdir, readFile, writeFile } from 'node:fs/promises';
import path from 'node:path';

const PREFIX = 'cl1.';
export const MIN_LINK_KEY_BYTES = 32;

export type LinkVerdict =
  | { ok: true; complaintId: string; expiresAt: Date }
  | { ok: false; code: 'link_invalid' | 'link_expired' };

export interface CustomerLinks {
  /** A token for the complaint's customer, valid for `ttlMs` (default: the configured lifetime). */
  sign(complaintId: string, ttlMs?: number): { token: string; expiresAt: Date };
  verify(token: string): LinkVerdict;
  /** The customer's page for the complaint with this token in `?token=`. */
  url(complaintId: string, token: string): string;
  /** The customer's page for the complaint, with a fresh token. */
  urlFor(complaintId: string): string;
}

/** Tokens of this kind (and only these) are checked as links; session tokens look different. */
export const isLinkToken = (token: string) => token.startsWith(PREFIX);

const b64 = (b: Buffer | string) => Buffer.from(b).toString('base64url');

export function customerLinks(options: { key: Buffer; ttlMs: number; baseUrl: string; now?: () => Date }): CustomerLinks {
  const { key, ttlMs } = options;
  if (key.length < MIN_LINK_KEY_BYTES) throw new Error(`the customer link key needs at least ${MIN_LINK_KEY_BYTES} bytes`);
  const now = options.now ?? (() => new Date());
  const mac = (signed: string) => createHmac('sha256', key).update(signed).digest();
  const base = options.baseUrl.replace(/\/+$/, '');

  function sign(complaintId: string, ttl = ttlMs) {
    const expiresAt = new Date(Math.floor((now().getTime() + ttl) / 1000) * 1000);
    const signed = `${PREFIX}${b64(`${complaintId}.${expiresAt.getTime() / 1000}`)}`;
    return { token: `${signed}.${b64(mac(signed))}`, expiresAt };
  }

  function verify(token: string): LinkVerdict {
    const invalid = { ok: false, code: 'link_invalid' } as const;
    const dot = token.lastIndexOf('.');
    if (!isLinkToken(token) || dot <= PREFIX.length) return invalid;
    const signed = token.slice(0, dot);
    const given = Buffer.from(token.slice(dot + 1), 'base64url');
    const expected = mac(signed);
    if (given.length !== expected.length || !timingSafeEqual(given, expected)) return invalid;
    const match = /^(.+)\.(\d{1,12})$/.exec(Buffer.from(signed.slice(PREFIX.length), 'base64url').toString('utf8'));
    if (!match) return invalid;
    const expiresAt = new Date(Number(match[2]) * 1000);
    if (expiresAt.getTime() <= now().getTime()) return { ok: false, code: 'link_expired' };
    return { ok: true, complaintId: match[1]!, expiresAt };
  }

  const url = (complaintId: string, token: string) => `${base}/#/complaints/${encodeURIComponent(complaintId)}?token=${encodeURIComponent(token)}`;
  return { sign, verify, url, urlFor: (complaintId) => url(complaintId, sign(complaintId).token) };
}

/**
 * The link key: CUSTOMER_LINK_KEY when set (at least 64 hex digits, or any text of at least 32 characters), else the
 * key in DATA_DIR/customer-link.key, generated (32 random bytes, file mode 0600) on first use.
 * Several API processes must share one key: set CUSTOMER_LINK_KEY for them.
 */
export async function loadLinkKey(configured: string | undefined, dataDir: string): Promise<Buffer> {
  if (configured) return /^[0-9a-f]{64,}$/i.test(configured) && configured.length % 2 === 0 ? Buffer.from(configured, 'hex') : Buffer.from(configured, 'utf8');
  const file = path.join(dataDir, 'customer-link.key');
  await mkdir(dataDir, { recursive: true });
  try {
    await writeFile(file, randomBytes(32).toString('hex'), { flag: 'wx', mode: 0o600 });
  } catch (err) {
    if ((err as NodeJS.ErrnoException).code !== 'EEXIST') throw err;
  }
  await chmod(file, 0o600).catch(() => undefined);
  const key = Buffer.from((await readFile(file, 'utf8')).trim(), 'hex');
  if (key.length < MIN_LINK_KEY_BYTES) throw new Error(`${file} holds no usable key (${MIN_LINK_KEY_BYTES} bytes, hex): delete it to generate a new one`);
  return key;
}
