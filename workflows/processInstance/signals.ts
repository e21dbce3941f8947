/**
 * Signals in the adapter: the Temporal signal a broadcast arrives by (server/signals sends it
 * to every instance the projection shows waiting for the name) and the de-duplication of
 * deliveries (a retried broadcast carries the same id). Decision 0034.
 */
import { defineSignal } from '@temporalio/workflow';
import type { Variables } from '../../processes/evaluator';

/**
 * Signal events (patched marker): models with signal throws broadcast through an activity.
 * Only such models ask; they did not compile before this patch, so no recorded history meets it.
 */
export const SIGNALS_PATCH = 'signals';

export interface SignalDelivery {
  name: string;
  variables?: Variables;
  /** Deliveries with an id already seen are ignored (a retried broadcast). */
  signalId?: string;
}

export const bpmnSignal = defineSignal<[SignalDelivery]>('bpmnSignal');

const SEEN_SIGNAL_IDS = 1000;

/** The ids of the last deliveries, carried across continue-as-new. */
export class SeenSignals {
  readonly ids: string[];

  constructor(carried: string[] | undefined) {
    this.ids = [...(carried ?? [])];
  }

  /** True the first time an id is seen (deliveries without an id always pass). */
  first(signalId: string | undefined): boolean {
    if (signalId === undefined) return true;
    if (this.ids.includes(signalId)) return false;
    this.ids.push(signalId);
    if (this.ids.length > SEEN_SIGNAL_IDS) this.ids.shift();
    return true;
  }
}
