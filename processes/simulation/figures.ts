/** The simulation's tallies and the figures made from them (types.ts SimulationResult). */
import type { DepartmentLoad, ElementFigures } from './types';

export function percentile(sorted: readonly number[], p: number): number | null {
  if (sorted.length === 0) return null;
  const rank = Math.ceil((p / 100) * sorted.length) - 1;
  return sorted[Math.min(sorted.length - 1, Math.max(0, rank))]!;
}

export class ElementTally {
  private readonly byElement = new Map<string, { count: number; durations: number[]; breached: number; incidents: number; incidentMessage: string | null }>();

  private entry(elementId: string) {
    let e = this.byElement.get(elementId);
    if (!e) {
      e = { count: 0, durations: [], breached: 0, incidents: 0, incidentMessage: null };
      this.byElement.set(elementId, e);
    }
    return e;
  }

  activated(elementId: string): void {
    this.entry(elementId).count++;
  }

  /** An activation ended; `durationMs` only when it completed. */
  ended(elementId: string, durationMs: number | null, breached: boolean): void {
    const e = this.entry(elementId);
    if (durationMs !== null) e.durations.push(durationMs);
    if (breached) e.breached++;
  }

  incident(elementId: string, message: string): void {
    const e = this.entry(elementId);
    e.incidents++;
    e.incidentMessage ??= message;
  }

  figures(order: readonly string[]): ElementFigures[] {
    const rank = new Map(order.map((id, i) => [id, i]));
    return [...this.byElement]
      .sort(([a], [b]) => (rank.get(a) ?? Infinity) - (rank.get(b) ?? Infinity) || (a < b ? -1 : a > b ? 1 : 0))
      .map(([elementId, e]) => {
        const sorted = e.durations.sort((a, b) => a - b);
        return {
          elementId,
          count: e.count,
          p50Ms: percentile(sorted, 50),
          p90Ms: percentile(sorted, 90),
          breachRate: e.count === 0 ? 0 : round(e.breached / e.count),
          incidents: e.incidents,
          incidentMessage: e.incidentMessage,
        };
      });
  }
}

/** Open user tasks per candidate group over virtual time. */
export class DepartmentTally {
  private readonly groups = new Map<string, { tasks: number; openMs: number; open: number; peak: number; area: number; since: number }>();

  private entry(group: string, now: number) {
    let g = this.groups.get(group);
    if (!g) {
      g = { tasks: 0, openMs: 0, open: 0, peak: 0, area: 0, since: now };
      this.groups.set(group, g);
    }
    g.area += g.open * (now - g.since);
    g.since = now;
    return g;
  }

  opened(groups: readonly string[], now: number): void {
    for (const group of groups) {
      const g = this.entry(group, now);
      g.tasks++;
      g.open++;
      g.peak = Math.max(g.peak, g.open);
    }
  }

  closed(groups: readonly string[], openedAt: number, now: number): void {
    for (const group of groups) {
      const g = this.entry(group, now);
      g.open--;
      g.openMs += now - openedAt;
    }
  }

  figures(spanMs: number, end: number): DepartmentLoad[] {
    return [...this.groups]
      .map(([group, g]) => {
        const area = g.area + g.open * (end - g.since);
        return {
          group,
          tasks: g.tasks,
          hours: round(g.openMs / 3_600_000, 1),
          averageOpen: spanMs > 0 ? round(area / spanMs, 2) : 0,
          peakOpen: g.peak,
        };
      })
      .sort((a, b) => b.hours - a.hours || (a.group < b.group ? -1 : 1));
  }
}

export function round(value: number, digits = 4): number {
  const f = 10 ** digits;
  return Math.round(value * f) / f;
}
