/**
 * `dispatch.recommend`: the top three staff for a complaint and the assignee (the best, or null
 * when nobody qualifies). Ranking is server/domain/dispatch/rank.ts; this reads the directory
 * through `ctx.deps.directory`.
 */
import { z } from 'zod';
import { PermanentError } from '../../catalog/errors';
import { defineIntegration } from '../../catalog/types';
import { dispatchRecommendManifest } from './manifest';

const text = z.string().trim().min(1).max(100);

export const DispatchCriteria = z
  .object({
    lat: z.number().min(-90).max(90).optional(),
    lon: z.number().min(-180).max(180).optional(),
    product: text.optional(),
    skill: text.optional(),
    region: text.optional(),
    language: text.optional(),
    onSite: z.boolean().default(false),
    customerId: text.optional(),
    favouriteStaffId: text.optional(),
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
  async run({ lat, lon, customerId, ...criteria }, ctx) {
    const { directory } = ctx.deps;
    if (!directory) throw new PermanentError('NotConfigured', 'dispatch.recommend needs the staff directory (IntegrationDeps.directory), which this worker was started without');
    let recommendations;
    try {
      recommendations = await directory.recommend({
        ...criteria,
        ...(lat !== undefined && lon !== undefined ? { location: { lat, lon } } : {}),
        ...(customerId !== undefined ? { customerId } : {}),
      });
    } catch (err) {
      // An unknown customer is a modelling or data error: retrying cannot fix it.
      if ((err as { code?: string }).code === 'customer_not_found') throw new PermanentError('CustomerNotFound', 'the complaint names a customer who is not in the directory');
      throw err;
    }
    // Counts only: names and reasons are about people and stay out of the log.
    ctx.log('recommended staff', { candidates: recommendations.length });
    return { recommendations, assignee: recommendations[0]?.staffId ?? null };
  },
});
