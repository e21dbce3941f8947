/**
 * How the SLA overview of every API process follows clock changes written by any process
 * (decision 0014), without rescanning `sla_clocks`.
 *
 * FerretDB 1.24 hands only an exact `{ _id }` filter to its backend; any other filter (an
 * indexed `updatedAt > t` included) decodes the whole collection in FerretDB — about 0.1 ms
 * per document on SQLite, seconds for 100,000 clocks. So changes travel through a small
 * feed read by `_id`:
 *
 * - Each process that writes projections is a *writer* with a random id. What its flushes
 *   wrote to `sla_clocks` it gathers (newest row per clock) and publishes every
 *   PUBLISH_MS as one entry in `sla_feed`, in a ring of FEED_SLOTS slots per writer
 *   (`_id` = `<writer>:<slot>`, the entry carries its sequence number `seq`), then raises its
 *   `head` (next seq) in `sla_feed_writers` (`_id` = writer). Only the writer writes its own
 *   documents, so no write races another.
 * - Each API process reads `sla_feed_writers` (a handful of small documents) every
 *   SLA_INDEX_FOLLOW_SECONDS and, for each writer whose head moved, the new entries by `_id`.
 *   An entry overwritten before it was read (the reader fell FEED_SLOTS entries behind) is
 *   noticed by its `seq` and answered with a full re-read of the clocks.
 * - Rows merge into the index by `sequence`, so entries read twice, late or out of order
 *   change nothing; a full read takes the heads first and follows from there.
 * - Writers refresh `heartbeatAt` with every head and every HEARTBEAT_MS; a writer silent for
 *   STALE_MS (a stopped or dead process) is removed, with its slots, by the next writer that
 *   registers.
 */
import { randomUUID } from 'node:crypto';
import type { Connection } from 'mongoose';
import type { Logger } from '../log';
import { slices } from '../db/commandSize';
import type { SlaClockRecord } from '../projections/slaModels';
import { toRow } from './clockIndex';
import type { ClockRow } from './overview';

export const FEED_WRITERS = 'sla_feed_writers';
export const FEED_ENTRIES = 'sla_feed';
/** Entries kept per writer: at one entry per PUBLISH_MS that is a minute of changes. */
export const FEED_SLOTS = 128;
const PUBLISH_MS = 500;
/** Rows per entry (~350 bytes each): keeps an entry small to read. */
const MAX_ROWS_PER_ENTRY = 250;
const HEARTBEAT_MS = 5 * 60_000;
const STALE_MS = 60 * 60_000;

interface WriterDoc {
  _id: string;
  startedAt: Date;
  heartbeatAt: Date;
  /** The seq of the next entry: entries 0 … head-1 have been published. */
  head: number;
}

interface EntryDoc {
  _id: string;
  writer: string;
  seq: number;
  at: Date;
  rows: ClockRow[];
}

const slotId = (writer: string, seq: number) => `${writer}:${seq % FEED_SLOTS}`;

function collections(connection: Connection) {
  const db = () => {
    if (!connection.db) throw new Error('MongoDB is not connected');
    return connection.db;
  };
  return {
    writers: () => db().collection<WriterDoc>(FEED_WRITERS),
    entries: () => db().collection<EntryDoc>(FEED_ENTRIES),
  };
}

/** Where a reader stands: per writer, the seq of the next entry to read. */
export type FeedCursors = Map<string, number>;

export interface SlaFeedReader {
  /** Every writer's head now: a full read of the clocks started after this follows from here. */
  heads(): Promise<FeedCursors>;
  /** The rows published after `cursors`, and where to continue; `lapped` when some were overwritten unread. */
  since(cursors: FeedCursors): Promise<{ rows: ClockRow[]; cursors: FeedCursors } | 'lapped'>;
}

export function slaFeedReader(connection: Connection, options: { ownWriter?: string } = {}): SlaFeedReader {
  const { writers, entries } = collections(connection);
  const list = async () => (await writers().find({}).toArray()).filter((w) => w._id !== options.ownWriter);
  return {
    async heads() {
      return new Map((await list()).map((w) => [w._id, w.head]));
    },
    async since(cursors) {
      const next: FeedCursors = new Map();
      const rows: ClockRow[] = [];
      for (const writer of await list()) {
        // A writer first seen now started after the cursors were taken: all its entries are new.
        let at = cursors.get(writer._id) ?? 0;
        if (writer.head - at > FEED_SLOTS) return 'lapped';
        for (; at < writer.head; at += 1) {
          const entry = await entries().findOne({ _id: slotId(writer._id, at) });
          if (!entry || entry.seq !== at) return 'lapped';
          rows.push(...entry.rows);
        }
        next.set(writer._id, at);
      }
      return { rows, cursors: next };
    },
  };
}

