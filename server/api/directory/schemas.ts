/** Zod schemas of the directory API: staff, departments, outlets and recommendations. */
import { z } from 'zod';
import { WEEKDAYS } from '../../domain/directory/models';

const text = z.string().trim().min(1).max(100);
const flag = z.enum(['true', 'false']).transform((v) => v === 'true');

export const PageQuery = z.object({
  page: z.coerce.number().int().min(1).max(100_000).default(1),
  pageSize: z.coerce.number().int().min(1).max(100).default(20),
});

export const StaffListQuery = PageQuery.extend({
  outletId: text.optional(),
  skill: text.optional(),
  role: text.optional(),
  onDuty: flag.optional().meta({ description: '`true` or `false`' }),
});

export const RecommendationQuery = z
  .object({
    lat: z.coerce.number().min(-90).max(90).optional().meta({ description: 'Latitude of the customer, with `lon`' }),
    lon: z.coerce.number().min(-180).max(180).optional().meta({ description: 'Longitude of the customer, with `lat`' }),
    product: text.optional().meta({ example: 'fridge' }),
    skill: text.optional().meta({ description: 'The complaint category as a skill', example: 'refrigeration' }),
    region: text.optional().meta({ example: 'Pudong' }),
    language: text.optional().meta({ description: 'Language or dialect', example: 'Cantonese' }),
    onSite: flag.default(false).meta({ description: '`true`: an on-site repair, only engineers, nearest well-rated outlet first' }),
    customerId: text.optional().meta({ description: 'Language, region and favourite engineer come from the customer unless given' }),
    complaintId: text.optional().meta({ description: 'Criteria from a complaint (when the complaints service is wired); explicit parameters win' }),
  })
  .superRefine((q, ctx) => {
    if ((q.lat === undefined) !== (q.lon === undefined)) {
      ctx.addIssue({ code: 'custom', path: [q.lat === undefined ? 'lat' : 'lon'], message: 'lat and lon go together' });
    }
  });

const Point = z.object({ lat: z.number(), lon: z.number() }).meta({ id: 'GeoPoint' });

export const RecommendationSchema = z
  .object({
    staffId: z.string(),
    name: z.string(),
    score: z.number().meta({ description: '0..100, see docs/api.md for the weights' }),
    distanceKm: z.number().nullable(),
    reasons: z.array(z.string()).meta({ example: ['3.2 km away', 'skill: refrigeration', 'speaks Cantonese', 'load 2/5', 'satisfaction 4.8'] }),
  })
  .meta({ id: 'StaffRecommendation' });

export const RecommendationsResponse = z.object({ recommendations: z.array(RecommendationSchema).max(3) });

export const StaffSchema = z
  .object({
    id: z.string(),
    name: z.string(),
    roles: z.array(z.string()),
    skills: z.array(z.string()),
    products: z.array(z.string()),
    outletId: z.string().nullable(),
    regions: z.array(z.string()),
    languages: z.array(z.string()),
    currentLoad: z.number().int(),
    maxLoad: z.number().int(),
    onDuty: z.boolean(),
    satisfaction: z.object({ rate: z.number(), count: z.number().int() }),
  })
  .meta({ id: 'Staff', description: 'A member of staff (their home location is personal data and not listed)' });

export const DepartmentSchema = z
  .object({ key: z.string(), name: z.string(), candidateGroup: z.string() })
  .meta({ id: 'Department' });

export const OutletSchema = z
  .object({
    id: z.string(),
    name: z.string(),
    location: Point,
    openingHours: z.array(z.object({ day: z.enum(WEEKDAYS), open: z.string(), close: z.string() })),
    rating: z.number(),
    departmentKeys: z.array(z.string()),
  })
  .meta({ id: 'Outlet' });

const pageOf = <T extends z.ZodType>(item: T) => z.object({ items: z.array(item), page: z.number(), pageSize: z.number(), total: z.number() });
export const StaffPage = pageOf(StaffSchema);
export const DepartmentPage = pageOf(DepartmentSchema);
export const OutletPage = pageOf(OutletSchema);

export const EngineerParams = z.object({ staffId: z.string().regex(/^[A-Za-z0-9][A-Za-z0-9_.:-]{0,99}$/, 'a staff id') });

/** The public engineer profile (decision 0045): no home, load, customers or complaint ids. */
export const EngineerProfileSchema = z.object({
  id: z.string(),
  name: z.string(),
  photoUrl: z.string().nullable(),
  rating: z.object({ rate: z.number(), count: z.number() }),
  skills: z.array(z.string()),
  products: z.array(z.string()),
  languages: z.array(z.string()),
  outlet: z.object({ id: z.string(), name: z.string(), rating: z.number(), count: z.number() }).nullable(),
  tags: z.array(z.object({ tag: z.string(), count: z.number() })),
  recentComments: z.array(z.object({ stars: z.number(), comment: z.string(), tags: z.array(z.string()), at: z.string() })).max(5),
}).meta({ id: 'EngineerProfile' });
