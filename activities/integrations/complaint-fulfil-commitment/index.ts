/** `complaint.fulfil-commitment`: closes a commitment and notes it on the complaint timeline. */
import { z } from 'zod';
import { PermanentError } from '../../catalog/errors';
import { defineIntegration } from '../../catalog/types';
import { complaintsOf } from '../complaintsDeps';
import { complaintFulfilCommitmentManifest } from './manifest';

export const complaintFulfilCommitment = defineIntegration({
  ...complaintFulfilCommitmentManifest,
  input: z.object({ complaintId: z.string().min(1).max(100), commitmentId: z.string().min(1).max(100) }),
  output: z.object({}),
  async run(input, ctx) {
    const found = await complaintsOf(ctx).fulfilCommitment(input.complaintId, input.commitmentId, ctx.idempotencyKey);
    if (!found) throw new PermanentError('CommitmentNotFound', `no commitment '${input.commitmentId}' on complaint '${input.complaintId}'`);
    return {};
  },
});
