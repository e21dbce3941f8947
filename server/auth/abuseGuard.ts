/**
 * Brute force and flooding protection with rate-limiter-flexible, its counters in the
 * database (collection `rate_limits`), so every API process sees the same counts:
 *
 * - login, per account and client address: LOGIN_MAX_FAILURES wrong passwords within 15
 *   minutes lock that pair out for LOGIN_LOCKOUT_SECONDS, doubling with each further lockout
 *   within a day (backoff, at most a day); while locked even the right password answers 429;
 * - login, per client address: LOGIN_IP_MAX_FAILURES wrong passwords an hour (any accounts)
 *   block the address for an hour;
 * - every unauthenticated API request (no token or an invalid one: login, the OpenAPI
 *   document, guessed tokens), per client address: UNAUTHENTICATED_RATE_LIMIT a minute. The
 *   web app's files, /api/health and /metrics are not counted.
 *
 * Keys are sha256 hashes: no e-mail address or client address is stored in the clear.
 * Refusals are `429 too_many_requests` with Retry-After (seconds). docs/security.md.
 */
import { createHash } from 'node:crypto';
import type { RequestHandler } from 'express';
import type { Connection } from 'mongoose';
import { RateLimiterMongo, RateLimiterRes } from 'rate-limiter-flexible';
import { authenticationOf } from './context';
import { TooManyRequests } from '../domain/errors';

export interface AbuseSettings {
  /** LOGIN_MAX_FAILURES: wrong passwords per account and address before a lockout (15-minute window). */
  loginMaxFailures: number;
  /** LOGIN_LOCKOUT_SECONDS: the first lockout; each further one within a day doubles it (at most a day). */
  loginLockoutSeconds: number;
  /** LOGIN_IP_MAX_FAILURES: wrong passwords per address an hour, whatever the account. */
  loginIpMaxFailures: number;
  /** UNAUTHENTICATED_RATE_LIMIT: unauthenticated requests per address a minute. */
  unauthenticatedPerMinute: number;
}

export const DEFAULT_ABUSE_SETTINGS: AbuseSettings = {
  loginMaxFailures: 5,
  loginLockoutSeconds: 60,
  loginIpMaxFailures: 100,
  unauthenticatedPerMinute: 600,
};

export const RATE_LIMIT_COLLECTION = 'rate_limits';
const DAY_SECONDS = 86_400;
const hash = (...parts: string[]) => createHash('sha256').update(parts.join('\u0000')).digest('base64url');

const retryAfter = (ms: number) => Math.max(1, Math.ceil(ms / 1000));

export function createAbuseGuard(mongo: Connection, settings: Partial<AbuseSettings> = {}) {
  const s = { ...DEFAULT_ABUSE_SETTINGS, ...settings };
  const base = { storeClient: mongo.getClient(), dbName: mongo.name, tableName: RATE_LIMIT_COLLECTION, disableIndexesCreation: true };
  const failsByAccount = new RateLimiterMongo({ ...base, keyPrefix: 'login_fail', points: s.loginMaxFailures, duration: 15 * 60 });
  const lockouts = new RateLimiterMongo({ ...base, keyPrefix: 'login_lockouts', points: 10_000, duration: DAY_SECONDS });
  const failsByAddress = new RateLimiterMongo({ ...base, keyPrefix: 'login_fail_ip', points: s.loginIpMaxFailures, duration: 3600, blockDuration: 3600 });
  const unauthenticated = new RateLimiterMongo({ ...base, keyPrefix: 'unauth_ip', points: s.unauthenticatedPerMinute, duration: 60 });

  let indexes: Promise<void> | undefined;
  /** The key index (unique, as the library needs); expired counters are replaced in place. */
  const ensureIndexes = () => (indexes ??= mongo.collection(RATE_LIMIT_COLLECTION)
    .createIndex({ key: 1 }, { unique: true, name: 'key_unique' })
    .then(() => undefined, (err: unknown) => {
      indexes = undefined;
      throw err;
    }));

  const blocked = (res: RateLimiterRes | null, points: number) => (res !== null && res.consumedPoints > points ? res.msBeforeNext : 0);

  return {
    settings: s,

    /** Refuses (429) a login the account/address pair or the address is locked out of. */
    async beforeLogin(email: string, address: string): Promise<void> {
      await ensureIndexes();
      const [account, ip] = await Promise.all([failsByAccount.get(hash(email, address)), failsByAddress.get(hash(address))]);
      const wait = Math.max(blocked(account, s.loginMaxFailures), blocked(ip, s.loginIpMaxFailures));
      if (wait > 0) throw new TooManyRequests('too_many_requests', 'Too many failed sign-ins: try again later', retryAfter(wait));
    },

    /** Counts a wrong password; the last one allowed locks the pair out, longer each time. */
    async loginFailed(email: string, address: string): Promise<void> {
      await ensureIndexes();
      const key = hash(email, address);
      // The last failure the address is allowed blocks it for the hour, as the last one an
      // account is allowed locks the pair out (the limiter alone would block one failure later).
      const byAddress = await failsByAddress.consume(hash(address)).catch((err: unknown) => {
        if (err instanceof RateLimiterRes) return err;
        throw err;
      });
      if (byAddress.remainingPoints === 0 && byAddress.consumedPoints === s.loginIpMaxFailures) await failsByAddress.block(hash(address), 3600);
      const res = await failsByAccount.consume(key).catch((err: unknown) => {
        if (err instanceof RateLimiterRes) return err;
        throw err;
      });
      if (res.remainingPoints > 0) return;
      const count = (await lockouts.consume(key)).consumedPoints;
      const seconds = Math.min(DAY_SECONDS, s.loginLockoutSeconds * 2 ** Math.min(count - 1, 20));
      await failsByAccount.block(key, seconds);
    },

    /** A successful sign-in clears the pair's failures (not its lockout history). */
    async loginSucceeded(email: string, address: string): Promise<void> {
      await failsByAccount.delete(hash(email, address));
    },

    /** Middleware after `authenticate`: limits requests without a valid token, per address. */
    unauthenticatedLimit(): RequestHandler {
      return (req, res, next) => {
        const kind = authenticationOf(req).kind;
        // Not counted: the web app's files (behind a proxy every user shares one address), the
        // health check (orchestrators poll it, and it must answer while the database is away)
        // and /metrics (its own token). Every other /api route is.
        if (kind === 'user' || kind === 'link' || !req.path.startsWith('/api/') || req.path === '/api/health') {
          next();
          return;
        }
        ensureIndexes()
          .then(() => unauthenticated.consume(hash(req.ip ?? 'unknown')))
          .then(() => next(), (err: unknown) => {
            if (!(err instanceof RateLimiterRes)) {
              next(err);
              return;
            }
            const seconds = retryAfter(err.msBeforeNext);
            res.set('Retry-After', String(seconds)).status(429)
              .json({ error: 'too_many_requests', message: 'Too many requests without sign-in from this address: try again later', retryAfterSeconds: seconds });
          });
      };
    },
  };
}

export type AbuseGuard = ReturnType<typeof createAbuseGuard>;
