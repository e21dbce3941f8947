import type { Connection } from 'mongoose';
import { complaintModels } from '../../server/complaints/model';
import { createComplaintStore } from '../../server/complaints/store';
import { connectMongo } from '../../server/db/mongo';
import { createDirectoryService } from '../../server/domain/directory';
import { demoDirectory, seedDirectory } from '../../server/domain/seed';
import { untilGuarded } from '../support/revisionGuard';
import { testEnv, uniqueName } from '../support/servers';

/**
 * Where the compare-and-set of a complaint is atomic (MongoDB, or the embedded FerretDB with the
 * revision guard, decision 0067) the store writes without the document lock and starts from the
 * document it wrote last; the lock's own tests are in staffUpdatesOnce.test.ts.
 */
describe('complaint writes where the compare-and-set is atomic', () => {
  const demo = demoDirectory();
  const dbName = uniqueName('unlocked_writes').replace(/-/g, '_');
  let seeded: Connection;

  beforeAll(async () => {
    seeded = await connectMongo(testEnv.mongoUri, dbName);
    await seedDirectory(seeded);
  });

  afterAll(async () => {
    await seeded?.close();
  });

  const complaint = (id: string) => ({
    _id: id, channel: 'web' as const, customerId: 'cust-1', customerTier: 'gold' as const, product: 'fridge',
    title: 'Fridge is warm', description: 'It stopped cooling', location: null, photos: [],
  });
  const loadOf = async (staffId: string) => (await createDirectoryService(seeded).getStaff(staffId))!.currentLoad;

  it('writes a dispatch and its outcome without a read or a lock where the compare-and-set is atomic (decision 0067)', async () => {
    // given a complaint in a collection the test cluster's keeper has guarded, and a store that has written it once
    const watched = await connectMongo(testEnv.mongoUri, dbName, { monitorCommands: true });
    const commands: string[] = [];
    watched.getClient().on('commandStarted', (e) => {
      const collection = String((e.command as Record<string, unknown>)[e.commandName]);
      // A lock named by its key: the directory locks the engineer's counters (staff:…), not this.
      const command = e.command as { documents?: Array<{ _id?: unknown }>; deletes?: Array<{ q?: { _id?: unknown } }> };
      const lockKey = String(command.documents?.[0]?._id ?? command.deletes?.[0]?.q?._id ?? '');
      if (collection === 'complaints' && e.commandName !== 'createIndexes') commands.push(`${e.commandName} complaints`);
      if (collection === 'document_locks' && lockKey.startsWith('complaint:')) commands.push(`${e.commandName} document_locks`);
    });
    try {
      const store = createComplaintStore(complaintModels(watched), undefined, createDirectoryService(seeded));
      await store.create(complaint('cmp-fold-atomic'));
      await untilGuarded(watched, 'cmp-fold-atomic');
      await store.port.record('cmp-fold-atomic', { entryId: 'n-1', what: 'noted' });
      const engineer = demo.staff[8]!._id;
      const before = await loadOf(engineer);
      commands.length = 0;
      // when the process records the dispatch
      await store.port.record('cmp-fold-atomic', { entryId: 'd-1', what: 'dispatched', engineer });
      const recorded = [...commands];
      // then the engineer carries it once and the complaint was written twice, from the document
      // the store wrote last: no lock, no read
      expect(await loadOf(engineer)).toBe(before + 1);
      expect(((await store.get('cmp-fold-atomic'))?.staffUpdates ?? []).map((u) => [u.id, u.state])).toEqual([['d-1:assign', 'applied']]);
      expect(recorded).toEqual(['update complaints', 'update complaints']);
    } finally {
      await watched.close();
    }
  });
});
