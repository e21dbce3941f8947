/**
 * The directory as a service: what the API, the `dispatch.recommend` integration and the
 * complaint lifecycle read and update. FerretDB has no transactions, and on SQLite not even a
 * single `$inc` is atomic under concurrency (see ./lock.ts), so the counters (load,
 * satisfaction) are read and written under a short per-staff lock.
 */
import type mongoose from 'mongoose';
import type { Connection } from 'mongoose';
import { NotFound } from '../errors';
import { rankStaff, type CandidateOutlet, type CandidateStaff, type ComplaintCriteria, type Recommendation } from '../dispatch/rank';
import { documentLock } from '../../db/documentLock';
import { directoryModels, type CustomerRecord, type DepartmentRecord, type OutletRecord, type Satisfaction, type StaffRecord } from './models';
import { engineerProfile, outletRating, reviewModel, type EngineerProfile, type ReviewInput } from './reviews';

export * from './models';
export type { EngineerProfile, ReviewInput } from './reviews';

/** Enough for a city's on-duty staff; distances are computed in code, so the list must stay bounded. */
export const MAX_CANDIDATES = 2000;
const MAX_OUTLETS = 1000;

export class StaffNotFound extends NotFound {
  constructor(readonly staffId: string) {
    super('staff_not_found', `No staff member with id '${staffId}'`);
  }
}

export class CustomerNotFound extends NotFound {
  constructor(readonly customerId: string) {
    super('customer_not_found', `No customer with id '${customerId}'`);
  }
}

/** A complaint's criteria, some of which may come from the customer's record. */
export interface RecommendationRequest extends Partial<ComplaintCriteria> {
  /** Fills language, region and favourite from the customer when not given. */
  customerId?: string;
  limit?: number;
}

export interface StaffFilter {
  outletId?: string;
  skill?: string;
  role?: string;
  onDuty?: boolean;
}

export interface Page<T> {
  items: T[];
  total: number;
}

export interface DirectoryService {
  /** On-duty staff who could take the complaint (engineers only when on site), and the outlets. */
  findCandidates(criteria: Pick<ComplaintCriteria, 'onSite'>): Promise<{ staff: CandidateStaff[]; outlets: CandidateOutlet[] }>;
  /** Ranked top `limit` (default 3) for the complaint: findCandidates + the customer + rankStaff. */
  recommend(request: RecommendationRequest): Promise<Recommendation[]>;
  getStaff(id: string): Promise<StaffRecord | undefined>;
  getCustomer(id: string): Promise<CustomerRecord | undefined>;
  /**
   * Adds one evaluation (1..5 stars) and returns the new satisfaction; concurrent calls all count.
   * With `review` (tags, comment) it is kept for the engineer's profile, and the stars count for
   * the engineer's outlet too; a review id already counted is not counted again. Throws StaffNotFound.
   */
  recordEvaluation(staffId: string, stars: number, review?: ReviewInput): Promise<Satisfaction>;
  /** The public profile of a member of staff; undefined when there is none. */
  profile(staffId: string): Promise<EngineerProfile | undefined>;
  /** Keeps `staffId` as the customer's favourite ("my expert"). Throws CustomerNotFound, StaffNotFound. */
  setFavourite(customerId: string, staffId: string): Promise<void>;
  /** Adds `delta` (an integer, may be negative) to the open-complaint count, never below 0; returns the new load. */
  adjustLoad(staffId: string, delta: number): Promise<number>;
  listStaff(filter: StaffFilter, page: number, pageSize: number): Promise<Page<StaffRecord>>;
  listDepartments(page: number, pageSize: number): Promise<Page<DepartmentRecord>>;
  listOutlets(page: number, pageSize: number): Promise<Page<OutletRecord>>;
  /** True when there are no staff (the demo seed then loads on first start). */
  isEmpty(): Promise<boolean>;
}

