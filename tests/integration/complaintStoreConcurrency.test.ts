import type { Connection } from 'mongoose';
import { HOLD_MS } from '../../server/db/documentLock';
import { connectMongo } from '../../server/db/mongo';
import { complaintModels } from '../../server/complaints/model';
import { createComplaintStore, lockedWrites } from '../../server/complaints/store';
import { untilGuarded } from '../support/revisionGuard';
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
      const stores = [mongo, ...others].map((c) => createComplaintStore(complaintModels(c), undefined, undefined, undefined, undefined, undefined, { guard: lockedWrites }));
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
    const store = createComplaintStore(complaintModels(mongo), undefined, undefined, undefined, undefined, undefined, { guard: lockedWrites });
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

  describe('with the revision guard making the compare-and-set atomic (decision 0067)', () => {
    // The default store: it asks the server whether the compare-and-set is atomic.
    const storeOn = (c: Connection) => createComplaintStore(complaintModels(c));

    it('loses nothing when writers of three processes race without a lock', async () => {
      // given a complaint in a guarded collection and three processes (connections), each with a store
      const others = await Promise.all([0, 1].map(() => connectMongo(testEnv.mongoUri, mongo.db!.databaseName)));
      try {
        const stores = [mongo, ...others].map(storeOn);
        await stores[0]!.create(complaint('cmp-guarded-race'));
        await untilGuarded(mongo, 'cmp-guarded-race');
        // when each process writes eight steps at once, all three at the same time
        await Promise.all(stores.flatMap((store, p) => Array.from({ length: 8 }, (_, i) =>
          store.port.record('cmp-guarded-race', { entryId: `p${p}-${i}`, what: `step ${i} of process ${p}` }))));
        // then every step is on the complaint once, and every write raised the revision by one
        const doc = await stores[0]!.get('cmp-guarded-race');
        const ids = (doc?.timeline ?? []).map((e) => e.id);
        for (let p = 0; p < 3; p += 1) for (let i = 0; i < 8; i += 1) expect(ids.filter((id) => id === `p${p}-${i}`)).toHaveLength(1);
        expect(doc?.rev).toBe(24);
      } finally {
        await Promise.all(others.map((c) => c.close()));
      }
    });

    it('starts from the document it wrote last, as stored, and reads again when another process wrote since', async () => {
      // given a complaint written by this process and then by another one
      const other = await connectMongo(testEnv.mongoUri, mongo.db!.databaseName);
      try {
        const [mine, theirs] = [storeOn(mongo), storeOn(other)];
        await mine.create(complaint('cmp-guarded-recent'));
        await untilGuarded(mongo, 'cmp-guarded-recent');
        await mine.port.classify('cmp-guarded-recent', { category: 'cooling', severity: 'high', departments: ['technical'] }, 'classified');
        await mine.port.record('cmp-guarded-recent', { entryId: 'd-1', what: 'dispatched', engineer: 'eng-1', departments: ['after-sales'] });
        let first: unknown;
        await mine.mutate('cmp-guarded-recent', (doc) => {
          first ??= structuredClone(doc);
          return null;
        });
        // the document it starts from is what a fresh read finds, mongoose's defaults included
        expect(first).toEqual(await mine.get('cmp-guarded-recent'));
        await theirs.setStatus('cmp-guarded-recent', 'closed', 'closed by the other process', 'agent:a');
        // when this process decides on a change from what it remembers (not closed: nothing to do)
        const seen: string[] = [];
        await mine.mutate('cmp-guarded-recent', (doc) => {
          seen.push(doc.status);
          return doc.status === 'closed' ? { set: { status: 'reopened' }, entry: { id: 'reopen-1', who: 'agent:b', what: 'reopened' } } : null;
        });
        // then the decision is taken again on the stored document, and written on top of the other's write
        expect(seen).toEqual(['in_progress', 'closed']);
        const doc = await mine.get('cmp-guarded-recent');
        expect(doc).toMatchObject({ status: 'reopened', rev: 4 });
        expect(doc?.timeline.map((e) => e.id)).toContain('reopen-1');
        // and a write started from a remembered document another process has since changed is refused and done again
        await theirs.port.record('cmp-guarded-recent', { entryId: 'theirs-1', what: 'noted by the other process' });
        await mine.port.record('cmp-guarded-recent', { entryId: 'mine-1', what: 'noted by this process' });
        const last = await mine.get('cmp-guarded-recent');
        expect(last?.timeline.map((e) => e.id)).toEqual(expect.arrayContaining(['reopen-1', 'theirs-1', 'mine-1']));
        expect(last?.rev).toBe(6);
      } finally {
        await other.close();
      }
    });
  });
});
