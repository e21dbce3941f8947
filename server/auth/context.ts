/**
 * The authenticated user of a request. `authenticate` (server/auth/middleware.ts) resolves the
 * bearer token once per request; the policy check in `addRoute` then admits or refuses it, and
 * handlers read the user with `currentUser(req)` to scope what they return.
 */
import type { Request } from 'express';
import { Unauthenticated } from '../domain/errors';
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
  /** Set only for a signed customer link: the one complaint it grants (server/auth/customerLink.ts). */
  linkComplaintId?: string;
}

/**
 * What the token said: no token, a token we do not accept (with the code to answer, for
 * links), a signed-in user, or a signed customer link to one complaint.
 */
export type Authentication =
  | { kind: 'none' }
  | { kind: 'invalid'; code?: 'link_invalid' | 'link_expired' }
  | { kind: 'user'; user: AuthUser }
  | { kind: 'link'; complaintId: string };

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
  if (auth.kind === 'link') return linkUser(auth.complaintId);
  if (auth.kind !== 'user') throw new Unauthenticated('unauthenticated', 'Sign in first: send Authorization: Bearer <token>');
  return auth.user;
}

/**
 * The stand-in user of a customer link: a customer with no customer reference (so customer
 * scoping alone would show nothing) and the one complaint it may see. The policy check has
 * already limited it to the link operations on that complaint.
 */
function linkUser(complaintId: string): AuthUser {
  return { id: `link:${complaintId}`, email: '', name: 'customer link', roles: ['customer'], departments: [], groups: [], staffId: null, customerId: null, linkComplaintId: complaintId };
}

export const hasRole = (user: AuthUser, ...roles: Role[]) => user.roles.some((r) => roles.includes(r));

/** The strings a task's `assignee` may hold for this user: their user id and their staff id. */
export const assigneeIdentities = (user: AuthUser): string[] => [user.id, ...(user.staffId ? [user.staffId] : [])];