export function toCandidate(s: StaffRecord): CandidateStaff {
  const { sum, count } = s.satisfaction ?? { sum: 0, count: 0 };
  return {
    id: s._id,
    name: s.name,
    roles: s.roles ?? [],
    skills: s.skills ?? [],
    products: s.products ?? [],
    outletId: s.outletId ?? null,
    regions: s.regions ?? [],
    languages: s.languages ?? [],
    home: s.home ?? null,
    currentLoad: s.currentLoad ?? 0,
    maxLoad: s.maxLoad ?? 5,
    onDuty: s.onDuty === true,
    // Derived from sum and count, not the stored rate, which may lag a concurrent evaluation.
    satisfaction: { rate: count > 0 ? sum / count : 0, count },
  };
}

const toOutlet = (o: OutletRecord): CandidateOutlet => ({ id: o._id, name: o.name, location: o.location, rating: outletRating(o) });

/**
 * Customers are read from memory for CUSTOMER_CACHE_MS (issue 11: intake, the dispatch and the
 * audit seal each read the complaint's customer, three reads per lifecycle). The rule: a change
 * made through this process (`setFavourite`) is seen by it at once; one made elsewhere (another
 * process, the database) within CUSTOMER_CACHE_MS. Only customers found are kept, so one
 * created meanwhile is found at the next read. Shared by every directory service on the same
 * connection (the API's and the worker's of one process).
 */
export const CUSTOMER_CACHE_MS = 30_000;
const CUSTOMER_CACHE_MAX = 10_000;
const customerCaches = new WeakMap<Connection, Map<string, { customer: CustomerRecord; until: number }>>();

function customerCache(connection: Connection) {
  let cache = customerCaches.get(connection);
  if (!cache) customerCaches.set(connection, (cache = new Map()));
  return cache;
}

