/**
 * Projection sinks: the workflow reports each state change to the worker, which writes it to
 * MongoDB. Sinks add nothing to the Temporal history (an instance's history holds only its
 * activities, timers, messages and updates); every record carries a sequence number, so
 * writes are idempotent and a replay's repeated calls change nothing.
 */
import { proxySinks, type Sinks } from '@temporalio/workflow';
import type { InstanceSnapshot } from './processInstance/types';

export interface ProjectionSinks extends Sinks {
  projection: {
    instanceChanged(snapshot: InstanceSnapshot): void;
  };
}

export const { projection } = proxySinks<ProjectionSinks>();
