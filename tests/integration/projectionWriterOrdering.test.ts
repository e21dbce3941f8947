/**
 * The projection writer on FerretDB: snapshots that arrive out of order. An older one never
 * overwrites a newer one, interleaved snapshots, replays and flushes end at the last step, and a
 * late write of another process is repaired.
 */
import type { Connection } from 'mongoose';
import { createLogger } from '../../server/log';
import type { ProjectionModels } from '../../server/projections/models';
import { projectionWriter } from '../../server/projections/writer';
import { waitUntil } from '../../server/infra/ports';
import { among, connectProjections, countingObserver, LAST, startedAt, step, tick } from '../support/projectionWriter';

describe('projection writer on FerretDB: snapshots out of order', () => {
  let mongo: Connection;
  let models: ProjectionModels;
  const log = createLogger('silent');

  beforeAll(async () => {
    ({ mongo, models } = await connectProjections('projection_writer'));
  });

  afterAll(async () => {
    await mongo?.close();
  });

  it('never lets an older snapshot overwrite a newer one, in any collection', async () => {
    // given an instance whose task bob claimed (step 6)
    const { counts, observer } = countingObserver();
    const writer = projectionWriter(models, log, { observer });
    writer.accept(step('pi-stale', 6), startedAt);
    await writer.drain();
    // when an older snapshot arrives late (a replay, a retry)
    writer.accept(step('pi-stale', 4), startedAt);
    await writer.drain();
    // then nothing went back to step 4, and the late one counted nothing
    const instance = await models.instances.findById('pi-stale').lean();
    const task = await models.tasks.findById('pi-stale.T').lean();
    const inboxed = await models.openTasks.findById('pi-stale.T').lean();
    expect(instance).toMatchObject({ sequence: 6, variables: { step: 6 }, openTaskKeys: ['T'] });
    expect(task).toMatchObject({ sequence: 6, state: 'claimed', assignee: 'bob' });
    expect(inboxed).toMatchObject({ sequence: 6, state: 'claimed', assignee: 'bob' });
    expect(counts).toEqual({ started: 1, ended: 0, opened: 1, completed: 0, incidents: 0 });
  });

  it('ends with every instance at its last step when snapshots, replays and flushes interleave', async () => {
    // given 12 instances whose steps arrive while flushes run, each replayed from the start once halfway
    const { counts, observer } = countingObserver();
    const writer = projectionWriter(models, log, { observer, maxBatch: 5 });
    const ids = Array.from({ length: 12 }, (_, i) => `pi-race-${i}`);
    // when
    await Promise.all(ids.map(async (id, n) => {
      for (let seq = 1; seq <= LAST; seq += 1) {
        writer.accept(step(id, seq), startedAt);
        if (seq === 4 + (n % 5)) for (let again = 1; again <= seq; again += 1) writer.accept(step(id, again), startedAt);
        await tick((n * 7 + seq * 3) % 11);
      }
    }));
    // and, after the end, a replay of everything (a new worker picking the histories up) and
    // stale steps arriving one flush at a time (a worker that lagged behind)
    for (const id of ids) for (let seq = 1; seq <= LAST; seq += 1) writer.accept(step(id, seq), startedAt);
    await writer.drain();
    for (let seq = 1; seq <= 6; seq += 1) {
      for (const id of ids) writer.accept(step(id, seq), startedAt);
      await writer.drain();
    }
    // then each instance is at its last step, no event lost
    const instances = await models.instances.find({ _id: among(ids) }).lean();
    expect(instances).toHaveLength(12);
    expect(instances.every((i) => i.sequence === LAST && i.status === 'completed' && i.openTaskKeys?.length === 0)).toBe(true);
    expect(await models.elementEvents.countDocuments({ instanceId: among(ids) })).toBe(12 * LAST);
    // and every projected task is completed and out of the inbox: no replay brought one back
    // (a task opened and closed within one coalesced write is never projected, by design)
    const tasks = await models.tasks.find({ instanceId: among(ids) }).lean();
    expect(tasks.length).toBeGreaterThan(0);
    expect(tasks.every((t) => t.state === 'completed' && t.sequence >= 8)).toBe(true);
    expect(await models.openTasks.countDocuments({ instanceId: among(ids) })).toBe(0);
    // and each transition was counted exactly once
    expect(counts).toEqual({ started: 12, ended: 12, opened: tasks.length, completed: tasks.length, incidents: 0 });
  });

  it('repairs an instance a replaying worker wrote when another process\'s older write lands late', async () => {
    // given three instances the old worker wrote up to step 5 (task claimed by bob), then a new
    // worker that replayed two of them up to step 9 (task completed at 8), and wrote the third live
    const oldWorker = projectionWriter(models, log);
    for (const id of ['pi-moved', 'pi-moved-2', 'pi-not-moved']) oldWorker.accept(step(id, 5), startedAt);
    await oldWorker.drain();
    const writer = projectionWriter(models, log, { checkDelaysMs: [300, 1500] });
    for (const id of ['pi-moved', 'pi-moved-2']) {
      for (let seq = 1; seq <= 8; seq += 1) writer.accept(step(id, seq), startedAt, true);
      writer.accept(step(id, 9), startedAt);
    }
    for (let seq = 6; seq <= 9; seq += 1) writer.accept(step('pi-not-moved', seq), startedAt);
    await writer.drain();
    expect(await models.openTasks.countDocuments({ instanceId: among(['pi-moved', 'pi-moved-2', 'pi-not-moved']) })).toBe(0);
    // when the old worker's write of step 6, read-guarded before the new one wrote, lands now:
    // instance, task and inbox set back (what the interleaving of two processes leaves behind)
    const setBack = async (id: string) => {
      await models.instances.updateOne({ _id: id }, { $set: { sequence: 6, status: 'active', openTaskKeys: ['T'], variables: { step: 6 } } });
      const task = { ...(await models.tasks.findById(`${id}.T`).lean())!, state: 'claimed' as const, assignee: 'bob', closedAt: null, sequence: 6 };
      await models.tasks.replaceOne({ _id: `${id}.T` }, task);
      await models.openTasks.insertMany([task]);
    };
    for (const id of ['pi-moved', 'pi-moved-2', 'pi-not-moved']) await setBack(id);
    // then the new worker notices within its checks and writes its newest view again, task closed and out of the inbox
    await waitUntil('contested instances repaired', async () => {
      const repaired = await models.instances.find({ _id: among(['pi-moved', 'pi-moved-2']) }, { sequence: 1 }).lean();
      return repaired.length === 2 && repaired.every((i) => i.sequence === 9);
    }, 10_000, 100);
    for (const id of ['pi-moved', 'pi-moved-2']) {
      expect(await models.tasks.findById(`${id}.T`).lean()).toMatchObject({ state: 'completed', sequence: 9 });
      expect(await models.openTasks.findById(`${id}.T`).lean()).toBeNull();
      expect(await models.instances.findById(id).lean()).toMatchObject({ status: 'active', variables: { step: 9 }, openTaskKeys: [] });
    }
    // while the instance it never replayed is left to its next snapshot (no check costs for the common case)
    await tick(1800);
    expect(await models.instances.findById('pi-not-moved', { sequence: 1 }).lean()).toMatchObject({ sequence: 6 });
    writer.stop();
  });
});
