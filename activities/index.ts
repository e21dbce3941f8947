/**
 * All activities the worker registers, built from their dependencies (never module-level
 * singletons), so tests and the service wire the same code to different resources.
 */
import { integrationDeps } from './catalog/deps';
import type { IntegrationDeps } from './catalog/types';
import { createCalledProcessActivities, type DefinitionLookup } from './calledProcess';
import { createProbeActivities } from './probe';
import { createSignalActivities, type SignalBroadcaster } from './signals';
import type { JobObserver } from './jobContract';
import { createJobActivities } from './runJob';
import { createMigrationActivities } from './migration';

export interface ActivityDeps {
  /**
   * What integrations may use; omitted parts get defaults (see catalog/deps.ts), among them
   * an EMPTY host allow-list: pass `{ allowedHosts: config.HTTP_ALLOWED_HOSTS }` to enable HTTP.
   */
  integrations?: Partial<IntegrationDeps>;
  /** Finds the latest deployed version of a process, for call activities. */
  definitions?: DefinitionLookup;
  /** Told of every service-task attempt (the service's activity_duration_seconds metric). */
  jobObserver?: JobObserver;
  /** Broadcasts a signal thrown by a process (signal throw and end events). */
  signals?: SignalBroadcaster;
}

export function createActivities(deps: ActivityDeps) {
  return {
    ...createProbeActivities(),
    ...createJobActivities(integrationDeps(deps.integrations), deps.jobObserver ? { observe: deps.jobObserver } : {}),
    ...createCalledProcessActivities(deps.definitions),
    ...createSignalActivities(deps.signals),
    ...createMigrationActivities(),
  };
}
