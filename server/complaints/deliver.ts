/** Delivering the API's messages (evaluation, reopen, engineer choice) to a complaint's process. */
import type { InstancesService } from '../instances/service';
import { DomainError } from '../domain/errors';

const sleep = (ms: number) => new Promise((resolve) => setTimeout(resolve, ms));

/**
 * Delivers a message correlated by the complaint id. The complaint's state that admits the
 * message is written by the process just before it subscribes, so a miss right after that is
 * projection lag: retried briefly (10 s). After that the process is not waiting: `notWaiting`.
 */
export async function deliverMessage(
  instances: InstancesService,
  message: { name: string; complaintId: string; variables: Record<string, unknown>; messageId: string },
  notWaiting: () => DomainError,
): Promise<void> {
  for (let attempt = 0; ; attempt += 1) {
    try {
      await instances.correlateMessage({ name: message.name, correlationKey: message.complaintId, variables: message.variables, messageId: message.messageId });
      return;
    } catch (err) {
      if (!(err instanceof DomainError && err.code === 'no_subscriber')) throw err;
      if (attempt >= 50) throw notWaiting();
      await sleep(200);
    }
  }
}
