/**
 * The authenticated user of a request. `authenticate` (server/auth/middleware.ts) resolves the
 * bearer token once per request; the policy check in `addRoute` then admits or refuses it, and
 * handlers read the user with `currentUser(req)` to scope what they return.
 */
import type { Request } from 'express';
import { HttpError } from '../http/errors';
import type { Role } from './roles';

export interface AuthUser {
  id: string;
  email: string;
  name: string;
  roles: Role[];
  departments: string[];
  groups: string[];
  staffId: string | null;
  customerId: string | null;
}

/** What the token header said: no token, a token we do not accept, or a user. */
export type Authentication = { kind: 'none' } | { kind: 'invalid' } | { kind: 'user'; user: AuthUser };

const AUTH = Symbol('authentication');
type WithAuth = Request & { [AUTH]?: Authentication };

export function setAuthentication(req: Request, authentication: Authentication): void {
  (req as WithAuth)[AUTH] = authentication;
}

export function authenticationOf(req: Request): Authentication {
  return (req as WithAuth)[AUTH] ?? { kind: 'none' };
}

/**
 * The user of a request that passed its policy check. Throws 401 when there is none, which can
 * only happen on a 'public' operation: such handlers must not call it.
 */
export function currentUser(req: Request): AuthUser {
  const auth = authenticationOf(req);
  if (auth.kind !== 'user') throw new HttpError(401, 'unauthenticated', 'Sign in first: send Authorization: Bearer <token>');
  return auth.user;
}

export const hasRole = (user: AuthUser, ...roles: Role[]) => user.roles.some((r) => roles.includes(r));

/** The strings a task's `assignee` may hold for this user: their user id and their staff id. */
export const assigneeIdentities = (user: AuthUser): string[] => [user.id, ...(user.staffId ? [user.staffId] : [])];
