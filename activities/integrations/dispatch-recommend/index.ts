/**
 * `dispatch.recommend`: the top three staff for a complaint and the assignee (the best, or null
 * when nobody qualifies). Ranking is server/domain/dispatch/rank.ts; this reads the directory
 * through `ctx.deps.directory`.
 *
 * A criterion may be null (FEEL's "not known", e.g. `=if location = null then null else
 * location.lat`): null means absent. `unknownCustomer: "ignore"` ranks without the customer's
 * data when the customer is not in the directory (complaints name customers the directory may
 * not know); the default `"fail"` keeps that a modelling error (an incident).
 *
 * Skills: the product and the category map to the skills needed (processes/skills.ts). `skill`
 * is read as a category too: versions of complaint-handling before issue 14 passed the category
 * there, and a real skill key stays in the mapped list. With `complaintId`, the
 * recommendations (with their reasons) are written on the complaint, where the dispatch task
 * and the customer's page show them.
 */
import { z } from 'zod';
import { PermanentError } from '../../catalog/errors';
import { defineIntegration } from '../../catalog/types';
import { dispatchRecommendManifest } from './manifest';
import { skillsFor } from '../../../processes/skills';
import { complaintsOf } from '../complaintsDeps';

const text = z.string().trim().min(1).max(100);
/** Optional, and null (FEEL's "not known") counts as not given. */
const maybe = <T extends z.ZodType>(schema: T) => schema.nullish().transform((v) => v ?? undefined);

export const DispatchCriteria = z
  .object({
    lat: maybe(z.number().min(-90).max(90)),
    lon: maybe(z.number().min(-180).max(180)),
    product: maybe(text),
    skill: maybe(text),
    category: maybe(text),
    complaintId: maybe(text),
    region: maybe(text),
    language: maybe(text),
    onSite: z.boolean().nullish().transform((v) => v ?? false),
    customerId: maybe(text),
    favouriteStaffId: maybe(text),
    unknownCustomer: z.enum(['fail', 'ignore']).default('fail'),
  })
  .refine((c) => (c.lat === undefined) === (c.lon === undefined), { message: 'lat and lon go together', path: ['lon'] });

const RecommendationSchema = z.object({
  staffId: z.string(),
  name: z.string(),
  score: z.number(),
  distanceKm: z.number().nullable(),
  reasons: z.array(z.string()),
});

export const dispatchRecommend = defineIntegration({
  ...dispatchRecommendManifest,
  input: DispatchCriteria,
  output: z.object({ recommendations: z.array(RecommendationSchema).max(3), assignee: z.string().nullable() }),
  async run({ lat, lon, customerId, unknownCustomer, complaintId, category, skill, ...rest }, ctx) {
    const { directory } = ctx.deps;
    if (!directory) throw new PermanentError('NotConfigured', 'dispatch.recommend needs the staff directory (IntegrationDeps.directory), which this worker was started without');
    const kind = category ?? skill;
    const given = { ...rest, ...(kind !== undefined || rest.product !== undefined ? { skills: skillsFor(rest.product, kind) } : {}) };
    const criteria = Object.fromEntries(Object.entries(given).filter(([, v]) => v !== undefined)) as typeof given;
    const base = { ...criteria, ...(lat !== undefined && lon !== undefined ? { location: { lat, lon } } : {}) };
    let recommendations;
    try {
      recommendations = await directory.recommend({ ...base, ...(customerId !== undefined ? { customerId } : {}) });
    } catch (err) {
      if ((err as { code?: string }).code !== 'customer_not_found') throw err;
      // An unknown customer is a modelling or data error (retrying cannot fix it), unless the task says to rank without them.
      if (unknownCustomer !== 'ignore') throw new PermanentError('CustomerNotFound', 'the complaint names a customer who is not in the directory');
      recommendations = await directory.recommend(base);
    }
    // Counts only: names and reasons are about people and stay out of the log.
    ctx.log('recommended staff', { candidates: recommendations.length });
    if (complaintId !== undefined) await complaintsOf(ctx).recordRecommendations(complaintId, recommendations, ctx.idempotencyKey);
    return { recommendations, assignee: recommendations[0]?.staffId ?? null };
  },
});
