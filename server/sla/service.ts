/**
 * SLA operations: the overview (from the in-memory clock index), the breach records and the
 * per-element heat map (from the projections). One per API process; the projection writer
 * feeds `clocks.apply` when it runs in the same process.
 */
import type { Connection } from 'mongoose';
import { Unavailable } from '../domain/errors';
import type { Logger } from '../log';
import { projectionModels } from '../projections/models';
import { slaModels } from '../projections/slaModels';
import { listBreaches, type BreachQuery } from './breaches';
import { clockIndex, type ClockIndex } from './clockIndex';
import type { SlaFeedReader } from './feed';
import { computeHeatmap, type Heatmap, type HeatmapQuery } from './heatmap';
import { computeOverview, type Overview, type OverviewQuery } from './overview';

export interface SlaServiceOptions {
  mongo: Connection;
  log: Logger;
  /** Full re-read of the clocks (ms); 0 = only on first use. Default 5 min. */
  indexRefreshMs?: number;
  /** Instances the heat map reads at most (the newest of the period). Default 2000. */
  heatmapMaxInstances?: number;
  /** How long a heat map answer is reused for the same query (ms). Default 30 s. */
  heatmapCacheMs?: number;
  /** How long an overview waits for the first read of the clocks before answering 503 (ms). Default 10 s. */
  indexWaitMs?: number;
  /** Clock changes other processes published (decision 0014), read every `followMs`. */
  feed?: SlaFeedReader | undefined;
  followMs?: number;
}

export interface SlaService {
  clocks: ClockIndex;
  overview(q: OverviewQuery): Promise<Overview & { indexedAt: string | null }>;
  breaches: (q: BreachQuery) => ReturnType<typeof listBreaches>;
  heatmap(q: HeatmapQuery): Promise<Heatmap>;
  stop(): void;
}

/** The first full read can take a minute on 100,000 clocks: answer 503 rather than hold the request. */
async function waitForIndex(clocks: ClockIndex, waitMs: number): Promise<void> {
  let timer: NodeJS.Timeout | undefined;
  const waited = new Promise<'waited'>((resolve) => {
    timer = setTimeout(() => resolve('waited'), waitMs);
  });
  try {
    const outcome = await Promise.race([clocks.ready().then(() => 'ready' as const), waited]);
    if (outcome === 'waited') throw new Unavailable('sla_index_loading', 'The SLA clocks are still being read; try again in a minute');
  } finally {
    clearTimeout(timer);
  }
}

export function createSlaService(options: SlaServiceOptions): SlaService {
  const sla = slaModels(options.mongo);
  const projections = projectionModels(options.mongo);
  const clocks = clockIndex(sla, options.log, {
    ...(options.indexRefreshMs !== undefined ? { refreshMs: options.indexRefreshMs } : {}),
    ...(options.feed ? { feed: options.feed } : {}),
    ...(options.followMs !== undefined ? { followMs: options.followMs } : {}),
  });
  const maxInstances = options.heatmapMaxInstances ?? 2000;
  const cacheMs = options.heatmapCacheMs ?? 30_000;
  const heatmaps = new Map<string, { at: number; value: Promise<Heatmap> }>();

  return {
    clocks,
    async overview(q) {
      await waitForIndex(clocks, options.indexWaitMs ?? 10_000);
      const overview = computeOverview(clocks, q, new Date());
      return { ...overview, indexedAt: clocks.loadedAt()?.toISOString() ?? null };
    },
    breaches: (q) => listBreaches(sla, q),
    heatmap(q) {
      const key = JSON.stringify([q.definitionKey, q.version ?? null, q.from.getTime(), q.to.getTime()]);
      const now = Date.now();
      for (const [k, v] of heatmaps) if (now - v.at > cacheMs) heatmaps.delete(k);
      const cached = heatmaps.get(key);
      if (cached) return cached.value;
      const value = computeHeatmap(projections, q, maxInstances);
      heatmaps.set(key, { at: now, value });
      value.catch(() => heatmaps.delete(key));
      return value;
    },
    stop: () => clocks.stop(),
  };
}
