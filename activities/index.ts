/**
 * All activities the worker registers, built from their dependencies (never module-level
 * singletons), so tests and the service wire the same code to different resources.
 */
import { createProbeActivities } from './probe';

// eslint-disable-next-line @typescript-eslint/no-empty-object-type
export interface ActivityDeps {}

export function createActivities(_deps: ActivityDeps) {
  return {
    ...createProbeActivities(),
  };
}
