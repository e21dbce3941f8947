/** Target selection and threshold instants of SLA clocks (pure business-calendar arithmetic). */
import { addBusinessDuration, businessTimeBetween, type BusinessCalendar } from '../../calendar';
import { loadCalendar, type SlaModel, type SlaPolicyDef, type SlaTarget } from '../../sla/types';
import type { SlaClock, Variables } from '../types';

const label = (value: unknown): string | null =>
  typeof value === 'string' && value !== '' ? value : typeof value === 'number' ? String(value) : null;

/** The severity and tier the policy reads from the process variables. */
export function classify(policy: SlaPolicyDef, vars: Variables): { severity: string | null; customerTier: string | null } {
  return { severity: label(vars[policy.severityVariable]), customerTier: label(vars[policy.tierVariable]) };
}

/** The most specific target: severity and tier, then severity, then tier, then the fallback. */
export function selectTarget(policy: SlaPolicyDef, severity: string | null, tier: string | null): SlaTarget {
  const score = (t: SlaTarget): number => {
    if (t.severity !== null && t.severity !== severity) return -1;
    if (t.customerTier !== null && t.customerTier !== tier) return -1;
    return (t.severity !== null ? 2 : 0) + (t.customerTier !== null ? 1 : 0);
  };
  let best: SlaTarget | undefined;
  for (const t of policy.targets) if (score(t) >= 0 && (best === undefined || score(t) > score(best))) best = t;
  // The compiler requires a fallback target, so there always is one.
  if (best === undefined) throw new Error(`sla policy '${policy.id}' has no fallback target`);
  return best;
}

export function calendarOf(sla: SlaModel, policy: SlaPolicyDef): BusinessCalendar {
  const calendar = sla.calendars.find((c) => c.id === policy.calendarId);
  if (!calendar) throw new Error(`sla policy '${policy.id}': calendar '${policy.calendarId}' missing from the model`);
  return loadCalendar(calendar);
}

/** Business ms used so far (running part included). */
export function consumed(clock: SlaClock, calendar: BusinessCalendar, now: number): number {
  if (clock.runningSince === null) return clock.consumedMs;
  return clock.consumedMs + businessTimeBetween(calendar, clock.runningSince, Math.max(now, clock.runningSince));
}

/** The instant a running clock reaches `percent` of its target (in the past if already passed). */
export function instantOf(clock: SlaClock, calendar: BusinessCalendar, percent: number): number | null {
  if (clock.runningSince === null) return null;
  const at = (clock.targetMs * percent) / 100;
  const left = Math.ceil(at - clock.consumedMs);
  if (left <= 0) return clock.runningSince;
  return addBusinessDuration(calendar, clock.runningSince, left);
}

/** Thresholds not fired yet, in order; 100 is the breach. */
export function pendingThresholds(clock: SlaClock, policy: SlaPolicyDef): number[] {
  if (clock.breach !== null) return [];
  const fired = new Set(clock.warnings.map((w) => w.threshold));
  return [...policy.thresholds.filter((t) => !fired.has(t)), 100];
}
