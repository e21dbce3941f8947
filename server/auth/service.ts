/**
 * Accounts and sessions: login issues a random token (returned once), stored only as its
 * SHA-256 with an expiry; every request's token is looked up and its expiry checked.
 *
 * Both lookups are by `_id` (the token hash, the user id). What they resolve to is kept in
 * this process for SESSION_CACHE_MS (at most SESSION_CACHE_MAX sessions), so a client polling
 * its inbox does not cost two database reads per request. The session's expiry is still
 * checked on every request, and a logout through this process forgets the session at once;
 * a logout through ANOTHER process (or a session deleted in the database) takes effect here
 * within SESSION_CACHE_MS.
 */
import { createHash, randomBytes, randomUUID } from 'node:crypto';
import { trusted, type Connection } from 'mongoose';
import { Conflict, DomainError, Unauthenticated } from '../domain/errors';
import type { Logger } from '../log';
import type { AuthUser } from './context';
import { authModels, type UserRecord } from './model';
import { createAbuseGuard, type AbuseSettings } from './abuseGuard';
import { DEFAULT_PARAMS, hashPassword, verifyPassword, type ScryptParams } from './password';
import type { Role } from './roles';

export interface AuthServiceOptions {
  mongo: Connection;
  /** AUTH_TOKEN_TTL_HOURS (default 12). */
  tokenTtlHours?: number;
  /** scrypt cost; lower only in tests. */
  hashParams?: ScryptParams;
  log?: Logger;
  now?: () => Date;
  /** How long a resolved session is used from memory (default SESSION_CACHE_MS; 0 = always read). */
  sessionCacheMs?: number;
  /** Login lockout and unauthenticated rate limits (server/auth/abuseGuard.ts); default DEFAULT_ABUSE_SETTINGS. */
  abuse?: Partial<AbuseSettings>;
}

export interface NewUser {
  email: string;
  name: string;
  password: string;
  roles: Role[];
  departments?: string[];
  groups?: string[];
  staffId?: string | null;
  customerId?: string | null;
}

export interface LoginResult {
  token: string;
  expiresAt: Date;
  user: AuthUser;
}

/** 32 random bytes, base64url: 43 characters. Anything else is not one of our tokens. */
const TOKEN_PATTERN = /^[A-Za-z0-9_-]{43}$/;
const tokenHash = (token: string) => createHash('sha256').update(token, 'utf8').digest('hex');
export const normalizeEmail = (email: string) => email.trim().toLowerCase();

export const toAuthUser = (u: UserRecord): AuthUser => ({
  id: u._id,
  email: u.email,
  name: u.name,
  roles: u.roles,
  departments: u.departments ?? [],
  groups: u.groups ?? [],
  staffId: u.staffId ?? null,
  customerId: u.customerId ?? null,
});

const isDuplicateKey = (err: unknown) => (err as { code?: number }).code === 11000;

/** How long a resolved session is trusted without reading it again (see the file comment). */
export const SESSION_CACHE_MS = 5_000;
const SESSION_CACHE_MAX = 1_000;

interface CachedSession {
  user: AuthUser;
  expiresAt: number;
  /** performance.now() until which the entry is used: not the injectable clock, which tests hold still. */
  until: number;
}

