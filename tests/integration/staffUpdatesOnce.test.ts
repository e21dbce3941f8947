import type { Connection } from 'mongoose';
import { connectMongo } from '../../server/db/mongo';
import { complaintModels, type StaffUpdate } from '../../server/complaints/model';
import { createComplaintStore } from '../../server/complaints/store';
import { createDirectoryService } from '../../server/domain/directory';
import { demoDirectory, seedDirectory } from '../../server/domain/seed';
import { testEnv, uniqueName } from '../support/servers';

/**
 * A complaint's staff updates (directory load and stars) are claimed all at once in one
 * compare-and-set, applied, and marked in one more (server/complaints/store.ts): however many
 * appliers run at once, in one process or in several, each update reaches the directory once.
 */
describe('staff updates of a complaint', () => {
  const demo = demoDirectory();
  const dbName = uniqueName('staff_updates').replace(/-/g, '_');
  // Three connections stand for three processes: each has its own in-memory lock queue.
  let writerConnection: Connection;
  let processA: Connection;
  let processB: Connection;

  beforeAll(async () => {
    const connections = await Promise.all([0, 1, 2].map(() => connectMongo(testEnv.mongoUri, dbName)));
    [writerConnection, processA, processB] = [connections[0]!, connections[1]!, connections[2]!];
    await seedDirectory(writerConnection);
  });

  afterAll(async () => {
    await Promise.all([writerConnection, processA, processB].map((c) => c?.close()));
  });

  const complaint = (id: string) => ({
    _id: id, channel: 'web' as const, customerId: 'cust-1', customerTier: 'gold' as const, product: 'fridge',
    title: 'Fridge is warm', description: 'It stopped cooling', location: null, photos: [],
  });
  const loadOf = async (staffId: string) => (await createDirectoryService(writerConnection).getStaff(staffId))!.currentLoad;

  it('applies each pending update once when four appliers in two processes race', async () => {
    // given a complaint whose engineer changed, its three load updates pending (recorded without a directory)
    const writer = createComplaintStore(complaintModels(writerConnection));
    await writer.create(complaint('cmp-once'));
    const [first, second] = [demo.staff[5]!._id, demo.staff[6]!._id];
    await writer.port.record('cmp-once', { entryId: 'e-1', what: 'dispatched', engineer: first });
    await writer.port.record('cmp-once', { entryId: 'e-2', what: 're-dispatched', engineer: second });
    const [firstBefore, secondBefore] = [await loadOf(first), await loadOf(second)];
    // when two appliers in each of two processes apply them at the same time
    const storeA = createComplaintStore(complaintModels(processA), undefined, createDirectoryService(processA));
    const storeB = createComplaintStore(complaintModels(processB), undefined, createDirectoryService(processB));
    await Promise.all([storeA.applyStaffUpdates('cmp-once'), storeB.applyStaffUpdates('cmp-once'), storeA.applyStaffUpdates('cmp-once'), storeB.applyStaffUpdates('cmp-once')]);
    // then the new engineer carries the complaint once, the previous one not at all, and every update is marked
    expect(await loadOf(second)).toBe(secondBefore + 1);
    expect(await loadOf(first)).toBe(firstBefore);
    const updates = (await writer.get('cmp-once'))?.staffUpdates ?? [];
    expect(updates.map((u) => [u.id, u.state])).toEqual([['e-1:assign', 'applied'], ['e-2:release', 'applied'], ['e-2:assign', 'applied']]);
    // and a retried record finds them applied and changes nothing
    await storeA.port.record('cmp-once', { entryId: 'e-2', what: 're-dispatched', engineer: second });
    expect(await loadOf(second)).toBe(secondBefore + 1);
  });

  it('marks what it applied and puts the failed update and those after it back to pending', async () => {
    // given three pending updates, the second one a load change the directory refuses (not a whole number)
    const store = createComplaintStore(complaintModels(processA), undefined, createDirectoryService(processA));
    await store.create(complaint('cmp-fails'));
    const [one, two] = [demo.staff[7]!._id, demo.staff[8]!._id];
    const pending = (id: string, staffId: string, amount: number): StaffUpdate => ({ id, staffId, kind: 'load', amount, state: 'pending', claimedAt: null });
    await store.mutate('cmp-fails', () => ({ set: { staffUpdates: [pending('u-1', one, 1), pending('u-2', one, 0.5), pending('u-3', two, 1)] } }));
    const [oneBefore, twoBefore] = [await loadOf(one), await loadOf(two)];
    // when they are applied
    const applying = store.applyStaffUpdates('cmp-fails');
    // then the refusal is thrown, the first is applied once and marked, the others wait as pending
    await expect(applying).rejects.toThrow(RangeError);
    expect(await loadOf(one)).toBe(oneBefore + 1);
    expect(await loadOf(two)).toBe(twoBefore);
    const updates = (await store.get('cmp-fails'))?.staffUpdates ?? [];
    expect(updates.map((u) => [u.id, u.state, u.claimedAt])).toEqual([['u-1', 'applied', expect.any(Date)], ['u-2', 'pending', null], ['u-3', 'pending', null]]);
  });
});
