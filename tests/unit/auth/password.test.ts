import { DEFAULT_HASH_CONCURRENCY, hashingStats, hashPassword, setHashConcurrency, verifyPassword, type ScryptParams } from '../../../server/auth/password';

// Cheap parameters keep the suite fast; the format and the checks are the same.
const CHEAP: ScryptParams = { N: 2 ** 10, r: 8, p: 1 };

describe('password hashing', () => {
  it('verifies the right password and refuses a wrong one', async () => {
    // given
    const stored = await hashPassword('correct horse battery', CHEAP);
    // when / then
    expect(await verifyPassword('correct horse battery', stored)).toBe(true);
    expect(await verifyPassword('correct horse batterY', stored)).toBe(false);
    expect(await verifyPassword('', stored)).toBe(false);
  });

  it('stores the parameters and a salt, never the password', async () => {
    // given / when
    const stored = await hashPassword('correct horse battery', CHEAP);
    // then
    expect(stored).toMatch(/^scrypt\$1024\$8\$1\$[A-Za-z0-9_-]{22}\$[A-Za-z0-9_-]{43}$/);
    expect(stored).not.toContain('horse');
  });

  it('uses the default (memory-hard) parameters when none are given', async () => {
    // given / when
    const stored = await hashPassword('correct horse battery');
    // then
    expect(stored.split('$').slice(1, 4)).toEqual(['32768', '8', '3']);
    expect(await verifyPassword('correct horse battery', stored)).toBe(true);
  });

  it('salts every hash differently', async () => {
    // given / when
    const [a, b] = await Promise.all([hashPassword('same password', CHEAP), hashPassword('same password', CHEAP)]);
    // then
    expect(a).not.toBe(b);
    expect(a.split('$')[4]).not.toBe(b.split('$')[4]);
    expect(await verifyPassword('same password', a)).toBe(true);
    expect(await verifyPassword('same password', b)).toBe(true);
  });

  it('refuses a tampered hash', async () => {
    // given
    const stored = await hashPassword('correct horse battery', CHEAP);
    const parts = stored.split('$');
    const key = Buffer.from(parts[5]!, 'base64url');
    key[0] = key[0]! ^ 1;
    const flipped = [...parts.slice(0, 5), key.toString('base64url')].join('$');
    const otherSalt = [...parts.slice(0, 4), Buffer.alloc(16, 7).toString('base64url'), parts[5]].join('$');
    const otherCost = ['scrypt', 2048, ...parts.slice(2)].join('$');
    // when / then
    for (const tampered of [flipped, otherSalt, otherCost]) {
      expect(await verifyPassword('correct horse battery', tampered)).toBe(false);
    }
  });

  it('refuses malformed hashes and parameters that would exhaust memory, without computing them', async () => {
    // given
    const salt = Buffer.alloc(16, 1).toString('base64url');
    const key = Buffer.alloc(32, 2).toString('base64url');
    const malformed = [
      '',
      'plaintext',
      `bcrypt$1024$8$1$${salt}$${key}`,
      `scrypt$1000$8$1$${salt}$${key}`, // N not a power of two
      `scrypt$${2 ** 24}$8$1$${salt}$${key}`, // 16 GiB
      `scrypt$1024$64$1$${salt}$${key}`,
      `scrypt$1024$8$1$${salt}$${key.slice(0, 20)}`,
      `scrypt$1024$8$1$$${key}`,
    ];
    // when / then
    for (const stored of malformed) {
      expect(await verifyPassword('anything', stored)).toBe(false);
    }
  });
});

describe('password hashing concurrency', () => {
  afterEach(() => setHashConcurrency(DEFAULT_HASH_CONCURRENCY));

  it.each([2, 3])('runs at most %i hashes at once and queues the rest, each still correct', async (limit) => {
    // given
    setHashConcurrency(limit);
    const stored = await hashPassword('correct horse battery', CHEAP);
    hashingStats(true);
    // when twelve sign-ins check their passwords at the same moment
    const checks = Array.from({ length: 12 }, (_, i) => verifyPassword(i % 2 === 0 ? 'correct horse battery' : 'wrong', stored));
    const results = await Promise.all(checks);
    // then no more than the limit ran together (the others waited), and every answer is right
    expect(hashingStats().mostAtOnce).toBe(limit);
    expect(results).toEqual(Array.from({ length: 12 }, (_, i) => i % 2 === 0));
  });
});
