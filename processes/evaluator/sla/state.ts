/**
 * The SLA clocks in the evaluator state (`State.sla`, present only when the model has SLA
 * policies): what sla/clocks.ts keeps, sla/view.ts shows and the adapter carries across
 * continue-as-new. Part of the contract in ../types.ts, which re-exports these types.
 */

export type SlaClockState = 'ok' | 'at_risk' | 'breached' | 'met';

/**
 * One SLA clock. Business time consumed is `consumedMs` plus the business time since
 * `runningSince`; while paused `runningSince` is null. At most one timer: the next threshold.
 */
export interface SlaClock {
  /** Stable in the instance: the policy id, or `policy:element:n` for per-element clocks. */
  clockKey: string;
  policyId: string;
  metric: 'firstResponse' | 'resolution' | 'element';
  elementId: string | null;
  /** The element instance a per-element clock belongs to. */
  elementInstanceKey: string | null;
  state: SlaClockState;
  startedAt: number;
  severity: string | null;
  customerTier: string | null;
  /** The selected target in business ms. */
  targetMs: number;
  consumedMs: number;
  runningSince: number | null;
  pausedSince: number | null;
  /** Wall-clock ms spent paused (closed pauses). */
  pausedMs: number;
  /** Warning thresholds fired, in order. */
  warnings: Array<{ threshold: number; at: number }>;
  breach: { dueAt: number; at: number; escalatedTo: string[] } | null;
  /** When the clock stopped (met, or breached and then stopped). */
  stoppedAt: number | null;
  /** Business ms from start to stop. */
  elapsedMs: number | null;
  /** The durable timer for the next threshold (100 = breach). */
  timer: { key: string; dueAt: number; threshold: number } | null;
  /** Timers started so far; makes each timer key unique. */
  timerCount: number;
}

export interface SlaState {
  clocks: SlaClock[];
}
