/**
 * Who should handle a complaint: a PURE ranking of candidate staff (no I/O, no clock, no
 * randomness), so the integration, the HTTP API and the tests all get the same answer for
 * the same directory snapshot.
 *
 * Score (0..100) = sum of the weighted factors below; higher is better.
 *
 * | factor       | weight | how much of the weight a candidate gets                       |
 * |--------------|--------|---------------------------------------------------------------|
 * | distance     | 30     | 1 - km / 25, floored at 0 (from the staff's outlet, else home) |
 * | skill        | 20     | all or nothing: one of the complaint's skills is in `skills`   |
 * | product      | 15     | all or nothing: one of `products` is the product, or a word of its name (`fridge` for "Fridge F3") |
 * | language     | 10     | all or nothing: speaks the complaint's language or dialect    |
 * | load         | 10     | 1 - currentLoad / maxLoad, floored at 0                        |
 * | satisfaction | 10     | rate / 5 (no ratings yet counts as 3 / 5)                     |
 * | region       |  5     | all or nothing: covers the complaint's region                 |
 *
 * A factor the complaint does not state (no location, no product, ...) gives nobody points.
 * Rules applied before the score:
 * - off-duty staff are never recommended; on-site repairs only go to engineers;
 * - the customer's favourite ("my expert") comes first when on duty and skilled;
 * - on-site repairs: the nearest outlet rated at least 4.0 that has an on-duty skilled
 *   engineer is chosen, and its engineers come before everyone else;
 * - equal scores (compared at 2 decimals) are ordered by staff id.
 */

export interface GeoPoint {
  lat: number;
  lon: number;
}

export interface ComplaintCriteria {
  location?: GeoPoint;
  product?: string;
  /** One skill key (e.g. `refrigeration`); `skills` wins when both are given. */
  skill?: string;
  /** The skills the complaint needs, any of which counts (processes/skills.ts `skillsFor`). */
  skills?: readonly string[];
  region?: string;
  /** A language or dialect (e.g. `Cantonese`); compared case-insensitively. */
  language?: string;
  /** An engineer must go to the customer (repair); only engineers qualify. */
  onSite: boolean;
  favouriteStaffId?: string;
}

export interface CandidateStaff {
  id: string;
  name: string;
  roles: readonly string[];
  skills: readonly string[];
  products: readonly string[];
  outletId?: string | null;
  regions: readonly string[];
  languages: readonly string[];
  home?: GeoPoint | null;
  currentLoad: number;
  maxLoad: number;
  onDuty: boolean;
  /** `rate` is the mean of `count` evaluations (0..5). */
  satisfaction: { rate: number; count: number };
}

export interface CandidateOutlet {
  id: string;
  name: string;
  location: GeoPoint;
  /** 0..5 */
  rating: number;
}

export interface Recommendation {
  staffId: string;
  name: string;
  score: number;
  /** From the complaint's location to the staff's outlet (else home); null when either is unknown. */
  distanceKm: number | null;
  reasons: string[];
}

export const WEIGHTS = {
  distance: 30,
  skill: 20,
  product: 15,
  language: 10,
  load: 10,
  satisfaction: 10,
  region: 5,
} as const;

/** Beyond this distance the distance factor is worth nothing. */
export const DISTANCE_HORIZON_KM = 25;
/** An outlet at least this well rated is "well-rated" for on-site repairs. */
export const MIN_OUTLET_RATING = 4;
/** The satisfaction assumed for someone nobody has rated yet: middling, neither rewarded nor punished much. */
export const UNRATED_SATISFACTION = 3;
export const ENGINEER_ROLE = 'engineer';
export const DEFAULT_LIMIT = 3;

const EARTH_RADIUS_KM = 6371.0088;

/** Great-circle distance in km (haversine). */
export function haversineKm(a: GeoPoint, b: GeoPoint): number {
  const rad = (deg: number) => (deg * Math.PI) / 180;
  const dLat = rad(b.lat - a.lat);
  const dLon = rad(b.lon - a.lon);
  const h = Math.sin(dLat / 2) ** 2 + Math.cos(rad(a.lat)) * Math.cos(rad(b.lat)) * Math.sin(dLon / 2) ** 2;
  return 2 * EARTH_RADIUS_KM * Math.asin(Math.min(1, Math.sqrt(h)));
}

// Plain lower-casing, not localeCompare: the result must not depend on the machine's locale.
const same = (a: string, b: string) => a.toLowerCase() === b.toLowerCase();
const has = (list: readonly string[], value: string | undefined) => value !== undefined && list.some((v) => same(v, value));
const escapeRegex = (s: string) => s.replace(/[.*+?^${}()|[\]\\]/g, '\\$&');
/** The product is one of `products`, or one of them is a word of its name (a model name such as "Fridge F3"). */
const makes = (products: readonly string[], product: string | undefined) => product !== undefined
  && products.some((p) => same(p, product) || (p.trim() !== '' && new RegExp(`(^|[^a-z0-9])${escapeRegex(p.toLowerCase())}([^a-z0-9]|$)`).test(product.toLowerCase())));
const round = (value: number, decimals: number) => Math.round(value * 10 ** decimals) / 10 ** decimals;
const byId = (a: string, b: string) => (a < b ? -1 : a > b ? 1 : 0);

