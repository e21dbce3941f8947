/**
 * The SLA clocks in memory, so that the overview answers without scanning `sla_clocks`.
 *
 * FerretDB 1.24 on SQLite pushes only `_id` equality down to SQLite: every other filter,
 * sort or `$group` decodes the whole collection in FerretDB (measured: 12-27 s for 100,000
 * clocks on a busy 2-core machine, whatever the indexes). So the API process reads the
 * collection once (a projection of the fields the overview needs, in batches), keeps one
 * compact row per clock, and stays current three ways:
 * - `apply(record)`: the projection writer hands over each clock it wrote (same process,
 *   e.g. `npm start`), so the overview is live;
 * - `feed` (decision 0014): every `followMs` the rows other processes (separate workers,
 *   other API processes with a worker) published to the SLA feed, read by `_id`; a full read
 *   takes the feed's heads when it starts and the feed is followed from there, also while
 *   the read runs; a reader that fell too far behind (entries overwritten unread) reads
 *   everything again;
 * - a full re-read every `refreshMs` (default 5 min) as the backstop for anything missed.
 * Rows are merged by `sequence`: an older write never replaces a newer row.
 */
import type { Logger } from '../log';
import { clockLabels, SLA_CLOCK_LABELS, type SlaClockRecord, type SlaModels } from '../projections/slaModels';
import type { FeedCursors, SlaFeedReader } from './feed';
import { isRunning, type ClockRow } from './overview';

/** What the overview reads: the clocks started in a period, and the running ones. */
export interface ClockSource {
  /** Rows with startedAt in [from, to) (and a few around it: whole UTC days; callers filter). */
  startedAround(from: number, to: number): Iterable<ClockRow>;
  /** Rows that are running now (state ok/at_risk, not paused, with a dueAt). */
  running(): Iterable<ClockRow>;
}

export interface ClockIndex extends ClockSource {
  /** Resolves when the rows have been read at least once (starts the first read if needed). */
  ready(): Promise<void>;
  size(): number;
  /** When the last full read finished (null before the first). */
  loadedAt(): Date | null;
  /** Folds one written clock in (the projection writer calls this after each clock write). */
  apply(record: SlaClockRecord): void;
  /** Re-reads the whole collection now. */
  reload(): Promise<void>;
  /** Reads the feed now (the timer does it every `followMs`). */
  follow(): Promise<void>;
  stop(): void;
}

const ROW_FIELDS = [...SLA_CLOCK_LABELS, 'definitionKey', 'state', 'paused', 'startedAt', 'dueAt', 'elapsedMs', 'sequence'] as const;
const FIELDS = Object.fromEntries(ROW_FIELDS.map((field) => [field, 1]));

type Projected = Pick<SlaClockRecord, '_id' | (typeof ROW_FIELDS)[number]>;

const time = (d: Date | string | null | undefined): number | null => (d === null || d === undefined ? null : new Date(d).getTime());

export function toRow(r: Projected): ClockRow {
  return {
    id: r._id,
    ...clockLabels(r),
    definitionKey: r.definitionKey,
    state: r.state,
    paused: r.paused === true,
    startedAt: time(r.startedAt) ?? 0,
    dueAt: time(r.dueAt),
    elapsedMs: r.elapsedMs ?? null,
    sequence: r.sequence ?? 0,
  };
}

const BATCH = 2000;
const DAY_MS = 86_400_000;
const dayOf = (ms: number) => Math.floor(ms / DAY_MS);

/**
 * The rows by id, with two secondary views kept in step: by UTC day of start (so a period
 * visits only its own days) and the running clocks (so what breaches next ignores the rest).
 */
class Rows {
  readonly byId = new Map<string, ClockRow>();
  private readonly byDay = new Map<number, Map<string, ClockRow>>();
  readonly running = new Map<string, ClockRow>();

  /** Stores `row` unless a newer sequence of it is stored. */
  put(row: ClockRow): void {
    const stored = this.byId.get(row.id);
    if (stored && stored.sequence > row.sequence) return;
    if (stored) this.byDay.get(dayOf(stored.startedAt))?.delete(row.id);
    this.byId.set(row.id, row);
    const day = dayOf(row.startedAt);
    let bucket = this.byDay.get(day);
    if (!bucket) {
      bucket = new Map();
      this.byDay.set(day, bucket);
    }
    bucket.set(row.id, row);
    if (isRunning(row)) this.running.set(row.id, row);
    else this.running.delete(row.id);
  }

