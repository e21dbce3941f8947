/**
 * SLA policies as compiled into the model (see docs/sla.md). Plain JSON, like the rest of
 * the model: they travel in the workflow input and are versioned with the definition.
 */
import type { BusinessCalendar, Weekday } from '../calendar';

export type SlaMetric = 'firstResponse' | 'resolution' | 'element';

/** One step of an escalation chain. */
export type EscalationLevel =
  /** A job of the `notify.<channel>` integration; `to` is the recipient (address, group name). */
  | { type: 'notify'; channel: string; to: string | null; url: string | null; credential: string | null }
  /** Moves the clock's open user tasks to a group (unclaimed) or to a user. */
  | { type: 'reassign'; group: string | null; user: string | null }
  /** Raises the priority of the clock's open user tasks by `by` (capped at 100). */
  | { type: 'raisePriority'; by: number };

export interface Escalation {
  /** A warning threshold in percent, or 100 for the breach. */
  at: number;
  levels: EscalationLevel[];
}

export interface SlaTarget {
  /** Matches the severity variable; null = any. */
  severity: string | null;
  /** Matches the customer tier variable; null = any. */
  customerTier: string | null;
  /** As written (ISO 8601 duration, business time). */
  duration: string;
  /** Business milliseconds. */
  durationMs: number;
}

export interface SlaPolicyDef {
  id: string;
  name: string | null;
  metric: SlaMetric;
  /** The element the policy is written on; null = the process. */
  attachedTo: string | null;
  /** metric 'element': the element whose every activation gets a clock. */
  elementId: string | null;
  /** Elements whose activation starts the clock; empty = the process start (not for 'element'). */
  startAt: string[];
  /** Elements whose completion stops the clock; empty = the process end (not for 'element'). */
  stopAt: string[];
  /** While any of these elements is active, the clock is paused. */
  pauseWhile: string[];
  calendarId: string;
  severityVariable: string;
  tierVariable: string;
  /** Most specific match wins: severity and tier, then one of them, then the fallback. */
  targets: SlaTarget[];
  /** Warning thresholds in percent, strictly increasing, each below 100. */
  thresholds: number[];
  /** Chains by threshold (100 = breach), in threshold order. */
  escalations: Escalation[];
}

export interface SlaModel {
  policies: SlaPolicyDef[];
  /** Every calendar a policy names, resolved at deploy time: the workflow gets them as data. */
  calendars: StoredCalendar[];
}

/**
 * A business calendar as kept in the model: working intervals as `"09:00-17:00"` strings,
 * because FerretDB (where deployed models are stored) refuses nested arrays.
 */
export interface StoredCalendar extends Omit<BusinessCalendar, 'workingHours'> {
  workingHours: Partial<Record<Weekday, string[]>>;
}

export function storeCalendar(calendar: BusinessCalendar): StoredCalendar {
  const workingHours: Partial<Record<Weekday, string[]>> = {};
  for (const [day, intervals] of Object.entries(calendar.workingHours) as Array<[Weekday, readonly (readonly [string, string])[]]>) {
    workingHours[day] = intervals.map(([from, to]) => `${from}-${to}`);
  }
  return { ...calendar, workingHours };
}

/** Loaded calendars by stored object: the model's calendars are read on every clock step. */
const loaded = new WeakMap<StoredCalendar, BusinessCalendar>();

export function loadCalendar(stored: StoredCalendar): BusinessCalendar {
  let found = loaded.get(stored);
  if (!found) {
    found = loadNow(stored);
    loaded.set(stored, found);
  }
  return found;
}

function loadNow(stored: StoredCalendar): BusinessCalendar {
  const workingHours: BusinessCalendar['workingHours'] = {};
  for (const [day, intervals] of Object.entries(stored.workingHours) as Array<[Weekday, string[]]>) {
    workingHours[day] = intervals.map((text) => {
      const [from = '', to = ''] = text.split('-');
      return [from, to] as const;
    });
  }
  return { ...stored, workingHours };
}
