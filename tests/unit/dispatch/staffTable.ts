/** Small staff tables for ranking tests: everyone equal unless the test says otherwise. */
import type { CandidateOutlet, CandidateStaff, ComplaintCriteria, GeoPoint } from '../../../server/domain/dispatch/rank';

/** People's Square, Shanghai. */
export const CITY: GeoPoint = { lat: 31.23, lon: 121.47 };

/** A point `km` north of `from` (one degree of latitude is ~111.2 km). */
export function north(km: number, from: GeoPoint = CITY): GeoPoint {
  return { lat: from.lat + km / 111.195, lon: from.lon };
}

/** An on-duty engineer with nothing that earns points: no location, skills, languages, ratings or load. */
export function engineer(id: string, overrides: Partial<CandidateStaff> = {}): CandidateStaff {
  return {
    id,
    name: `Engineer ${id}`,
    roles: ['engineer'],
    skills: [],
    products: [],
    outletId: null,
    regions: [],
    languages: [],
    home: null,
    currentLoad: 0,
    maxLoad: 5,
    onDuty: true,
    satisfaction: { rate: 0, count: 0 },
    ...overrides,
  };
}

export function outlet(id: string, km: number, rating: number): CandidateOutlet {
  return { id, name: `Outlet ${id}`, location: north(km), rating };
}

export const remote = (overrides: Partial<ComplaintCriteria> = {}): ComplaintCriteria => ({ onSite: false, ...overrides });

/** Ids sorted by a key (ascending), ties by id: the order a single-factor rule predicts. */
export function orderBy<T extends { id: string }>(rows: readonly T[], key: (row: T) => number): string[] {
  return [...rows].sort((a, b) => key(a) - key(b) || (a.id < b.id ? -1 : 1)).map((r) => r.id);
}