  *startedAround(from: number, to: number): Iterable<ClockRow> {
    for (let day = dayOf(from); day <= dayOf(to); day++) {
      const bucket = this.byDay.get(day);
      if (bucket) yield* bucket.values();
    }
  }
}
export const DEFAULT_REFRESH_MS = 5 * 60_000;

export interface ClockIndexOptions {
  refreshMs?: number;
  /** Changes other processes published (decision 0014); absent = only `apply` and the full re-read. */
  feed?: SlaFeedReader;
  /** How often the feed is read (ms; default 1 s; 0 = never). */
  followMs?: number;
}

export function clockIndex(models: SlaModels, log: Logger, options: ClockIndexOptions = {}): ClockIndex {
  let rows = new Rows();
  let loaded: Date | null = null;
  let loading: Promise<void> | undefined;
  /** Rows applied while a full read runs: merged over its result, newer sequence wins. */
  let appliedDuringLoad: ClockRow[] | undefined;
  let timer: NodeJS.Timeout | undefined;
  let followTimer: NodeJS.Timeout | undefined;
  const refreshMs = options.refreshMs ?? DEFAULT_REFRESH_MS;
  const followMs = options.followMs ?? 1000;
  /** Where the feed is read from next; set when a full read starts. `generation` counts those resets. */
  let cursors: FeedCursors | undefined;
  let generation = 0;
  let following = false;

  const put = (row: ClockRow) => {
    rows.put(row);
    appliedDuringLoad?.push(row);
  };

  const follow = async () => {
    const feed = options.feed;
    if (!feed || !cursors || following) return;
    following = true;
    try {
      const at = generation;
      const found = await feed.since(cursors);
      if (found === 'lapped') {
        // Entries were overwritten before this process read them: only a full read is exact again.
        log.warn('SLA feed: changes were missed; reading all clocks again');
        if (!loading) void reload().catch((err: unknown) => log.warn({ err }, 'SLA clock index re-read failed'));
        return;
      }
      for (const row of found.rows) put(row);
      if (at === generation) cursors = found.cursors;
    } finally {
      following = false;
    }
  };

  const read = async () => {
    const started = Date.now();
    appliedDuringLoad = [];
    const fresh = new Rows();
    try {
      if (options.feed) {
        // Whatever is published from here on is followed while the collection is read.
        cursors = await options.feed.heads();
        generation += 1;
      }
      const cursor = models.clocks.find({}, FIELDS).lean<Projected[]>().batchSize(BATCH).cursor();
      for await (const doc of cursor) fresh.put(toRow(doc as Projected));
      for (const row of appliedDuringLoad) fresh.put(row);
      rows = fresh;
      loaded = new Date();
      log.info({ clocks: fresh.byId.size, ms: Date.now() - started }, 'SLA clock index read');
    } finally {
      appliedDuringLoad = undefined;
    }
  };

  const reload = () => {
    loading ??= read().finally(() => {
      loading = undefined;
    });
    return loading;
  };

  const schedule = () => {
    if (options.feed && followMs > 0 && !followTimer) {
      followTimer = setInterval(() => {
        follow().catch((err: unknown) => log.warn({ err }, 'SLA feed read failed'));
      }, followMs);
      followTimer.unref();
    }
    if (refreshMs <= 0 || timer) return;
    timer = setInterval(() => {
      reload().catch((err: unknown) => log.warn({ err }, 'SLA clock index refresh failed'));
    }, refreshMs);
    timer.unref();
  };

  return {
    async ready() {
      schedule();
      if (!loaded) await reload();
    },
    size: () => rows.byId.size,
    startedAround: (from, to) => rows.startedAround(from, to),
    running: () => rows.running.values(),
    loadedAt: () => loaded,
    apply(record) {
      put(toRow(record));
    },
    reload,
    follow,
    stop() {
      if (timer) clearInterval(timer);
      if (followTimer) clearInterval(followTimer);
      timer = undefined;
      followTimer = undefined;
    },
  };
}
