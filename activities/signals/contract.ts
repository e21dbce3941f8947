/** Types of the signal broadcast activity (workflow-safe: types only). */
import type { Variables } from '../../processes/evaluator';

export interface SignalBroadcastRequest {
  signalName: string;
  variables: Variables;
  /**
   * Makes the broadcast idempotent: instances ignore a delivery id they have seen, and signal
   * starts use instance ids derived from it, so a retried activity reaches nobody twice.
   */
  signalId: string;
}

export interface SignalBroadcastResult {
  /** Instances the signal was delivered to. */
  delivered: number;
  /** Instances its signal start events started. */
  started: number;
}

export interface SignalActivities {
  /** Broadcasts a signal thrown by a signal intermediate throw or end event (server/signals). */
  broadcastSignal(request: SignalBroadcastRequest): Promise<SignalBroadcastResult>;
}
