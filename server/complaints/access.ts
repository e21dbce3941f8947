/** Who sees which complaint: customers only their own (signed in, or through a signed link). */
import type { Request } from 'express';
import { currentUser, type AuthUser } from '../auth/context';
import { NotFound } from '../domain/errors';
import type { ComplaintsService } from './service';

/** A customer (and nobody else) is limited to their own complaints; null = no limit. */
export function customerScope(user: AuthUser): string | null {
  if (!user.roles.includes('customer') || user.roles.some((r) => r !== 'customer')) return null;
  // A customer account without a customer reference sees nothing rather than everything.
  // (No NUL in it: PostgreSQL's jsonb cannot hold one, and a filter with it fails.)
  return user.customerId ?? '\u001fnone';
}

/** A customer, signed in or through a link: sees the customer view of a complaint only. */
export const isCustomer = (user: AuthUser) => user.linkComplaintId !== undefined || customerScope(user) !== null;

/**
 * The check every complaint route runs first: 404, not 403, for someone else's complaint (ids
 * do not leak whether they exist).
 */
export function ownComplaint(complaints: Pick<ComplaintsService, 'load'>) {
  return async (req: Request, id: string): Promise<void> => {
    const user = currentUser(req);
    // A customer link: its one complaint (checkPolicy has compared the ids already; kept here as a second lock).
    if (user.linkComplaintId !== undefined) {
      if (user.linkComplaintId !== id) throw new NotFound('complaint_not_found', `No complaint '${id}'`);
      return;
    }
    const scope = customerScope(user);
    if (scope !== null && (await complaints.load(id)).customerId !== scope) throw new NotFound('complaint_not_found', `No complaint '${id}'`);
  };
}

export type OwnComplaint = ReturnType<typeof ownComplaint>;
