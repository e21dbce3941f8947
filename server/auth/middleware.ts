/**
 * Express middleware: `authenticate` reads the bearer token of every request once; `authorize`
 * enforces an operation's policy (401 without a valid token, 403 without a permitted role).
 */
import type { RequestHandler } from 'express';
import { Forbidden, NotFound, Unauthenticated } from '../domain/errors';
import { authenticationOf, setAuthentication } from './context';
import { isLinkToken, type CustomerLinks } from './customerLink';
import { CUSTOMER_LINK_OPERATIONS, policyFor, type Policy } from './policy';
import type { AuthService } from './service';

/** The token of `Authorization: Bearer <token>`; undefined when the header is absent. */
export function bearerToken(header: string | undefined): string | undefined {
  if (header === undefined) return undefined;
  const match = /^Bearer +(\S+) *$/i.exec(header);
  return match?.[1] ?? '';
}

/** `?token=` of a customer link (only links travel in URLs; a session token there is refused). */
function queryToken(query: unknown): string | undefined {
  const value = (query as Record<string, unknown> | undefined)?.token;
  return typeof value === 'string' ? value : value === undefined ? undefined : '';
}

/**
 * Without an auth service (an app without MongoDB) every session token is invalid: nothing but
 * 'public' is reachable. Customer links (`cl1.…`, as bearer token or `?token=`) are checked
 * with `links`; without it they are invalid too.
 */
export function authenticate(auth: AuthService | undefined, links?: CustomerLinks): RequestHandler {
  return (req, _res, next) => {
    const header = bearerToken(req.headers.authorization);
    const fromQuery = header === undefined ? queryToken(req.query) : undefined;
    const token = header ?? fromQuery;
    if (token === undefined) {
      setAuthentication(req, { kind: 'none' });
      next();
      return;
    }
    if (isLinkToken(token) || fromQuery !== undefined) {
      const verdict = links && isLinkToken(token) ? links.verify(token) : { ok: false as const, code: 'link_invalid' as const };
      setAuthentication(req, verdict.ok ? { kind: 'link', complaintId: verdict.complaintId } : { kind: 'invalid', code: verdict.code });
      next();
      return;
    }
    (auth ? auth.authenticate(token) : Promise.resolve(undefined)).then((user) => {
      setAuthentication(req, user ? { kind: 'user', user } : { kind: 'invalid' });
      next();
    }, next);
  };
}

const LINK_ERRORS = {
  link_invalid: 'The customer link is not valid (altered or not ours); ask for a new one',
  link_expired: 'The customer link has expired; ask for a new one',
} as const;

/**
 * The policy check of one operation. A customer link passes only on the operations of
 * CUSTOMER_LINK_OPERATIONS and only for its own complaint (the `id` path parameter): another
 * complaint answers 404, as another customer's complaint does.
 */
export function checkPolicy(policy: Policy, operationId?: string): RequestHandler {
  return (req, res, next) => {
    if (policy === 'public') {
      next();
      return;
    }
    const auth = authenticationOf(req);
    if (auth.kind !== 'user') res.set('WWW-Authenticate', 'Bearer');
    if (auth.kind === 'none') throw new Unauthenticated('unauthenticated', 'Sign in first: send Authorization: Bearer <token>');
    if (auth.kind === 'invalid' && auth.code) throw new Unauthenticated(auth.code, LINK_ERRORS[auth.code]);
    if (auth.kind === 'invalid') throw new Unauthenticated('invalid_token', 'The token is unknown or expired; sign in again');
    if (auth.kind === 'link') {
      if (!operationId || !CUSTOMER_LINK_OPERATIONS.has(operationId)) throw new Forbidden('forbidden', 'A customer link grants only its complaint\'s customer view');
      if (req.params.id !== auth.complaintId) throw new NotFound('complaint_not_found', `No complaint '${String(req.params.id)}'`);
      next();
      return;
    }
    if (policy !== 'authenticated' && !auth.user.roles.some((r) => policy.includes(r))) {
      throw new Forbidden('forbidden', 'Your roles do not allow this operation');
    }
    next();
  };
}

/** The policy check of an operation; throws now (at start-up) when the operation has none. */
export const authorize = (operationId: string): RequestHandler => checkPolicy(policyFor(operationId), operationId);
