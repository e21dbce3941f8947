/** Read-only views of the SLA clocks for the adapter's query and projection. */
import type { ProcessModel } from '../../model/types';
import type { SlaClock, SlaClockState, State } from '../types';
import { calendarOf, instantOf } from './targets';

export interface SlaClockView {
  clockKey: string;
  policyId: string;
  calendarId: string | null;
  metric: SlaClock['metric'];
  elementId: string | null;
  /** The user task (wait key) a per-element clock belongs to, when its element is a user task. */
  taskKey: string | null;
  state: SlaClockState;
  paused: boolean;
  severity: string | null;
  customerTier: string | null;
  startedAt: number;
  targetMs: number;
  /** Breach instant while running (or when breached); null while paused or once met. */
  dueAt: number | null;
  /** Business ms left, while paused; null while running (see dueAt) or stopped. */
  remainingMs: number | null;
  /** Business ms used until the last pause or start (add the time since `runningSince`). */
  consumedMs: number;
  runningSince: number | null;
  /** Since when the clock is paused (null while running or stopped). */
  pausedSince: number | null;
  /** Wall-clock ms of the pauses that ended (add now - pausedSince while paused). */
  pausedMs: number;
  warnings: Array<{ threshold: number; at: number }>;
  breach: { dueAt: number; at: number; escalatedTo: string[] } | null;
  metAt: number | null;
  elapsedMs: number | null;
  /** The next threshold (percent, 100 = breach) and when it is due, while running. */
  next: { threshold: number; dueAt: number } | null;
}

export function slaClockViews(model: ProcessModel, state: State): SlaClockView[] {
  const sla = model.sla;
  if (!sla || !state.sla) return [];
  const userTasks = Object.values(state.waits).filter((w) => w.type === 'userTask');
  return state.sla.clocks.map((clock) => {
    const policy = sla.policies.find((p) => p.id === clock.policyId);
    const running = clock.stoppedAt === null && clock.runningSince !== null;
    const dueAt = clock.breach ? clock.breach.dueAt : running && policy ? instantOf(clock, calendarOf(sla, policy), 100) : null;
    const task = clock.elementInstanceKey === null ? undefined : userTasks.find((w) => w.ownerKey === clock.elementInstanceKey);
    return {
      clockKey: clock.clockKey,
      policyId: clock.policyId,
      calendarId: policy?.calendarId ?? null,
      metric: clock.metric,
      elementId: clock.elementId,
      taskKey: task?.key ?? null,
      state: clock.state,
      paused: clock.stoppedAt === null && clock.runningSince === null,
      severity: clock.severity,
      customerTier: clock.customerTier,
      startedAt: clock.startedAt,
      targetMs: clock.targetMs,
      dueAt: clock.state === 'met' ? null : dueAt,
      remainingMs: clock.stoppedAt === null && clock.runningSince === null ? Math.max(0, clock.targetMs - clock.consumedMs) : null,
      consumedMs: clock.consumedMs,
      runningSince: clock.runningSince,
      pausedSince: clock.stoppedAt === null ? clock.pausedSince : null,
      pausedMs: clock.pausedMs,
      warnings: clock.warnings,
      breach: clock.breach,
      metAt: clock.state === 'met' ? clock.stoppedAt : null,
      elapsedMs: clock.elapsedMs,
      next: clock.timer && clock.stoppedAt === null ? { threshold: clock.timer.threshold, dueAt: clock.timer.dueAt } : null,
    };
  });
}

/** The running SLA timers (re-armed after continue-as-new like the BPMN timers). */
export function pendingSlaTimers(state: State): Array<{ key: string; elementId: string; dueAt: number }> {
  return (state.sla?.clocks ?? []).flatMap((c) => (c.timer ? [{ key: c.timer.key, elementId: c.elementId ?? state.processId, dueAt: c.timer.dueAt }] : []));
}
