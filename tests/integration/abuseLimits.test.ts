/**
 * Issue 12, item 4: login lockout with backoff, and a rate limit on unauthenticated requests,
 * with the counters in the database (shared by every API process), over real HTTP on FerretDB.
 */
import { createAuthService } from '../../server/auth/service';
import { TEST_PASSWORD } from '../support/auth';
import { startStack, type Stack } from '../support/stack';

const UNAUTHENTICATED_PER_MINUTE = 40;

describe('abuse limits', () => {
  let stack: Stack;
  const login = (email: string, password: string) => fetch(`${stack.url}/api/auth/login`, {
    method: 'POST', headers: { 'content-type': 'application/json' }, body: JSON.stringify({ email, password }),
  });

  beforeAll(async () => {
    stack = await startStack({ worker: false, abuse: { unauthenticatedPerMinute: UNAUTHENTICATED_PER_MINUTE } });
  });

  afterAll(async () => {
    await stack?.stop();
  });

  it('locks an account out after 5 wrong passwords: then even the right one answers 429 with Retry-After', async () => {
    // given two accounts
    const victim = await stack.createUser({ roles: ['agent'] });
    const bystander = await stack.createUser({ roles: ['agent'] });
    // when five wrong passwords are tried, then the right one
    const wrong = [];
    for (let i = 0; i < 5; i++) wrong.push((await login(victim.email, `guess-${i}`)).status);
    const right = await login(victim.email, victim.password);
    const moreWrong = await login(victim.email, 'guess-6');
    // then the guesses were answered 401, the lockout 429 with a wait, and other accounts still sign in
    expect(wrong).toEqual([401, 401, 401, 401, 401]);
    expect(right.status).toBe(429);
    expect(await right.json()).toMatchObject({ error: 'too_many_requests' });
    expect(Number(right.headers.get('retry-after'))).toBeGreaterThan(0);
    expect(moreWrong.status).toBe(429);
    expect((await login(bystander.email, bystander.password)).status).toBe(200);
  });

  it('shares the counters between API processes through the database', async () => {
    // given a second auth service on the same database (another API process's)
    const user = await stack.createUser({ roles: ['agent'] });
    const other = createAuthService({ mongo: stack.mongo });
    // when this process sees five wrong passwords from an address
    for (let i = 0; i < 5; i++) await expect(stack.services.auth.login(user.email, `guess-${i}`, '198.51.100.7')).rejects.toMatchObject({ kind: 'unauthenticated' });
    // then the other refuses the right password from it, and accepts it from elsewhere
    await expect(other.login(user.email, TEST_PASSWORD, '198.51.100.7')).rejects.toMatchObject({ kind: 'too_many_requests' });
    await expect(other.login(user.email, TEST_PASSWORD, '198.51.100.8')).resolves.toMatchObject({ user: { email: user.email } });
  });

  it('backs off: each further lockout of the same account and address is longer', async () => {
    // given a service that locks out after 2 wrong passwords for 1 s at first
    const user = await stack.createUser({ roles: ['agent'] });
    const service = createAuthService({ mongo: stack.mongo, abuse: { loginMaxFailures: 2, loginLockoutSeconds: 1 } });
    const lockedOut = async () => {
      for (let i = 0; i < 2; i++) await expect(service.login(user.email, 'wrong', '203.0.113.9')).rejects.toMatchObject({ kind: 'unauthenticated' });
      return service.login(user.email, TEST_PASSWORD, '203.0.113.9').then(() => undefined, (err: { kind: string; details?: { retryAfterSeconds?: number } }) => err);
    };
    // when it is locked out, the lockout ends, and it is locked out again
    const first = await lockedOut();
    for (;;) {
      const ok = await service.guard.beforeLogin(user.email, '203.0.113.9').then(() => true, () => false);
      if (ok) break;
      await new Promise((resolve) => setTimeout(resolve, 200));
    }
    const second = await lockedOut();
    // then the second wait is longer than the first
    expect(first).toMatchObject({ kind: 'too_many_requests', details: { retryAfterSeconds: 1 } });
    expect(second?.kind).toBe('too_many_requests');
    expect(second?.details?.retryAfterSeconds).toBeGreaterThan(first!.details!.retryAfterSeconds!);
  });

  it('blocks an address that guesses over many accounts, not the accounts elsewhere', async () => {
    // given a service that blocks an address after 3 wrong passwords an hour over any accounts
    const users = await Promise.all([1, 2, 3, 4].map(() => stack.createUser({ roles: ['agent'] })));
    const service = createAuthService({ mongo: stack.mongo, abuse: { loginIpMaxFailures: 3 } });
    // when one address tries one wrong password on each of three accounts (no account reaches its own limit)
    for (const user of users.slice(0, 3)) await expect(service.login(user.email, 'wrong', '192.0.2.44')).rejects.toMatchObject({ kind: 'unauthenticated' });
    // then a fourth account's right password from that address is refused with a wait, and served from another address
    await expect(service.login(users[3]!.email, TEST_PASSWORD, '192.0.2.44')).rejects.toMatchObject({ kind: 'too_many_requests', details: { retryAfterSeconds: expect.any(Number) } });
    await expect(service.login(users[3]!.email, TEST_PASSWORD, '192.0.2.45')).resolves.toMatchObject({ user: { email: users[3]!.email } });
  });

  it('limits unauthenticated requests per address, not signed-in ones', async () => {
    // when an address sends more unauthenticated requests than the limit allows within a minute
    const statuses: number[] = [];
    let refused: Response | undefined;
    for (let i = 0; i <= UNAUTHENTICATED_PER_MINUTE && !refused; i++) {
      const res = await fetch(`${stack.url}/api/openapi.json`);
      statuses.push(res.status);
      if (res.status === 429) refused = res;
    }
    // then it is refused with a wait, while a signed-in caller from the same address is served
    expect(refused?.status).toBe(429);
    expect(Number(refused?.headers.get('retry-after'))).toBeGreaterThan(0);
    expect(statuses.filter((s) => s === 429)).toHaveLength(1);
    expect((await stack.api('GET', '/api/auth/me')).status).toBe(200);
    // and the health check and the web app's files are not counted (orchestrators, users behind one proxy)
    expect((await fetch(`${stack.url}/api/health`)).status).not.toBe(429);
    expect((await fetch(`${stack.url}/`)).status).not.toBe(429);
  });
});
