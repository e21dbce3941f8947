/**
 * SLA clocks as the API shows them (per instance, per complaint, per task): ISO times and the
 * business time left, computed now from the policy's calendar while the clock runs.
 */
import { businessTimeBetween } from '../../processes/calendar';
import type { SlaClockView } from '../../processes/evaluator';
import { SHIPPED_CALENDARS } from '../../processes/sla/calendars';
import type { SlaClockCore, SlaClockRecord } from '../projections/slaModels';
import { clockCore } from '../projections/slaWriter';

const iso = (ms: number | Date | null): string | null => (ms === null ? null : new Date(ms).toISOString());

/** Business ms left: stored while paused; until the due instant while running; null once met. */
export function remainingNow(clock: { state: string; paused: boolean; remainingMs: number | null; dueAt: number | Date | null; calendarId?: string | null }, now: number): number | null {
  if (clock.state === 'met') return null;
  if (clock.paused) return clock.remainingMs;
  if (clock.dueAt === null) return null;
  const due = new Date(clock.dueAt).getTime();
  if (due <= now) return 0;
  const calendar = clock.calendarId ? SHIPPED_CALENDARS.get(clock.calendarId) : undefined;
  return calendar ? businessTimeBetween(calendar, now, due) : null;
}

/** The one API form of the fields every clock shares (SlaClock in schemas.ts, plus metAt and elapsedMs). */
function apiClockCore(clock: SlaClockCore, now: number) {
  return {
    clockKey: clock.clockKey,
    policyId: clock.policyId,
    metric: clock.metric,
    elementId: clock.elementId,
    taskId: clock.taskId,
    state: clock.state,
    paused: clock.paused,
    severity: clock.severity,
    customerTier: clock.customerTier,
    startedAt: iso(clock.startedAt),
    targetMs: clock.targetMs,
    dueAt: iso(clock.dueAt),
    remainingMs: remainingNow(clock, now),
    pausedMs: clock.pausedMs,
    metAt: iso(clock.metAt),
    elapsedMs: clock.elapsedMs,
  };
}

export function apiClockFromView(clock: SlaClockView, instanceId: string, now: number) {
  return {
    ...apiClockCore(clockCore(clock, instanceId, now), now),
    warnings: clock.warnings.map((w) => ({ threshold: w.threshold, at: iso(w.at) })),
    breach: clock.breach && { dueAt: iso(clock.breach.dueAt), at: iso(clock.breach.at), escalatedTo: clock.breach.escalatedTo },
  };
}

/** The live instance view with its clocks and task clock states in API form. */
export function withApiClocks<T extends { slaClocks?: SlaClockView[]; tasks: Array<{ sla?: { dueAt: number | null } | null }> }>(view: T, instanceId: string, now: number) {
  const { slaClocks, tasks, ...rest } = view;
  if (slaClocks === undefined) return view;
  return {
    ...rest,
    tasks: tasks.map((t) => (t.sla ? { ...t, sla: { ...t.sla, dueAt: iso(t.sla.dueAt) } } : t)),
    slaClocks: slaClocks.map((c) => apiClockFromView(c, instanceId, now)),
  };
}

export function apiClockFromRecord(clock: SlaClockRecord, now: number) {
  // The stored pausedMs counts up to the record's update; an open pause goes on until now.
  const openPause = clock.paused && clock.state !== 'met' ? Math.max(0, now - clock.updatedAt.getTime()) : 0;
  return {
    instanceId: clock.instanceId,
    ...apiClockCore({ ...clock, pausedMs: clock.pausedMs + openPause }, now),
    warningsFired: clock.warningsFired,
    breachedAt: iso(clock.breachedAt),
  };
}
