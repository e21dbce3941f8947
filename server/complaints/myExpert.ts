/**
 * "My expert": a customer keeps the engineer who served their complaint as their favourite
 * (the directory's `favouriteStaffId`), whom the dispatch ranking then puts first when on duty
 * and skilled. Decision 0045.
 */
import { randomUUID } from 'node:crypto';
import type { DirectoryService } from '../domain/directory';
import { Conflict, DomainError, NotFound } from '../domain/errors';
import type { ComplaintRecord } from './model';
import type { ComplaintStore } from './store';

export type FavouriteStore = Pick<DirectoryService, 'getCustomer' | 'getStaff' | 'setFavourite'>;

export function createMyExpert(deps: { store: ComplaintStore; customers?: FavouriteStore }) {
  return {
    /** `who`: the staff member acting for the customer, null for the customer themselves. */
    async keep(id: string, who: string | null) {
      const c = await deps.store.get(id);
      if (!c) throw new NotFound('complaint_not_found', `No complaint '${id}'`);
      if (!c.engineer) throw new Conflict('no_engineer', `Nobody has served complaint '${id}' yet`);
      const customer = deps.customers ? await deps.customers.getCustomer(c.customerId) : undefined;
      if (!deps.customers || !customer) throw new Conflict('customer_not_in_directory', 'Only customers in the directory can keep an expert');
      try {
        await deps.customers.setFavourite(c.customerId, c.engineer);
      } catch (err) {
        if (err instanceof DomainError && err.code === 'staff_not_found') throw new Conflict('engineer_not_in_directory', 'The engineer of this complaint is not in the directory');
        throw err;
      }
      await deps.store.append(id, { id: `expert-${randomUUID()}`, who: who ?? `customer:${c.customerId}`, what: 'engineer kept as my expert' });
      return { id, staffId: c.engineer, myExpert: true };
    },

    /** The engineer's public profile id when the directory has them (an engineer named by user id has no profile): null otherwise. */
    async servedBy(engineer: string | null): Promise<string | null> {
      if (!engineer || !deps.customers) return null;
      return (await deps.customers.getStaff(engineer)) ? engineer : null;
    },

    /** True when the complaint's engineer is its customer's favourite. */
    async isMyExpert(c: Pick<ComplaintRecord, 'customerId' | 'engineer'>): Promise<boolean> {
      if (!c.engineer || !deps.customers) return false;
      return (await deps.customers.getCustomer(c.customerId))?.favouriteStaffId === c.engineer;
    },
  };
}

export type MyExpert = ReturnType<typeof createMyExpert>;
