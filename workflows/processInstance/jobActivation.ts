import type { Command } from '../../processes/evaluator';

/**
 * The activation a catalog job's side effects are deduplicated by (activities/runJob.ts,
 * patch `job-idempotency-per-activation`): the element instance, stable across the jobs a
 * resolved incident reissues. The jobs of an element's execution listeners (decision 0055)
 * share its element instance with each other and with the element's own job, so each listener
 * is its own activation: its event type and type (unique per element, as Zeebe requires).
 */
export function activationKeyOf(command: Extract<Command, { type: 'executeJob' }>): string {
  if (command.listener === undefined) return command.elementInstanceKey;
  return `${command.elementInstanceKey}:${command.listener}-listener:${command.taskType}`;
}
