import type { InstanceSnapshot } from '../../workflows/processInstance/types';

/**
 * Folds a newer snapshot into one not yet written: the view is the newer one; element events
 * and closed tasks of both are kept, so nothing of the history is lost.
 */
export function coalesce(pending: InstanceSnapshot, newer: InstanceSnapshot): InstanceSnapshot {
  if (newer.sequence < pending.sequence) return coalesce(newer, pending);
  return {
    ...newer,
    events: [...pending.events, ...newer.events],
    closedTasks: [...pending.closedTasks, ...newer.closedTasks],
  };
}
