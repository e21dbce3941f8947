/**
 * Express middleware: `authenticate` reads the bearer token of every request once; `authorize`
 * enforces an operation's policy (401 without a valid token, 403 without a permitted role).
 */
import type { RequestHandler } from 'express';
import { HttpError } from '../http/errors';
import { authenticationOf, setAuthentication } from './context';
import { policyFor, type Policy } from './policy';
import type { AuthService } from './service';

/** The token of `Authorization: Bearer <token>`; undefined when the header is absent. */
export function bearerToken(header: string | undefined): string | undefined {
  if (header === undefined) return undefined;
  const match = /^Bearer +(\S+) *$/i.exec(header);
  return match?.[1] ?? '';
}

/** Without an auth service (an app without MongoDB) every token is invalid: nothing but 'public' is reachable. */
export function authenticate(auth: AuthService | undefined): RequestHandler {
  return (req, _res, next) => {
    const token = bearerToken(req.headers.authorization);
    if (token === undefined) {
      setAuthentication(req, { kind: 'none' });
      next();
      return;
    }
    (auth ? auth.authenticate(token) : Promise.resolve(undefined)).then((user) => {
      setAuthentication(req, user ? { kind: 'user', user } : { kind: 'invalid' });
      next();
    }, next);
  };
}

export function checkPolicy(policy: Policy): RequestHandler {
  return (req, res, next) => {
    if (policy === 'public') {
      next();
      return;
    }
    const auth = authenticationOf(req);
    if (auth.kind !== 'user') res.set('WWW-Authenticate', 'Bearer');
    if (auth.kind === 'none') throw new HttpError(401, 'unauthenticated', 'Sign in first: send Authorization: Bearer <token>');
    if (auth.kind === 'invalid') throw new HttpError(401, 'invalid_token', 'The token is unknown or expired; sign in again');
    if (policy !== 'authenticated' && !auth.user.roles.some((r) => policy.includes(r))) {
      throw new HttpError(403, 'forbidden', 'Your roles do not allow this operation');
    }
    next();
  };
}

/** The policy check of an operation; throws now (at start-up) when the operation has none. */
export const authorize = (operationId: string): RequestHandler => checkPolicy(policyFor(operationId));
