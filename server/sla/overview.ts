/**
 * The SLA overview computed from clock rows (pure: the rows come from the clock index).
 * Counts and trends cover the clocks started in [from, to); what breaches next covers every
 * running clock now, whenever it started.
 */
import { clockLabels, type SlaClockLabels, type SlaState } from '../projections/slaModels';
import { median } from './stats';

/** The part of an SLA clock the overview reads; times as epoch milliseconds. */
export interface ClockRow extends SlaClockLabels {
  id: string;
  definitionKey: string;
  state: SlaState;
  paused: boolean;
  startedAt: number;
  dueAt: number | null;
  elapsedMs: number | null;
  sequence: number;
}

export interface OverviewQuery {
  definitionKey?: string | undefined;
  department?: string | undefined;
  from: Date;
  to: Date;
  limit: number;
}

export type StateCounts = Record<SlaState, number>;
export interface GroupCounts extends StateCounts { key: string | null }

export interface BreachingNext extends SlaClockLabels {
  dueAt: string; remainingMs: number; state: SlaState;
}

export interface TrendDay {
  day: string; started: number; met: number; breached: number; breachRate: number | null;
  medianFirstResponseMs: number | null; medianResolutionMs: number | null;
}

export interface Overview {
  generatedAt: string;
  from: string;
  to: string;
  clocks: number;
  totals: StateCounts;
  byDepartment: GroupCounts[];
  bySeverity: GroupCounts[];
  byElement: GroupCounts[];
  byEngineer: GroupCounts[];
  breachingNext: BreachingNext[];
  trends: TrendDay[];
}

const DAY_MS = 86_400_000;
const zero = (): StateCounts => ({ ok: 0, at_risk: 0, breached: 0, met: 0 });
const utcDay = (ms: number) => new Date(ms).toISOString().slice(0, 10);

/** Unknown (null) keys last, the others in code-point order: the same order on every call. */
function byKey(a: GroupCounts, b: GroupCounts): number {
  if (a.key === b.key) return 0;
  if (a.key === null) return 1;
  if (b.key === null) return -1;
  return a.key < b.key ? -1 : 1;
}

class Grouping {
  private readonly groups = new Map<string | null, GroupCounts>();
  add(key: string | null, state: SlaState): void {
    let group = this.groups.get(key);
    if (!group) {
      group = { key, ...zero() };
      this.groups.set(key, group);
    }
    group[state] += 1;
  }
  list(): GroupCounts[] {
    return [...this.groups.values()].sort(byKey);
  }
}

interface DayAccumulator { day: string; started: number; met: number; breached: number; firstResponse: number[]; resolution: number[] }

/** One accumulator per UTC day from the day of `from` to the day of the last instant before `to`. */
function trendDays(from: number, to: number): DayAccumulator[] {
  const days: DayAccumulator[] = [];
  for (let t = Math.floor(from / DAY_MS) * DAY_MS; t < to; t += DAY_MS) {
    days.push({ day: utcDay(t), started: 0, met: 0, breached: 0, firstResponse: [], resolution: [] });
  }
  return days;
}

/** The clocks to count: those started around a period, and those running now. */
export interface OverviewSource {
  startedAround(from: number, to: number): Iterable<ClockRow>;
  running(): Iterable<ClockRow>;
}

const matches = (row: ClockRow, q: OverviewQuery) =>
  (q.definitionKey === undefined || row.definitionKey === q.definitionKey) &&
  (q.department === undefined || row.department === q.department);

export function isRunning(row: ClockRow): row is ClockRow & { dueAt: number } {
  return (row.state === 'ok' || row.state === 'at_risk') && !row.paused && row.dueAt !== null;
}

function breachingNext(running: Array<ClockRow & { dueAt: number }>, q: OverviewQuery, now: number): BreachingNext[] {
  running.sort((a, b) => a.dueAt - b.dueAt || (a.id < b.id ? -1 : a.id > b.id ? 1 : 0));
  return running.slice(0, q.limit).map((r) => ({
    ...clockLabels(r),
    dueAt: new Date(r.dueAt).toISOString(), remainingMs: r.dueAt - now, state: r.state,
  }));
}

export function computeOverview(source: OverviewSource, q: OverviewQuery, now: Date): Overview {
  const from = q.from.getTime();
  const to = q.to.getTime();
  const totals = zero();
  const groups = { department: new Grouping(), severity: new Grouping(), element: new Grouping(), engineer: new Grouping() };
  const days = trendDays(from, to);
  const firstDay = Math.floor(from / DAY_MS);
  let clocks = 0;
  const running: Array<ClockRow & { dueAt: number }> = [];
  for (const row of source.running()) if (isRunning(row) && matches(row, q)) running.push(row);
  for (const row of source.startedAround(from, to)) {
    if (row.startedAt < from || row.startedAt >= to || !matches(row, q)) continue;
    clocks += 1;
    totals[row.state] += 1;
    groups.department.add(row.department, row.state);
    groups.severity.add(row.severity, row.state);
    groups.element.add(row.elementId, row.state);
    groups.engineer.add(row.engineerId, row.state);
    const day = days[Math.floor(row.startedAt / DAY_MS) - firstDay];
    if (!day) continue;
    day.started += 1;
    if (row.state === 'met') day.met += 1;
    if (row.state === 'breached') day.breached += 1;
    if (row.elapsedMs !== null && (row.state === 'met' || row.state === 'breached')) {
      if (row.metric === 'firstResponse') day.firstResponse.push(row.elapsedMs);
      if (row.metric === 'resolution') day.resolution.push(row.elapsedMs);
    }
  }
  return {
    generatedAt: now.toISOString(),
    from: q.from.toISOString(),
    to: q.to.toISOString(),
    clocks,
    totals,
    byDepartment: groups.department.list(),
    bySeverity: groups.severity.list(),
    byElement: groups.element.list(),
    byEngineer: groups.engineer.list(),
    breachingNext: breachingNext(running, q, now.getTime()),
    trends: days.map((d) => ({
      day: d.day,
      started: d.started,
      met: d.met,
      breached: d.breached,
      breachRate: d.met + d.breached > 0 ? d.breached / (d.met + d.breached) : null,
      medianFirstResponseMs: median(d.firstResponse),
      medianResolutionMs: median(d.resolution),
    })),
  };
}
