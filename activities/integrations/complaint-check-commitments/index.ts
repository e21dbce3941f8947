/** `complaint.check-commitments`: a complaint may close only when every commitment is fulfilled. */
import { z } from 'zod';
import { BpmnError } from '../../catalog/errors';
import { defineIntegration } from '../../catalog/types';
import { complaintsOf } from '../complaintsDeps';
import { complaintCheckCommitmentsManifest } from './manifest';

export const COMMITMENTS_OPEN = 'COMMITMENTS_OPEN';

export const complaintCheckCommitments = defineIntegration({
  ...complaintCheckCommitmentsManifest,
  input: z.object({ complaintId: z.string().min(1).max(100) }),
  output: z.object({ openCommitments: z.number().int().min(0) }),
  async run(input, ctx) {
    const open = await complaintsOf(ctx).openCommitments(input.complaintId);
    if (open > 0) throw new BpmnError(COMMITMENTS_OPEN, `${open} commitment(s) still open`, { openCommitments: open });
    return { openCommitments: 0 };
  },
});
