import type { Connection } from 'mongoose';
import { HOLD_MS } from '../../server/db/documentLock';
import { connectMongo } from '../../server/db/mongo';
import { complaintModels } from '../../server/complaints/model';
import { createComplaintStore } from '../../server/complaints/store';
import { testEnv, uniqueName } from '../support/servers';

/**
 * FerretDB on SQLite does not make a conditional update atomic, so concurrent writers of one
 * complaint must not lose each other's changes (bench:complaints once lost classifications).
 */
describe('concurrent changes to one complaint', () => {
  let mongo: Connection;

  beforeAll(async () => {
    mongo = await connectMongo(testEnv.mongoUri, uniqueName('complaint_cas').replace(/-/g, '_'));
  });

  afterAll(async () => {
    await mongo?.close();
  });

  it('keeps every timeline entry and the classification when 12 writers race', async () => {
    // given a complaint
    const store = createComplaintStore(complaintModels(mongo));
    const created = await store.create({
      _id: 'cmp-race', channel: 'web', customerId: 'cust-1', customerTier: 'gold', product: 'fridge',
      title: 'Fridge is warm', description: 'It stopped cooling', location: null, photos: [],
    });
    expect(created).toBeDefined();
    // when eleven records and one classification are written at the same time
    await Promise.all([
      ...Array.from({ length: 11 }, (_, i) => store.port.record('cmp-race', { entryId: `e-${i}`, what: `step ${i}` })),
      store.port.classify('cmp-race', { category: 'cooling', severity: 'high', departments: ['technical'] }, 'classified'),
    ]);
    // then none of them is lost
    const doc = await store.get('cmp-race');
    const ids = (doc?.timeline ?? []).map((e) => e.id);
    for (let i = 0; i < 11; i += 1) expect(ids).toContain(`e-${i}`);
    expect(ids).toContain('classified');
    expect(doc).toMatchObject({ category: 'cooling', severity: 'high', departments: ['technical'] });
    expect(doc?.rev).toBe(12);
  });

  const complaint = (id: string) => ({
    _id: id, channel: 'web' as const, customerId: 'cust-1', customerTier: 'gold' as const, product: 'fridge',
    title: 'Fridge is warm', description: 'It stopped cooling', location: null, photos: [],
  });

  it('loses nothing when writers of three processes take turns, each holding the lock between its own writes', async () => {
    // given a complaint and three processes (connections), each with a store whose lock it holds
    // for its next write (decision 0062) and starts that write from the document it wrote last
    const others = await Promise.all([0, 1].map(() => connectMongo(testEnv.mongoUri, mongo.db!.databaseName)));
    try {
      const stores = [mongo, ...others].map((c) => createComplaintStore(complaintModels(c)));
      await stores[0]!.create(complaint('cmp-turns'));
      // when each process records three bursts of two steps, the processes at the same time, with
      // pauses longer than a hold between bursts, so that the lock passes from process to process
      await Promise.all(stores.map(async (store, p) => {
        for (let i = 0; i < 6; i += 1) {
          await store.port.record('cmp-turns', { entryId: `p${p}-${i}`, what: `step ${i} of process ${p}` });
          if (i % 2 === 1) await new Promise((resolve) => setTimeout(resolve, HOLD_MS + 50 + 30 * p));
        }
      }));
      // then every write of every process is on the complaint, counted once
      const doc = await stores[0]!.get('cmp-turns');
      const ids = (doc?.timeline ?? []).map((e) => e.id);
      for (let p = 0; p < 3; p += 1) for (let i = 0; i < 6; i += 1) expect(ids).toContain(`p${p}-${i}`);
      expect(doc?.rev).toBe(18);
    } finally {
      await Promise.all(others.map((c) => c.close()));
    }
  });

  it('starts a write within a hold from the document as stored', async () => {
    // given a complaint changed in several ways in one burst (one hold of its lock)
    const store = createComplaintStore(complaintModels(mongo));
    await store.create(complaint('cmp-remembered'));
    await store.port.classify('cmp-remembered', { category: 'cooling', severity: 'high', departments: ['technical'] }, 'classified');
    await store.port.record('cmp-remembered', { entryId: 'd-1', what: 'dispatched', engineer: 'eng-1', departments: ['after-sales'] });
    await store.port.recordRecommendations('cmp-remembered', [{ staffId: 'eng-1', name: 'Eng One', score: 0.9, distanceKm: 2.5, reasons: ['nearest'] }], 'rec-1');
    // when one more write comes in the same hold
    let startedFrom: unknown;
    await store.mutate('cmp-remembered', (doc) => {
      startedFrom = structuredClone(doc);
      return null;
    });
    // then it starts from what a fresh read finds
    const fresh = await store.get('cmp-remembered');
    expect(fresh).toMatchObject({ engineer: 'eng-1', category: 'cooling', rev: 3, dispatch: { entryId: 'rec-1' } });
    expect(startedFrom).toEqual(fresh);
  });
});