export function createDirectoryService(connection: Connection): DirectoryService {
  const models = directoryModels(connection);
  const customers = customerCache(connection);
  const reviews = reviewModel(connection);
  const withLock = documentLock(connection);

  async function page<T>(model: mongoose.Model<T>, filter: mongoose.QueryFilter<T>, pageNo: number, pageSize: number): Promise<Page<T>> {
    const [items, total] = await Promise.all([
      model.find(filter).sort({ _id: 1 }).skip((pageNo - 1) * pageSize).limit(pageSize).lean<T[]>(),
      model.countDocuments(filter),
    ]);
    return { items, total };
  }

  /** The outlet's counters, under the outlet's own lock (several engineers share one outlet). */
  function addToOutlet(outletId: string, stars: number) {
    return withLock(`outlet:${outletId}`, async () => {
      const outlet = await models.outlets.findById(outletId).lean<OutletRecord>();
      if (!outlet) return;
      const sum = (outlet.satisfaction?.sum ?? 0) + stars;
      const count = (outlet.satisfaction?.count ?? 0) + 1;
      await models.outlets.updateOne({ _id: outletId }, { $set: { satisfaction: { sum, count, rate: sum / count } } });
    });
  }

  const service: DirectoryService = {
    async findCandidates({ onSite }) {
      const [staff, outlets] = await Promise.all([
        models.staff.find({ onDuty: true, ...(onSite ? { roles: 'engineer' } : {}) }).sort({ _id: 1 }).limit(MAX_CANDIDATES).lean<StaffRecord[]>(),
        models.outlets.find({}).sort({ _id: 1 }).limit(MAX_OUTLETS).lean<OutletRecord[]>(),
      ]);
      return { staff: staff.map(toCandidate), outlets: outlets.map(toOutlet) };
    },

    async recommend({ customerId, limit, ...given }) {
      const customer = customerId === undefined ? undefined : await service.getCustomer(customerId);
      if (customerId !== undefined && !customer) throw new CustomerNotFound(customerId);
      const criteria: ComplaintCriteria = {
        ...given,
        onSite: given.onSite ?? false,
        language: given.language ?? customer?.language ?? undefined,
        region: given.region ?? customer?.region ?? undefined,
        favouriteStaffId: given.favouriteStaffId ?? customer?.favouriteStaffId ?? undefined,
      };
      const { staff, outlets } = await service.findCandidates(criteria);
      return rankStaff(criteria, staff, outlets, limit);
    },

    async getStaff(id) {
      return (await models.staff.findById(id).lean<StaffRecord>()) ?? undefined;
    },

    async getCustomer(id) {
      const now = performance.now();
      const kept = customers.get(id);
      if (kept && kept.until > now) return structuredClone(kept.customer);
      const customer = await models.customers.findById(id).lean<CustomerRecord>();
      customers.delete(id);
      if (!customer) return undefined;
      // Map order is insertion order: the first entry is the oldest.
      if (customers.size >= CUSTOMER_CACHE_MAX) customers.delete(customers.keys().next().value!);
      customers.set(id, { customer: structuredClone(customer), until: now + CUSTOMER_CACHE_MS });
      return customer;
    },

    async recordEvaluation(staffId, stars, review) {
      if (!Number.isInteger(stars) || stars < 1 || stars > 5) throw new RangeError('stars must be an integer from 1 to 5');
      return withLock(`staff:${staffId}`, async () => {
        const current = await service.getStaff(staffId);
        if (!current) throw new StaffNotFound(staffId);
        if (review) {
          // Insert-first: the review's id decides whether these stars were counted already.
          const outletId = current.outletId ?? null;
          const earlier = await reviews.findById(review.id).lean();
          if (earlier?.counted) return current.satisfaction;
          if (!earlier) {
            await reviews.create({ _id: review.id, staffId, outletId, stars, tags: review.tags, comment: review.comment, at: review.at, counted: false });
          }
          if (outletId) await addToOutlet(outletId, stars);
        }
        const sum = (current.satisfaction?.sum ?? 0) + stars;
        const count = (current.satisfaction?.count ?? 0) + 1;
        const rate = sum / count;
        await models.staff.updateOne({ _id: staffId }, { $inc: { 'satisfaction.sum': stars, 'satisfaction.count': 1 }, $set: { 'satisfaction.rate': rate } });
        if (review) await reviews.updateOne({ _id: review.id }, { $set: { counted: true } });
        return { sum, count, rate };
      });
    },

    async profile(staffId) {
      const staff = await service.getStaff(staffId);
      if (!staff) return undefined;
      const outlet = staff.outletId ? await models.outlets.findById(staff.outletId).lean<OutletRecord>() : null;
      return engineerProfile(reviews, staff, outlet);
    },

    async setFavourite(customerId, staffId) {
      if (!(await service.getStaff(staffId))) throw new StaffNotFound(staffId);
      customers.delete(customerId);
      const res = await models.customers.updateOne({ _id: customerId }, { $set: { favouriteStaffId: staffId } });
      customers.delete(customerId);
      if (res.matchedCount === 0) throw new CustomerNotFound(customerId);
    },

    async adjustLoad(staffId, delta) {
      if (!Number.isInteger(delta)) throw new RangeError('delta must be an integer');
      return withLock(`staff:${staffId}`, async () => {
        const current = await service.getStaff(staffId);
        if (!current) throw new StaffNotFound(staffId);
        // More closed than opened (e.g. a retried close): clamp at 0 rather than fail the process.
        const load = Math.max(0, (current.currentLoad ?? 0) + delta);
        await models.staff.updateOne({ _id: staffId }, { $set: { currentLoad: load } });
        return load;
      });
    },

    listStaff(filter, pageNo, pageSize) {
      const query = {
        ...(filter.outletId !== undefined ? { outletId: filter.outletId } : {}),
        ...(filter.skill !== undefined ? { skills: filter.skill } : {}),
        ...(filter.role !== undefined ? { roles: filter.role } : {}),
        ...(filter.onDuty !== undefined ? { onDuty: filter.onDuty } : {}),
      };
      return page(models.staff, query, pageNo, pageSize);
    },

    listDepartments: (pageNo, pageSize) => page(models.departments, {}, pageNo, pageSize),
    listOutlets: (pageNo, pageSize) => page(models.outlets, {}, pageNo, pageSize),

    async isEmpty() {
      return (await models.staff.exists({})) === null;
    },
  };
  return service;
}
