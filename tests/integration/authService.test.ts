import type { Connection } from 'mongoose';
import { connectMongo } from '../../server/db/mongo';
import { DomainError } from '../../server/domain/errors';
import { createAuthService, type AuthService } from '../../server/auth/service';
import { testEnv, uniqueName } from '../support/servers';

const CHEAP = { N: 2 ** 10, r: 8, p: 1 };

describe('auth service (users and sessions in FerretDB)', () => {
  let mongo: Connection;
  let clock: Date;
  let auth: AuthService;

  beforeAll(async () => {
    mongo = await connectMongo(testEnv.mongoUri, uniqueName('auth').replace(/-/g, '_'));
    clock = new Date('2030-01-01T00:00:00Z');
    auth = createAuthService({ mongo, tokenTtlHours: 2, hashParams: CHEAP, now: () => clock });
    await auth.models.users.init();
    await auth.createUser({ email: 'Agent.Smith@Example.com', name: 'Agent Smith', password: 'agent-password-1', roles: ['agent'], groups: ['after-sales'] });
  });

  afterAll(async () => {
    await mongo?.db?.dropDatabase();
    await mongo?.close();
  });

  const refusal = (promise: Promise<unknown>) => promise.then(() => undefined, (err: unknown) => err);

  it('logs in with the e-mail in any case and resolves the token to the user until it expires', async () => {
    // given
    const { token, expiresAt, user } = await auth.login('agent.smith@example.COM', 'agent-password-1');
    // then
    expect(token).toMatch(/^[A-Za-z0-9_-]{43}$/);
    expect(expiresAt.toISOString()).toBe('2030-01-01T02:00:00.000Z');
    expect(user).toMatchObject({ email: 'agent.smith@example.com', roles: ['agent'], groups: ['after-sales'] });
    expect(await auth.authenticate(token)).toEqual(user);
    // the database holds only the token's hash
    expect(await auth.models.sessions.countDocuments({ _id: token })).toBe(0);
    // when the clock passes the expiry
    clock = new Date('2030-01-01T02:00:00Z');
    // then
    expect(await auth.authenticate(token)).toBeUndefined();
  });

  it('answers the same 401 for an unknown address and a wrong password', async () => {
    // when
    const unknown = await refusal(auth.login('nobody@example.com', 'agent-password-1'));
    const wrong = await refusal(auth.login('agent.smith@example.com', 'agent-password-2'));
    // then
    expect(unknown).toBeInstanceOf(DomainError);
    expect(wrong).toEqual(unknown);
    expect(wrong).toMatchObject({ kind: 'unauthenticated', code: 'invalid_credentials' });
  });

  it('purges expired sessions at login', async () => {
    // given a session that has expired
    const old = await auth.login('agent.smith@example.com', 'agent-password-1');
    clock = new Date(clock.getTime() + 3 * 3600_000);
    const before = await auth.models.sessions.countDocuments({});
    // when
    await auth.login('agent.smith@example.com', 'agent-password-1');
    // then only the new session remains
    expect(before).toBeGreaterThanOrEqual(1);
    expect(await auth.models.sessions.countDocuments({})).toBe(1);
    expect(await auth.authenticate(old.token)).toBeUndefined();
  });

  it('ends a session at logout and refuses malformed tokens', async () => {
    // given
    const { token } = await auth.login('agent.smith@example.com', 'agent-password-1');
    // when
    await auth.logout(token);
    // then
    expect(await auth.authenticate(token)).toBeUndefined();
    expect(await auth.authenticate('not a token')).toBeUndefined();
    expect(await auth.authenticate('')).toBeUndefined();
  });

  it('ends a session at logout also after it was resolved (and kept in memory) before', async () => {
    // given a session resolved once, so this process holds it
    const { token, user } = await auth.login('agent.smith@example.com', 'agent-password-1');
    expect(await auth.authenticate(token)).toEqual(user);
    // when it logs out through this process
    await auth.logout(token);
    // then the very next request is refused
    expect(await auth.authenticate(token)).toBeUndefined();
  });

  it('keeps a resolved session in memory: a second resolution does not read the database', async () => {
    // given a service that keeps sessions for an hour, and a session it resolved once
    const keeping = createAuthService({ mongo, tokenTtlHours: 2, hashParams: CHEAP, now: () => clock, sessionCacheMs: 3600_000 });
    const { token, user } = await keeping.login('agent.smith@example.com', 'agent-password-1');
    expect(await keeping.authenticate(token)).toEqual(user);
    // when its session document disappears behind its back (as at a logout through another process)
    await keeping.models.sessions.deleteMany({});
    // then it still answers from memory, and a service without the session in memory refuses it
    expect(await keeping.authenticate(token)).toEqual(user);
    expect(await createAuthService({ mongo, hashParams: CHEAP, now: () => clock }).authenticate(token)).toBeUndefined();
    // and the expiry still applies to what is in memory
    clock = new Date(clock.getTime() + 2 * 3600_000);
    expect(await keeping.authenticate(token)).toBeUndefined();
  });

  it('refuses a second user with the same e-mail address', async () => {
    // when
    const err = await refusal(auth.createUser({ email: 'AGENT.SMITH@example.com', name: 'Twin', password: 'another-password', roles: ['agent'] }));
    // then
    expect(err).toMatchObject({ kind: 'conflict', code: 'email_taken' });
    expect(await auth.models.users.countDocuments({})).toBe(1);
  });

  it('creates the admin once', async () => {
    // when
    const first = await auth.ensureAdmin('root@example.com', 'root-password-1');
    const second = await auth.ensureAdmin('other@example.com', 'other-password-1');
    // then
    expect([first, second]).toEqual([true, false]);
    expect(await auth.models.users.countDocuments({ roles: 'admin' })).toBe(1);
    expect((await auth.login('root@example.com', 'root-password-1')).user.roles).toEqual(['admin']);
  });
});
