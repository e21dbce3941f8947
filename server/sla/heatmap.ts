/**
 * Where time is spent in a process definition: for each element, the durations between an
 * element's activation and its completion (from `element_events`), over the instances of
 * the definition started in [from, to): count, median and p90.
 *
 * `element_events` has no definition key, so the instances are found first (the newest
 * `maxInstances`, a bounded scan), then their events in chunks of ids. Pairs are matched per
 * instance and element in history order, first activated with first completed; a terminated
 * element closes its activation without a duration.
 */
import { trusted } from 'mongoose';
import type { ElementEventRecord, ProjectionModels } from '../projections/models';
import { median, percentile } from './stats';

export interface HeatmapQuery {
  definitionKey: string;
  version?: number | undefined;
  from: Date;
  to: Date;
}

export interface HeatmapElement { elementId: string; elementType: string; count: number; medianMs: number; p90Ms: number }

export interface Heatmap {
  definitionKey: string;
  version: number | null;
  from: string;
  to: string;
  instances: number;
  /** True when more instances started in the period than were read (`maxInstances`). */
  truncated: boolean;
  elements: HeatmapElement[];
}

type EventRow = Pick<ElementEventRecord, 'instanceId' | 'index' | 'elementId' | 'elementType' | 'event' | 'time'>;

/** Durations per element from one instance's events (any order; sorted by index here). */
export function elementDurations(events: readonly EventRow[], into: Map<string, { type: string; durations: number[] }>): void {
  const open = new Map<string, number[]>();
  for (const e of [...events].sort((a, b) => a.index - b.index)) {
    const waiting = open.get(e.elementId) ?? [];
    if (e.event === 'activated') {
      waiting.push(new Date(e.time).getTime());
      open.set(e.elementId, waiting);
      continue;
    }
    const activatedAt = waiting.shift();
    if (activatedAt === undefined || e.event !== 'completed') continue;
    const entry = into.get(e.elementId) ?? { type: e.elementType, durations: [] };
    entry.durations.push(new Date(e.time).getTime() - activatedAt);
    into.set(e.elementId, entry);
  }
}

// One query for all the instances read: FerretDB scans element_events once per query, whatever the filter.
const CHUNK = 5000;

export async function computeHeatmap(models: ProjectionModels, q: HeatmapQuery, maxInstances: number): Promise<Heatmap> {
  const filter = {
    definitionKey: q.definitionKey,
    ...(q.version !== undefined ? { definitionVersion: q.version } : {}),
    startedAt: trusted({ $gte: q.from, $lt: q.to }),
  };
  const found = await models.instances.find(filter, { _id: 1 }).sort({ startedAt: -1, _id: 1 }).limit(maxInstances + 1).lean<Array<{ _id: string }>>();
  const ids = found.slice(0, maxInstances).map((i) => i._id);
  const byElement = new Map<string, { type: string; durations: number[] }>();
  for (let i = 0; i < ids.length; i += CHUNK) {
    const chunk = ids.slice(i, i + CHUNK);
    const events = await models.elementEvents
      .find({ instanceId: trusted({ $in: chunk }) }, { instanceId: 1, index: 1, elementId: 1, elementType: 1, event: 1, time: 1 })
      .lean<EventRow[]>();
    const perInstance = new Map<string, EventRow[]>();
    for (const e of events) {
      const list = perInstance.get(e.instanceId) ?? [];
      list.push(e);
      perInstance.set(e.instanceId, list);
    }
    for (const list of perInstance.values()) elementDurations(list, byElement);
  }
  const elements = [...byElement].map(([elementId, { type, durations }]) => ({
    elementId,
    elementType: type,
    count: durations.length,
    medianMs: median(durations) ?? 0,
    p90Ms: percentile(durations, 90) ?? 0,
  }));
  elements.sort((a, b) => b.medianMs - a.medianMs || (a.elementId < b.elementId ? -1 : a.elementId > b.elementId ? 1 : 0));
  return {
    definitionKey: q.definitionKey,
    version: q.version ?? null,
    from: q.from.toISOString(),
    to: q.to.toISOString(),
    instances: ids.length,
    truncated: found.length > maxInstances,
    elements,
  };
}