export function createAuthService(options: AuthServiceOptions) {
  const models = authModels(options.mongo);
  const ttlMs = (options.tokenTtlHours ?? 12) * 3600_000;
  const params = options.hashParams ?? DEFAULT_PARAMS;
  const now = options.now ?? (() => new Date());
  // Unknown e-mail addresses are checked against this, so they cost as much as a wrong password.
  let decoy: Promise<string> | undefined;
  const decoyHash = () => (decoy ??= hashPassword(randomBytes(16).toString('hex'), params));
  const sessions = new Map<string, CachedSession>();
  const cacheMs = options.sessionCacheMs ?? SESSION_CACHE_MS;
  const guard = createAbuseGuard(options.mongo, options.abuse);

  function remember(id: string, entry: CachedSession) {
    sessions.delete(id);
    // Map order is insertion order: the first entry is the oldest.
    if (sessions.size >= SESSION_CACHE_MAX) sessions.delete(sessions.keys().next().value!);
    sessions.set(id, entry);
  }

  async function createUser(input: NewUser): Promise<AuthUser> {
    const record: UserRecord = {
      _id: randomUUID(),
      email: normalizeEmail(input.email),
      name: input.name,
      roles: [...new Set(input.roles)],
      passwordHash: await hashPassword(input.password, params),
      departments: input.departments ?? [],
      groups: input.groups ?? [],
      staffId: input.staffId ?? null,
      customerId: input.customerId ?? null,
      createdAt: now(),
    };
    try {
      // The unique e-mail index must exist before the first insert (mongoose builds it lazily).
      await models.users.init();
      await models.users.create(record);
    } catch (err) {
      if (isDuplicateKey(err)) throw new Conflict('email_taken', 'A user with this e-mail address exists', { fields: [{ path: 'email', message: 'already in use' }] });
      throw err;
    }
    return toAuthUser(record);
  }

  return {
    /** Lockouts and unauthenticated rate limits, shared with the app's middleware. */
    guard,
    models,
    createUser,

    /** Signs in; `address` is the client's (req.ip) for the lockout counters (abuseGuard.ts). */
    async login(email: string, password: string, address = 'unknown'): Promise<LoginResult> {
      const account = normalizeEmail(email);
      await guard.beforeLogin(account, address);
      const user = await models.users.findOne({ email: account }).lean();
      const ok = await verifyPassword(password, user?.passwordHash ?? (await decoyHash()));
      // One answer for an unknown address and a wrong password: logins do not reveal accounts.
      if (!user || !ok) {
        await guard.loginFailed(account, address);
        throw new Unauthenticated('invalid_credentials', 'E-mail address or password is wrong');
      }
      await guard.loginSucceeded(account, address);
      const at = now();
      await models.sessions.deleteMany({ expiresAt: trusted({ $lte: at }) });
      const token = randomBytes(32).toString('base64url');
      const expiresAt = new Date(at.getTime() + ttlMs);
      await models.sessions.create({ _id: tokenHash(token), userId: user._id, createdAt: at, expiresAt });
      return { token, expiresAt, user: toAuthUser(user) };
    },

    /** The user a token belongs to, or undefined for an unknown, expired or malformed token. */
    async authenticate(token: string): Promise<AuthUser | undefined> {
      if (!TOKEN_PATTERN.test(token)) return undefined;
      const id = tokenHash(token);
      const at = now().getTime();
      const cached = sessions.get(id);
      if (cached && cached.until > performance.now()) {
        if (cached.expiresAt > at) return cached.user;
        sessions.delete(id);
        return undefined;
      }
      const session = await models.sessions.findById(id).lean();
      if (!session || session.expiresAt.getTime() <= at) {
        sessions.delete(id);
        return undefined;
      }
      const record = await models.users.findById(session.userId).lean();
      if (!record) return undefined;
      const user = toAuthUser(record);
      remember(id, { user, expiresAt: session.expiresAt.getTime(), until: performance.now() + cacheMs });
      return user;
    },

    async logout(token: string): Promise<void> {
      if (!TOKEN_PATTERN.test(token)) return;
      const id = tokenHash(token);
      sessions.delete(id);
      await models.sessions.deleteOne({ _id: id });
      // A request resolving this token concurrently may have cached it again meanwhile.
      sessions.delete(id);
    },

    async listUsers(page: number, pageSize: number) {
      const [items, total] = await Promise.all([
        models.users.find({}).sort({ email: 1 }).skip((page - 1) * pageSize).limit(pageSize).lean(),
        models.users.countDocuments({}),
      ]);
      return { items: items.map(toAuthUser), total };
    },

    /**
     * Creates the admin account when no user holds the admin role (idempotent: a restart, or
     * an admin whose password was changed, leaves everything as it is). True when created.
     */
    async ensureAdmin(email: string, password: string): Promise<boolean> {
      if (await models.users.exists({ roles: 'admin' })) return false;
      try {
        await createUser({ email, name: 'Administrator', password, roles: ['admin'] });
      } catch (err) {
        if (err instanceof DomainError && err.code === 'email_taken') {
          // Another process created it meanwhile, or the address belongs to a non-admin user.
          if (!(await models.users.exists({ roles: 'admin' }))) options.log?.warn('ADMIN_EMAIL belongs to a user without the admin role; no admin account was created');
          return false;
        }
        throw err;
      }
      options.log?.info('created the admin account');
      return true;
    },
  };
}

export type AuthService = ReturnType<typeof createAuthService>;
