/** The signal broadcast activity: hands a thrown signal to the service's broadcaster (server/signals). */
import { ApplicationFailure } from '@temporalio/common';
import type { SignalActivities, SignalBroadcastRequest, SignalBroadcastResult } from './contract';

/** What the worker's process provides (server/wiring.ts passes the signals service). */
export type SignalBroadcaster = (request: SignalBroadcastRequest) => Promise<SignalBroadcastResult>;

export function createSignalActivities(broadcaster?: SignalBroadcaster): SignalActivities {
  return {
    async broadcastSignal(request) {
      if (!broadcaster) throw ApplicationFailure.nonRetryable('this worker has no signal broadcaster');
      return broadcaster(request);
    },
  };
}
