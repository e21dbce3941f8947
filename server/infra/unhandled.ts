/**
 * A promise rejected with nobody listening would end the whole service (Node's default: exit 1),
 * supervisor, servers and all, for a failure that belongs to one background task. Most such
 * failures come while stopping (a timer of a projection part or the sealer meets a closed
 * database connection) and turned a clean SIGTERM stop into exit 1. They are logged instead:
 * as an error while running (a bug to fix: the task should catch it), as a warning while
 * stopping. Exceptions thrown synchronously still end the process.
 */
import type { Logger } from '../log';

export function logUnhandledRejections(log: Logger, stopping: () => boolean): void {
  process.on('unhandledRejection', (reason: unknown) => {
    // Name and message only (decision 0024: no variables or contact data in logs).
    const err = reason instanceof Error ? `${reason.name}: ${reason.message}` : String(reason);
    if (stopping()) log.warn({ err }, 'a background task failed while stopping');
    else log.error({ err }, 'unhandled promise rejection in a background task (the service keeps running)');
  });
}