/** Where a member of staff sets out from: their outlet when known, else their home. */
function base(staff: CandidateStaff, outlets: ReadonlyMap<string, CandidateOutlet>): GeoPoint | undefined {
  const outlet = staff.outletId ? outlets.get(staff.outletId) : undefined;
  return outlet?.location ?? staff.home ?? undefined;
}

/** The skills asked for: `skills`, else the one `skill`, else none. */
const wantedSkills = (criteria: ComplaintCriteria): readonly string[] => criteria.skills ?? (criteria.skill === undefined ? [] : [criteria.skill]);
const matchedSkill = (staff: CandidateStaff, criteria: ComplaintCriteria) => wantedSkills(criteria).find((s) => has(staff.skills, s));

function isSkilled(staff: CandidateStaff, criteria: ComplaintCriteria): boolean {
  return wantedSkills(criteria).length === 0 || matchedSkill(staff, criteria) !== undefined;
}

interface Scored extends Recommendation {
  /** 0 favourite, 1 engineer of the chosen outlet, 2 everyone else. */
  tier: number;
}

function score(staff: CandidateStaff, criteria: ComplaintCriteria, outlets: ReadonlyMap<string, CandidateOutlet>): Omit<Scored, 'tier'> {
  let total = 0;
  const reasons: string[] = [];
  const from = base(staff, outlets);
  const distanceKm = criteria.location && from ? haversineKm(criteria.location, from) : null;
  if (distanceKm !== null) {
    total += WEIGHTS.distance * Math.max(0, 1 - distanceKm / DISTANCE_HORIZON_KM);
    reasons.push(`${distanceKm.toFixed(1)} km away`);
  }
  const skill = matchedSkill(staff, criteria);
  if (skill !== undefined) {
    total += WEIGHTS.skill;
    reasons.push(`skill: ${skill}`);
  }
  if (makes(staff.products, criteria.product)) {
    total += WEIGHTS.product;
    reasons.push(`product: ${criteria.product}`);
  }
  if (has(staff.languages, criteria.language)) {
    total += WEIGHTS.language;
    reasons.push(`speaks ${staff.languages.find((l) => same(l, criteria.language ?? '')) ?? criteria.language}`);
  }
  if (has(staff.regions, criteria.region)) {
    total += WEIGHTS.region;
    reasons.push(`covers ${criteria.region}`);
  }
  const capacity = Math.max(1, staff.maxLoad);
  total += WEIGHTS.load * Math.max(0, 1 - staff.currentLoad / capacity);
  reasons.push(`load ${staff.currentLoad}/${staff.maxLoad}`);
  const rated = staff.satisfaction.count > 0;
  const rate = rated ? Math.min(5, Math.max(0, staff.satisfaction.rate)) : UNRATED_SATISFACTION;
  total += WEIGHTS.satisfaction * (rate / 5);
  reasons.push(rated ? `satisfaction ${rate.toFixed(1)}` : 'not rated yet');
  return {
    staffId: staff.id,
    name: staff.name,
    score: round(total, 2),
    distanceKm: distanceKm === null ? null : round(distanceKm, 1),
    reasons,
  };
}

/** On-site: the nearest well-rated outlet with at least one eligible engineer (none without a location). */
export function chooseOutlet(
  criteria: ComplaintCriteria,
  eligible: readonly CandidateStaff[],
  outlets: readonly CandidateOutlet[],
): { outlet: CandidateOutlet; distanceKm: number } | undefined {
  const { location } = criteria;
  if (!criteria.onSite || !location) return undefined;
  const staffed = new Set(eligible.filter((s) => isSkilled(s, criteria)).map((s) => s.outletId));
  return outlets
    .filter((o) => o.rating >= MIN_OUTLET_RATING && staffed.has(o.id))
    .map((outlet) => ({ outlet, distanceKm: haversineKm(location, outlet.location) }))
    .sort((a, b) => a.distanceKm - b.distanceKm || byId(a.outlet.id, b.outlet.id))[0];
}

/** The best `limit` (default 3) staff for the complaint, best first. */
export function rankStaff(
  criteria: ComplaintCriteria,
  staff: readonly CandidateStaff[],
  outlets: readonly CandidateOutlet[] = [],
  limit = DEFAULT_LIMIT,
): Recommendation[] {
  const outletsById = new Map(outlets.map((o) => [o.id, o]));
  const eligible = staff.filter((s) => s.onDuty && (!criteria.onSite || has(s.roles, ENGINEER_ROLE)));
  const chosen = chooseOutlet(criteria, eligible, outlets);

  const scored: Scored[] = eligible.map((s) => {
    const result = score(s, criteria, outletsById);
    const favourite = s.id === criteria.favouriteStaffId && isSkilled(s, criteria);
    if (favourite) return { ...result, tier: 0, reasons: ['your favourite engineer ("my expert")', ...result.reasons] };
    if (chosen && s.outletId === chosen.outlet.id) {
      const where = `at ${chosen.outlet.name}, the nearest well-rated outlet (${chosen.outlet.rating.toFixed(1)})`;
      return { ...result, tier: 1, reasons: [where, ...result.reasons] };
    }
    return { ...result, tier: 2 };
  });

  return scored
    .sort((a, b) => a.tier - b.tier || b.score - a.score || byId(a.staffId, b.staffId))
    .slice(0, Math.max(0, limit))
    .map(({ tier: _tier, ...recommendation }) => recommendation);
}
