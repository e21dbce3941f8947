/**
 * The SLA feed (decision 0013) on the real FerretDB: what one process's projection writer
 * stores reaches another process's overview index within about a second, read by `_id`,
 * without re-reading `sla_clocks`; a reader that fell too far behind reads everything again.
 * Each "process" is a connection of its own.
 */
import type { Connection } from 'mongoose';
import { connectMongo } from '../../server/db/mongo';
import { createLogger } from '../../server/log';
import { slaModels, type SlaClockRecord } from '../../server/projections/slaModels';
import { clockIndex, type ClockIndex } from '../../server/sla/clockIndex';
import { FEED_ENTRIES, FEED_SLOTS, FEED_WRITERS, slaFeedPublisher, slaFeedReader, type SlaFeedPublisher } from '../../server/sla/feed';
import { waitUntil } from '../../server/infra/ports';
import { testEnv, uniqueName } from '../support/servers';

const log = createLogger('silent');
const T0 = Date.parse('2026-03-02T08:00:00Z');

function clock(instance: number, sequence: number, state: SlaClockRecord['state'] = 'ok'): SlaClockRecord {
  return {
    _id: `pi-feed-${instance}.resolution`, instanceId: `pi-feed-${instance}`, clockKey: 'resolution', complaintId: null,
    definitionKey: 'feed-test', definitionVersion: 1, policyId: 'resolution', metric: 'resolution', elementId: null, taskId: null,
    department: 'after-sales', severity: 'high', customerTier: null, engineerId: null, state, paused: false,
    startedAt: new Date(T0 + instance * 1000), targetMs: 3_600_000, dueAt: state === 'met' ? null : new Date(T0 + 3_600_000),
    remainingMs: null, pausedMs: 0, warningsFired: [], metAt: state === 'met' ? new Date(T0 + 60_000) : null, breachedAt: null,
    elapsedMs: state === 'met' ? 60_000 : null, updatedAt: new Date(T0 + sequence), sequence,
  };
}

describe('the SLA feed between processes', () => {
  let workerDb: Connection;
  let apiDb: Connection;
  let publisher: SlaFeedPublisher;
  let index: ClockIndex;

  /** What the worker's projection writer does: store the clock, then hand it to the feed. */
  const write = async (record: SlaClockRecord) => {
    await slaModels(workerDb).clocks.replaceOne({ _id: record._id }, record, { upsert: true });
    publisher.add(record);
  };
  const stateOf = (id: string) => [...index.running(), ...index.startedAround(T0, T0 + 86_400_000)].find((r) => r.id === id)?.state;

  beforeAll(async () => {
    const name = uniqueName('sla_feed').replace(/-/g, '_');
    workerDb = await connectMongo(testEnv.mongoUri, name);
    apiDb = await connectMongo(testEnv.mongoUri, name);
    publisher = slaFeedPublisher(workerDb, log, { publishMs: 50 });
    // The API process: no periodic full read, the feed read every 100 ms.
    index = clockIndex(slaModels(apiDb), log, { refreshMs: 0, feed: slaFeedReader(apiDb), followMs: 100 });
    await write(clock(0, 1));
    await publisher.drain();
    await index.ready();
  });

  afterAll(async () => {
    index?.stop();
    publisher?.stop();
    await workerDb?.close();
    await apiDb?.close();
  });

  it('brings another process\'s clock writes into the index within a second, without a full read', async () => {
    // given an index that has read the collection once
    const loadedAt = index.loadedAt();
    expect(index.size()).toBe(1);
    // when the worker stores three new clocks and moves the first one on
    const started = Date.now();
    for (let i = 1; i <= 3; i += 1) await write(clock(i, 1));
    await write(clock(0, 2, 'met'));
    // then the index shows them soon, exactly, and it did not read the collection again
    await waitUntil('index follows the feed', async () => Promise.resolve(index.size() === 4 && stateOf('pi-feed-0.resolution') === 'met'), 5000, 20);
    expect(Date.now() - started).toBeLessThan(2000);
    expect(index.loadedAt()).toBe(loadedAt);
    // and an older write arriving late changes nothing
    publisher.add(clock(0, 1, 'ok'));
    await publisher.drain();
    await new Promise((resolve) => setTimeout(resolve, 500));
    expect(stateOf('pi-feed-0.resolution')).toBe('met');
  });

  it('reads every clock again when entries were overwritten before it read them', async () => {
    // given an index that stops reading the feed (a stalled process)
    index.stop();
    const before = index.loadedAt();
    // when the worker publishes more entries than the feed keeps
    for (let i = 0; i < FEED_SLOTS + 2; i += 1) {
      await write(clock(100 + i, 1));
      await publisher.drain();
    }
    // then the next read of the feed notices the gap and reads all clocks again, missing none
    await index.follow();
    await waitUntil('full re-read', async () => Promise.resolve(index.loadedAt() !== before), 30_000, 50);
    expect(index.size()).toBe(4 + FEED_SLOTS + 2);
    // and the feed holds at most its slots for this writer
    expect(await apiDb.collection(FEED_ENTRIES).countDocuments({})).toBe(FEED_SLOTS);
  });

  it('removes the entries of a writer silent for an hour when the next writer registers', async () => {
    // given a writer whose process stopped long ago
    const later = new Date(Date.now() + 2 * 3_600_000);
    const next = slaFeedPublisher(workerDb, log, { publishMs: 10, now: () => later });
    // when another process's writer publishes for the first time
    next.add(clock(999, 1));
    await next.drain();
    next.stop();
    // then only the new writer and its one entry are left
    const writers = await apiDb.collection(FEED_WRITERS).find({}).toArray();
    expect(writers.map((w) => w._id)).toEqual([next.writerId]);
    expect(await apiDb.collection(FEED_ENTRIES).countDocuments({})).toBe(1);
  });
});
