/**
 * `complaint.engineer-offer`: with `recommendations`, writes the offered engineers (and their
 * reasons) on the complaint, where the customer chooses one through the API; with
 * `outcome: timed_out`, ends a waiting offer. Idempotent per job.
 */
import { z } from 'zod';
import { PermanentError } from '../../catalog/errors';
import { defineIntegration } from '../../catalog/types';
import { complaintsOf } from '../complaintsDeps';
import { complaintEngineerOfferManifest } from './manifest';

const Offered = z.object({
  staffId: z.string().min(1).max(200),
  name: z.string().max(200),
  score: z.number(),
  distanceKm: z.number().nullable(),
  reasons: z.array(z.string().max(500)).max(20),
});

export const complaintEngineerOffer = defineIntegration({
  ...complaintEngineerOfferManifest,
  input: z.object({
    complaintId: z.string().min(1).max(100),
    // The job sees every process variable, so `recommendations` is there in both uses: `outcome` decides.
    recommendations: z.array(Offered).max(3).optional(),
    outcome: z.literal('timed_out').optional(),
  }).refine((i) => i.outcome !== undefined || (i.recommendations?.length ?? 0) > 0, { message: 'give recommendations (at least one) or outcome', path: ['recommendations'] }),
  output: z.object({}),
  async run(input, ctx) {
    const complaints = complaintsOf(ctx);
    const found = input.outcome
      ? await complaints.closeOffer(input.complaintId, input.outcome, ctx.idempotencyKey)
      : await complaints.offerEngineers(input.complaintId, input.recommendations ?? [], ctx.idempotencyKey);
    if (!found) throw new PermanentError('ComplaintNotFound', `no complaint '${input.complaintId}'`);
    return {};
  },
});
