import type { Connection } from 'mongoose';
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
});
