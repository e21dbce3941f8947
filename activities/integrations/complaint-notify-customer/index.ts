/**
 * `complaint.notify-customer`: the resolution notice to the customer. The address is read from
 * the complaint by id at run time (the process holds only `notifyChannel`), the link is the
 * customer's signed link. A notice that cannot be sent for a reason retrying cannot fix (no
 * address, no SMTP_URL, the server refuses the recipient) is BPMN error CUSTOMER_NOT_REACHABLE,
 * which the diagram catches and records, so a missing mail setup never stops a lifecycle.
 * Transient SMTP failures are retried as notify.email's are.
 */
import { createHash } from 'node:crypto';
import { z } from 'zod';
import { BpmnError, PermanentError } from '../../catalog/errors';
import { defineIntegration } from '../../catalog/types';
import { emailChannel } from '../../notifications/email';
import type { CustomerNotice } from '../complaintsPort';
import { complaintsOf } from '../complaintsDeps';
import { complaintNotifyCustomerManifest } from './manifest';

export const CUSTOMER_NOT_REACHABLE = 'CUSTOMER_NOT_REACHABLE';

/** Subject and text of the notice: the complaint number and the link, nothing else that identifies anyone. */
export function resolutionNotice(notice: CustomerNotice) {
  const subject = `Your complaint ${notice.complaintNumber} has been resolved`;
  const text = [
    'Hello,',
    '',
    `we have resolved your complaint ${notice.complaintNumber}.`,
    notice.link
      ? `See what we did and tell us how satisfied you are (one to five stars):\n${notice.link}`
      : 'Sign in to see what we did and tell us how satisfied you are.',
    '',
    'If the problem is not solved, say so in your evaluation and we will take it up again.',
  ].join('\n');
  return { subject, text };
}

export function createComplaintNotifyCustomer(env: NodeJS.ProcessEnv = process.env) {
  const channel = emailChannel(env);
  return defineIntegration({
    ...complaintNotifyCustomerManifest,
    input: z.object({ complaintId: z.string().min(1).max(100), channel: z.literal('email') }),
    output: z.object({ customerNotice: z.object({ channel: z.literal('email'), delivered: z.boolean() }) }),
    async run(input, ctx) {
      const notice = await complaintsOf(ctx).customerNotice(input.complaintId);
      if (!notice) throw new PermanentError('ComplaintNotFound', `no complaint '${input.complaintId}'`);
      if (!notice.email) throw new BpmnError(CUSTOMER_NOT_REACHABLE, 'the customer left no e-mail address', { notReachable: 'no_address' });
      const { subject, text } = resolutionNotice(notice);
      try {
        // The Message-ID comes from the idempotency key, which names the workflow: hashed, so the
        // customer's mail carries no internal id (still the same for every retry of the job).
        const idempotencyKey = createHash('sha256').update(ctx.idempotencyKey).digest('hex').slice(0, 32);
        await channel.send({ to: [notice.email], subject, text }, { ...ctx, idempotencyKey, target: {}, timeoutMs: 30_000 });
      } catch (err) {
        // Permanent: no SMTP_URL, refused login or recipient. The reason's type only: replies may quote the address.
        if (err instanceof PermanentError) throw new BpmnError(CUSTOMER_NOT_REACHABLE, `the notice could not be sent (${err.type})`, { notReachable: err.type });
        throw err;
      }
      ctx.log('resolution notice sent', { channel: 'email' });
      return { customerNotice: { channel: 'email' as const, delivered: true } };
    },
  });
}

export const complaintNotifyCustomer = createComplaintNotifyCustomer();
