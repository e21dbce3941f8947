/**
 * The demo directory: 4 departments, 8 outlets and 50 staff around People's Square, Shanghai
 * (all within ~25 km), and 30 customers. Generated from a fixed seed, so every run yields the
 * same records with the same ids; complaints can be added by extending `demoDirectory`.
 */
import type { GeoPoint } from '../dispatch/rank';
import { CUSTOMER_TIERS, type CustomerRecord, type DepartmentRecord, type OutletRecord, type StaffRecord } from '../directory/models';
import { seededRandom, type Random } from './random';

export const DEMO_SEED = 20240521;
export const DEMO_CENTRE: GeoPoint = { lat: 31.23, lon: 121.47 };

export const DEMO_LANGUAGES = ['Mandarin', 'Shanghainese', 'English', 'Cantonese'] as const;
export const DEMO_REGIONS = ['Huangpu', "Jing'an", 'Xuhui', 'Changning', 'Putuo', 'Hongkou', 'Yangpu', 'Pudong', 'Minhang', 'Baoshan'] as const;
/** Skill keys double as complaint categories. */
export const DEMO_SKILLS = ['refrigeration', 'washing-machines', 'air-conditioning', 'electrical', 'installation', 'billing', 'delivery'] as const;
export const DEMO_PRODUCTS = ['fridge', 'washer', 'air-conditioner', 'dishwasher', 'oven', 'tv'] as const;

export interface DemoDirectory {
  departments: DepartmentRecord[];
  outlets: OutletRecord[];
  staff: StaffRecord[];
  customers: CustomerRecord[];
}

const DEPARTMENTS: Array<[key: string, name: string]> = [
  ['after-sales', 'After-sales service'],
  ['technical', 'Technical support'],
  ['finance', 'Finance and refunds'],
  ['logistics', 'Logistics and delivery'],
];

// Outlets at plausible district centres (lat, lon), all within ~20 km of the centre.
const OUTLETS: Array<[name: string, lat: number, lon: number, region: string]> = [
  ['Huangpu Service Centre', 31.2317, 121.4846, 'Huangpu'],
  ["Jing'an Service Centre", 31.2286, 121.4478, "Jing'an"],
  ['Xujiahui Service Centre', 31.1950, 121.4370, 'Xuhui'],
  ['Zhongshan Park Service Centre', 31.2206, 121.4166, 'Changning'],
  ['Wujiaochang Service Centre', 31.2990, 121.5140, 'Yangpu'],
  ['Lujiazui Service Centre', 31.2397, 121.4998, 'Pudong'],
  ['Zhangjiang Service Centre', 31.2040, 121.5900, 'Pudong'],
  ['Xinzhuang Service Centre', 31.1110, 121.3850, 'Minhang'],
];

const SURNAMES = ['Wang', 'Li', 'Zhang', 'Liu', 'Chen', 'Yang', 'Huang', 'Zhao', 'Wu', 'Zhou', 'Xu', 'Sun', 'Ma', 'Zhu', 'Hu', 'Guo', 'Lin', 'Shen'];
const GIVEN = ['Wei', 'Fang', 'Min', 'Jing', 'Lei', 'Yan', 'Jun', 'Hui', 'Ping', 'Xin', 'Tao', 'Ying', 'Hao', 'Lan', 'Qiang', 'Mei', 'Bo', 'Yu'];

const pad = (n: number, width: number) => String(n).padStart(width, '0');
const round = (value: number, decimals: number) => Math.round(value * 10 ** decimals) / 10 ** decimals;

/** A point at most `maxKm` from `centre`, uniform over the disc. */
function around(random: Random, centre: GeoPoint, maxKm: number): GeoPoint {
  const km = maxKm * Math.sqrt(random.next());
  const angle = 2 * Math.PI * random.next();
  const kmPerDegLat = 111.195;
  const kmPerDegLon = kmPerDegLat * Math.cos((centre.lat * Math.PI) / 180);
  return { lat: round(centre.lat + (km * Math.sin(angle)) / kmPerDegLat, 5), lon: round(centre.lon + (km * Math.cos(angle)) / kmPerDegLon, 5) };
}

function personName(random: Random): string {
  return `${random.pick(SURNAMES)} ${random.pick(GIVEN)}${random.chance(0.4) ? random.pick(GIVEN).toLowerCase() : ''}`;
}

