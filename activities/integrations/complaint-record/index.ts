/**
 * `complaint.record`: the process's pen on the complaint timeline. The entry id is the job's
 * idempotency key, so a retried job writes its entry once.
 */
import { z } from 'zod';
import { PermanentError } from '../../catalog/errors';
import { defineIntegration } from '../../catalog/types';
import { complaintsOf } from '../complaintsDeps';
import { COMPLAINT_STATUSES } from '../complaintsPort';
import { complaintRecordManifest } from './manifest';

export const complaintRecord = defineIntegration({
  ...complaintRecordManifest,
  input: z.object({
    complaintId: z.string().min(1).max(100),
    event: z.string().min(1).max(200),
    status: z.enum(COMPLAINT_STATUSES).nullish(),
    engineer: z.string().min(1).max(200).nullish(),
    /** The departments that must act (the diagram's rule, e.g. `=mustAct`): the complaint's shared view. */
    departments: z.array(z.string().min(1).max(50)).max(20).nullish(),
  }),
  output: z.object({}),
  async run(input, ctx) {
    const found = await complaintsOf(ctx).record(input.complaintId, {
      entryId: ctx.idempotencyKey,
      what: input.event,
      ...(input.status ? { status: input.status } : {}),
      ...(input.engineer ? { engineer: input.engineer } : {}),
      ...(input.departments ? { departments: input.departments } : {}),
    });
    if (!found) throw new PermanentError('ComplaintNotFound', `no complaint '${input.complaintId}'`);
    return {};
  },
});
