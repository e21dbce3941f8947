/**
 * Password hashing with scrypt (memory-hard). The stored form carries its parameters and salt,
 * `scrypt$<N>$<r>$<p>$<salt b64url>$<hash b64url>`, so parameters can be raised later while
 * old hashes still verify. Verification refuses parameters outside sane bounds: a tampered
 * hash must not make the server allocate gigabytes.
 *
 * scrypt runs on libuv's thread pool (4 threads by default), which also serves file reads
 * (the web app's files) and DNS: 40 parallel logins once held every thread and made `GET /`
 * wait seconds. At most PASSWORD_HASH_CONCURRENCY hashes (default 2) run at once per process;
 * the rest queue (p-limit), so the pool always has threads for other requests.
 */
import { randomBytes, scrypt as scryptCallback, timingSafeEqual, type ScryptOptions } from 'node:crypto';
import pLimit from 'p-limit';

export interface ScryptParams {
  N: number;
  r: number;
  p: number;
}

/** One of OWASP's recommended scrypt settings: 32 MiB of memory (128 × N × r), p = 3 passes. */
export const DEFAULT_PARAMS: ScryptParams = { N: 2 ** 15, r: 8, p: 3 };
const KEY_LENGTH = 32;
const SALT_LENGTH = 16;
const MAX_N = 2 ** 20;
const MAX_R = 16;
const MAX_P = 4;

// Node refuses scrypt when 128 × N × r exceeds maxmem (the p passes reuse the memory).
const memoryOf = ({ N, r }: ScryptParams) => 128 * N * r;

export const DEFAULT_HASH_CONCURRENCY = 2;
let limit = pLimit(DEFAULT_HASH_CONCURRENCY);
let running = 0;
let mostAtOnce = 0;

/** PASSWORD_HASH_CONCURRENCY: hashes computed at once in this process (set once at start-up). */
export function setHashConcurrency(n: number): void {
  if (!Number.isInteger(n) || n < 1) throw new RangeError('the hash concurrency must be a positive integer');
  limit = pLimit(n);
}

/** Hashes running and waiting now, and the most that ran at once since the last reset. */
export function hashingStats(reset = false): { running: number; waiting: number; mostAtOnce: number } {
  const stats = { running, waiting: limit.pendingCount, mostAtOnce };
  if (reset) mostAtOnce = running;
  return stats;
}

function scrypt(password: string, salt: Buffer, params: ScryptParams): Promise<Buffer> {
  const options: ScryptOptions = { N: params.N, r: params.r, p: params.p, maxmem: memoryOf(params) + 1024 * 1024 };
  return limit(() => {
    running += 1;
    mostAtOnce = Math.max(mostAtOnce, running);
    return new Promise<Buffer>((resolve, reject) => {
      scryptCallback(password.normalize('NFKC'), salt, KEY_LENGTH, options, (err, key) => (err ? reject(err) : resolve(key)));
    }).finally(() => {
      running -= 1;
    });
  });
}

export async function hashPassword(password: string, params: ScryptParams = DEFAULT_PARAMS): Promise<string> {
  const salt = randomBytes(SALT_LENGTH);
  const key = await scrypt(password, salt, params);
  return ['scrypt', params.N, params.r, params.p, salt.toString('base64url'), key.toString('base64url')].join('$');
}

function parse(stored: string): { params: ScryptParams; salt: Buffer; key: Buffer } | undefined {
  const parts = stored.split('$');
  if (parts.length !== 6 || parts[0] !== 'scrypt') return undefined;
  const [N, r, p] = parts.slice(1, 4).map((s) => (/^[0-9]{1,8}$/.test(s) ? Number(s) : NaN)) as [number, number, number];
  const powerOfTwo = Number.isInteger(N) && N > 1 && (N & (N - 1)) === 0;
  if (!powerOfTwo || N > MAX_N || !(r >= 1 && r <= MAX_R) || !(p >= 1 && p <= MAX_P)) return undefined;
  const salt = Buffer.from(parts[4] ?? '', 'base64url');
  const key = Buffer.from(parts[5] ?? '', 'base64url');
  if (salt.length < SALT_LENGTH || key.length !== KEY_LENGTH) return undefined;
  return { params: { N, r, p }, salt, key };
}

/** True when `password` matches; false for a wrong password and for a malformed or tampered hash. */
export async function verifyPassword(password: string, stored: string): Promise<boolean> {
  const parsed = parse(stored);
  if (!parsed) return false;
  const key = await scrypt(password, parsed.salt, parsed.params);
  return timingSafeEqual(key, parsed.key);
}