function languagesFor(random: Random): string[] {
  const languages = ['Mandarin'];
  if (random.chance(0.55)) languages.push('Shanghainese');
  if (random.chance(0.4)) languages.push('English');
  if (random.chance(0.15)) languages.push('Cantonese');
  return languages;
}

function outlets(random: Random): OutletRecord[] {
  return OUTLETS.map(([name, lat, lon], i) => {
    const weekday = { open: '09:00', close: random.pick(['18:00', '19:00', '20:00']) };
    const days = ['mon', 'tue', 'wed', 'thu', 'fri', 'sat'] as const;
    return {
      _id: `outlet-${pad(i + 1, 2)}`,
      name,
      location: { lat, lon },
      openingHours: [
        ...days.map((day) => ({ day, ...(day === 'sat' ? { open: '10:00', close: '16:00' } : weekday) })),
        // Every other outlet opens on Sundays.
        ...(i % 2 === 0 ? [{ day: 'sun' as const, open: '10:00', close: '16:00' }] : []),
      ],
      rating: round(3.4 + random.next() * 1.6, 1),
      departmentKeys: i % 3 === 0 ? ['after-sales', 'technical', 'logistics'] : ['after-sales', 'technical'],
    };
  });
}

const ROLE_PLAN: Array<[role: string, count: number]> = [['engineer', 30], ['agent', 14], ['supervisor', 6]];

function staff(random: Random, outletList: readonly OutletRecord[]): StaffRecord[] {
  const out: StaffRecord[] = [];
  for (const [role, count] of ROLE_PLAN) {
    for (let i = 0; i < count; i += 1) {
      const outlet = outletList[out.length % outletList.length];
      const engineer = role === 'engineer';
      const skills = engineer
        ? random.sample(DEMO_SKILLS.slice(0, 5), random.int(1, 3))
        : random.sample(['billing', 'delivery', 'refrigeration', 'washing-machines'], random.int(1, 2));
      const ratings = random.int(0, 40);
      const sum = ratings === 0 ? 0 : Math.round(ratings * (3 + random.next() * 2));
      out.push({
        _id: `staff-${pad(out.length + 1, 3)}`,
        name: personName(random),
        roles: role === 'supervisor' ? ['supervisor', 'agent'] : [role],
        skills,
        products: random.sample(DEMO_PRODUCTS, random.int(1, 4)),
        // Agents take complaints by phone from the call centre; engineers and supervisors belong to an outlet.
        outletId: role === 'agent' ? null : (outlet?._id ?? null),
        regions: random.sample(DEMO_REGIONS, random.int(1, 3)),
        languages: languagesFor(random),
        home: around(random, DEMO_CENTRE, 25),
        currentLoad: random.int(0, 4),
        maxLoad: 5,
        onDuty: random.chance(0.8),
        satisfaction: { sum, count: ratings, rate: ratings === 0 ? 0 : sum / ratings },
      });
    }
  }
  return out;
}

function customers(random: Random, staffList: readonly StaffRecord[]): CustomerRecord[] {
  const engineers = staffList.filter((s) => s.roles.includes('engineer'));
  return Array.from({ length: 30 }, (_, i) => {
    const tier = CUSTOMER_TIERS[Math.min(3, Math.floor(random.next() * random.next() * 5))] ?? 'standard';
    const favourite = tier !== 'standard' && random.chance(0.5) ? random.pick(engineers)._id : null;
    return {
      _id: `cust-${pad(i + 1, 3)}`,
      name: personName(random),
      tier,
      region: random.pick(DEMO_REGIONS),
      language: random.pick(['Mandarin', 'Mandarin', 'Shanghainese', 'Shanghainese', 'English', 'Cantonese']),
      favouriteStaffId: favourite,
    };
  });
}

/** The whole demo directory; the same for the same seed. */
export function demoDirectory(seed = DEMO_SEED): DemoDirectory {
  const random = seededRandom(seed);
  const departments = DEPARTMENTS.map(([key, name]) => ({ _id: `dep-${key}`, key, name, candidateGroup: key }));
  const outletList = outlets(random);
  const staffList = staff(random, outletList);
  return { departments, outlets: outletList, staff: staffList, customers: customers(random, staffList) };
}
