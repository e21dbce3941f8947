/**
 * `complaint.classify`: reads the complaint's text from the store, applies the rule table
 * (rules.ts) and stores the result. Its output drives the process: `category`, `severity`
 * (SLA timers) and one `need<Department>` flag per department (the inclusive gateway).
 */
import { z } from 'zod';
import { PermanentError } from '../../catalog/errors';
import { defineIntegration } from '../../catalog/types';
import { complaintsOf } from '../complaintsDeps';
import { complaintClassifyManifest } from './manifest';
import { classify } from './rules';

export const complaintClassify = defineIntegration({
  ...complaintClassifyManifest,
  input: z.object({ complaintId: z.string().min(1).max(100), customerTier: z.string().max(50).nullish() }),
  output: z.object({
    category: z.string(),
    severity: z.enum(['low', 'medium', 'high']),
    needAfterSales: z.boolean(),
    needTechnical: z.boolean(),
    needFinance: z.boolean(),
    needLogistics: z.boolean(),
  }),
  async run(input, ctx) {
    const store = complaintsOf(ctx);
    const facts = await store.classificationFacts(input.complaintId);
    if (!facts) throw new PermanentError('ComplaintNotFound', `no complaint '${input.complaintId}'`);
    const result = classify(`${facts.title}\n${facts.description}\n${facts.product}`, input.customerTier ?? 'standard');
    await store.classify(input.complaintId, result, ctx.idempotencyKey);
    const has = (d: string) => result.departments.includes(d);
    return {
      category: result.category,
      severity: result.severity,
      needAfterSales: has('after-sales'),
      needTechnical: has('technical'),
      needFinance: has('finance'),
      needLogistics: has('logistics'),
    };
  },
});