export interface SlaFeedPublisher {
  /** This process's writer id (its reader skips it: its own rows reach its index directly). */
  readonly writerId: string;
  /** A clock document the projection writer stored. */
  add(record: SlaClockRecord): void;
  /** Publishes what is gathered now and waits for it (before the connection closes). */
  drain(): Promise<void>;
  stop(): void;
}

export function slaFeedPublisher(connection: Connection, log: Logger, options: { publishMs?: number; now?: () => Date } = {}): SlaFeedPublisher {
  const { writers, entries } = collections(connection);
  const now = options.now ?? (() => new Date());
  const publishMs = options.publishMs ?? PUBLISH_MS;
  const writerId = `w-${randomUUID()}`;
  const pending = new Map<string, ClockRow>();
  let seq = 0;
  let registered = false;
  let timer: NodeJS.Timeout | undefined;
  let heartbeat: NodeJS.Timeout | undefined;
  let running: Promise<void> | undefined;
  let stopped = false;

  const keep = (row: ClockRow) => {
    const held = pending.get(row.id);
    if (!held || held.sequence <= row.sequence) pending.set(row.id, row);
  };

  const register = async () => {
    await writers().insertOne({ _id: writerId, startedAt: now(), heartbeatAt: now(), head: 0 });
    registered = true;
    heartbeat = setInterval(() => {
      writers().updateOne({ _id: writerId }, { $set: { heartbeatAt: now() } }).catch((err: unknown) => log.warn({ err }, 'SLA feed heartbeat failed'));
    }, HEARTBEAT_MS);
    heartbeat.unref();
    // Writers of processes gone for an hour: their slots and their entry in the list.
    const stale = (await writers().find({}).toArray()).filter((w) => now().getTime() - new Date(w.heartbeatAt).getTime() > STALE_MS);
    for (const w of stale) {
      for (const ids of slices(Array.from({ length: FEED_SLOTS }, (_, i) => `${w._id}:${i}`))) {
        await Promise.all(ids.map((_id) => entries().deleteOne({ _id })));
      }
      await writers().deleteOne({ _id: w._id });
    }
    if (stale.length) log.info({ writers: stale.length }, 'SLA feed: removed the entries of stopped processes');
  };

  /** Publishes what is gathered; false when it failed (the rows are kept for the next attempt). */
  const publish = async (): Promise<boolean> => {
    const rows = [...pending.values()];
    pending.clear();
    if (rows.length === 0) return true;
    try {
      if (!registered) await register();
      for (const part of slices(rows, MAX_ROWS_PER_ENTRY)) {
        await entries().replaceOne({ _id: slotId(writerId, seq) }, { writer: writerId, seq, at: now(), rows: part }, { upsert: true });
        seq += 1;
      }
      await writers().updateOne({ _id: writerId }, { $set: { head: seq, heartbeatAt: now() } });
      return true;
    } catch (err) {
      // A newer row of a clock wins; the readers' periodic full re-read is the backstop.
      for (const row of rows) keep(row);
      log.warn({ err, rows: rows.length }, 'SLA feed publish failed; retrying');
      return false;
    }
  };

  const run = () => {
    timer = undefined;
    running ??= publish().then((ok) => {
      running = undefined;
      if (pending.size > 0) schedule(ok ? publishMs : Math.max(publishMs, 1000));
    });
    return running;
  };

  function schedule(delay = publishMs) {
    if (stopped || timer || running) return;
    timer = setTimeout(() => void run(), delay);
    timer.unref();
  }

  return {
    writerId,
    add(record) {
      keep(toRow(record));
      schedule();
    },
    async drain() {
      if (timer) clearTimeout(timer);
      timer = undefined;
      while (running) await running;
      await run();
    },
    stop() {
      stopped = true;
      if (timer) clearTimeout(timer);
      if (heartbeat) clearInterval(heartbeat);
      timer = undefined;
    },
  };
}
