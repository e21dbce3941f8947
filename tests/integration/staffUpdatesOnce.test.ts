import type { Connection } from 'mongoose';
import { HOLD_MS } from '../../server/db/documentLock';
import { connectMongo } from '../../server/db/mongo';
import { complaintModels, type StaffUpdate } from '../../server/complaints/model';
import { createComplaintStore, lockedWrites, STALE_CLAIM_MS } from '../../server/complaints/store';
import { createDirectoryService } from '../../server/domain/directory';
import { demoDirectory, seedDirectory } from '../../server/domain/seed';
import { testEnv, uniqueName } from '../support/servers';

/**
 * A complaint's staff updates (directory load and stars) are written claimed by the mutation
 * that creates them when its caller applies them right after, or claimed all at once in one
 * compare-and-set when left over, then applied and marked in one more compare-and-set
 * (server/complaints/staffUpdates.ts): however many appliers run at once, in one process or in
 * several, each update reaches the directory once, and one whose creator died is taken over
 * after STALE_CLAIM_MS.
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

  const afterAllClose: Connection[] = [];
  afterAll(async () => {
    await Promise.all([writerConnection, processA, processB, ...afterAllClose].map((c) => c?.close()));
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
    // and a close recorded in one process (its update written claimed by it) while the other process applies is applied once
    await Promise.all([storeA.port.record('cmp-once', { entryId: 'e-3', what: 'closed', status: 'closed' }), storeB.applyStaffUpdates('cmp-once'), storeB.applyStaffUpdates('cmp-once')]);
    expect(await loadOf(second)).toBe(secondBefore);
    expect(((await writer.get('cmp-once'))?.staffUpdates ?? []).map((u) => [u.id, u.state]).at(-1)).toEqual(['e-3:close', 'applied']);
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

  it('settles the updates a mutation created claimed as the ones it claimed: a refused one and those after it back to pending', async () => {
    // given three updates a mutation created claimed by its caller (it has a directory), the second one a load change the directory refuses
    const store = createComplaintStore(complaintModels(processA), undefined, createDirectoryService(processA));
    await store.create(complaint('cmp-held-fails'));
    const staffId = demo.staff[11]!._id;
    let held: StaffUpdate[] = [];
    const doc = await store.mutate('cmp-held-fails', (_doc, at) => {
      const created = (id: string, amount: number): StaffUpdate => ({ id, staffId, kind: 'load', amount, ...store.createdAs(at) });
      held = [created('h-1', 1), created('h-2', 0.5), created('h-3', 1)];
      return { set: { staffUpdates: held } };
    });
    expect(held.map((u) => u.state)).toEqual(['applying', 'applying', 'applying']);
    const before = await loadOf(staffId);
    // when its caller applies them
    const applying = store.applyStaffUpdates('cmp-held-fails', doc, held);
    // then the refusal is thrown, the first is applied once and marked, the others wait as pending
    await expect(applying).rejects.toThrow(RangeError);
    expect(await loadOf(staffId)).toBe(before + 1);
    const updates = (await store.get('cmp-held-fails'))?.staffUpdates ?? [];
    expect(updates.map((u) => [u.id, u.state, u.claimedAt])).toEqual([['h-1', 'applied', expect.any(Date)], ['h-2', 'pending', null], ['h-3', 'pending', null]]);
  });

  it('claims a dispatch\'s load update in the mutation that creates it: two complaint writes, not three', async () => {
    // given a complaint, and a store (with the directory, on its own connection) whose every command is seen
    const watched = await connectMongo(testEnv.mongoUri, dbName, { monitorCommands: true });
    const commands: string[] = [];
    watched.getClient().on('commandStarted', (e) => {
      const collection = String((e.command as Record<string, unknown>)[e.commandName]);
      // Reads and writes (not the index creations mongoose sends when it first meets a model).
      if (e.commandName !== 'createIndexes' && (collection === 'complaints' || collection === 'document_locks')) commands.push(`${e.commandName} ${collection}`);
    });
    try {
      // (with the lock: on a guarded database the store needs none, tested below)
      const store = createComplaintStore(complaintModels(watched), undefined, createDirectoryService(processA), undefined, undefined, undefined, { guard: lockedWrites });
      await store.create(complaint('cmp-fold'));
      const engineer = demo.staff[9]!._id;
      const before = await loadOf(engineer);
      commands.length = 0;
      // when the process records the dispatch
      await store.port.record('cmp-fold', { entryId: 'd-1', what: 'dispatched', engineer });
      const recorded = [...commands];
      // then the engineer carries it once, the update is marked, and the complaint was written
      // twice under one hold of its lock (the dispatch with its update claimed, then the outcome,
      // from the document the first write left: decision 0062): no claim of its own, no second read
      expect(await loadOf(engineer)).toBe(before + 1);
      expect(((await store.get('cmp-fold'))?.staffUpdates ?? []).map((u) => [u.id, u.state])).toEqual([['d-1:assign', 'applied']]);
      expect(recorded).toEqual(['insert document_locks', 'find complaints', 'update complaints', 'update complaints']);
      // and the lock is let go once nobody else of this process came for it
      await new Promise((resolve) => setTimeout(resolve, HOLD_MS + 150));
      expect(commands.slice(recorded.length).filter((c) => c.endsWith('document_locks'))).toEqual(['delete document_locks']);
    } finally {
      await watched.close();
    }
  });

  it('takes over an update whose creator died before applying it once STALE_CLAIM_MS has passed', async () => {
    // given a dispatch written as the process's record writes it, its load update claimed by the
    // writer (it has a directory), which then died before applying it
    const t0 = Date.UTC(2026, 5, 1, 8, 0, 0);
    const storeAt = (ms: number) => createComplaintStore(complaintModels(processA), () => new Date(t0 + ms), createDirectoryService(processA));
    const dying = storeAt(0);
    await dying.create(complaint('cmp-died'));
    const engineer = demo.staff[10]!._id;
    const before = await loadOf(engineer);
    await dying.mutate('cmp-died', (_doc, at) => ({
      set: { engineer, loadHolder: engineer, staffUpdates: [{ id: 'd-1:assign', staffId: engineer, kind: 'load', amount: 1, ...dying.createdAs(at) }] },
      entry: { id: 'd-1', who: 'process', what: 'dispatched' },
    }));
    const stateOf = async () => ((await dying.get('cmp-died'))?.staffUpdates ?? []).map((u) => [u.state, u.claimedAt]);
    expect(await stateOf()).toEqual([['applying', new Date(t0)]]);

    // when the record is retried while the claim is fresh, then it leaves the update alone (its claimer may still be at work)
    await storeAt(STALE_CLAIM_MS).port.record('cmp-died', { entryId: 'd-1', what: 'dispatched', engineer });
    expect(await loadOf(engineer)).toBe(before);
    expect(await stateOf()).toEqual([['applying', new Date(t0)]]);

    // when it is retried once the claim is older than STALE_CLAIM_MS, then it takes the update over and applies it once
    await storeAt(STALE_CLAIM_MS + 1).port.record('cmp-died', { entryId: 'd-1', what: 'dispatched', engineer });
    expect(await loadOf(engineer)).toBe(before + 1);
    expect(await stateOf()).toEqual([['applied', new Date(t0 + STALE_CLAIM_MS + 1)]]);

    // and a later retry finds it applied and changes nothing
    await storeAt(3 * STALE_CLAIM_MS).port.record('cmp-died', { entryId: 'd-1', what: 'dispatched', engineer });
    expect(await loadOf(engineer)).toBe(before + 1);
  });

  it('sweeps an update left claimed by a stopped process when the complaint has no next step', async () => {
    // given (in a database of its own: a sweep looks at every complaint) a dispatched complaint
    // whose close (its last step) was written with the close's load update claimed by the
    // writer, which then stopped before applying it
    const own = await connectMongo(testEnv.mongoUri, uniqueName('staff_sweep').replace(/-/g, '_'));
    afterAllClose.push(own);
    await seedDirectory(own);
    const loadOf = async (staffId: string) => (await createDirectoryService(own).getStaff(staffId))!.currentLoad;
    const t0 = Date.UTC(2026, 5, 2, 8, 0, 0);
    const storeAt = (ms: number) => createComplaintStore(complaintModels(own), () => new Date(t0 + ms), createDirectoryService(own));
    const engineer = demo.staff[11]!._id;
    await storeAt(0).create(complaint('cmp-swept'));
    await storeAt(0).port.record('cmp-swept', { entryId: 'd-1', what: 'dispatched', engineer });
    const loaded = await loadOf(engineer);
    const dying = storeAt(1000);
    await dying.mutate('cmp-swept', (doc, at) => ({
      set: { status: 'closed', loadHolder: null, staffUpdates: [...(doc.staffUpdates ?? []), { id: 'c-1:close', staffId: engineer, kind: 'load', amount: -1, ...dying.createdAs(at) }] },
      entry: { id: 'c-1', who: 'process', what: 'closed' },
    }));
    const stored = async () => (await dying.get('cmp-swept'))!;
    expect((await stored()).staffUpdatesOpen).toBe(true);

    // when the reconciler sweeps while the claim is fresh, then it leaves it to its claimer
    expect(await storeAt(1000 + STALE_CLAIM_MS).sweepStaffUpdates()).toBe(0);
    expect(await loadOf(engineer)).toBe(loaded);

    // when it sweeps once the claim is older than STALE_CLAIM_MS, then the close is applied once and the complaint is settled
    expect(await storeAt(1001 + STALE_CLAIM_MS).sweepStaffUpdates()).toBe(1);
    expect(await loadOf(engineer)).toBe(loaded - 1);
    expect((await stored()).staffUpdates?.map((u) => [u.id, u.state])).toEqual([['d-1:assign', 'applied'], ['c-1:close', 'applied']]);
    expect((await stored()).staffUpdatesOpen).toBe(false);

    // and a later sweep finds nothing open and changes nothing
    expect(await storeAt(3 * STALE_CLAIM_MS).sweepStaffUpdates()).toBe(0);
    expect(await loadOf(engineer)).toBe(loaded - 1);
  });
});
