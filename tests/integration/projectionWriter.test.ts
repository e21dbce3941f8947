/**
 * The projection writer on FerretDB: what one flush writes. A burst of instances in few flushes
 * with their tasks in the inbox, who completed a task, open tasks canceled when an instance ends
 * without closing them, the owning complaint on each task, and 150 changed instances at once.
 */
import type { Connection } from 'mongoose';
import { createLogger } from '../../server/log';
import type { ProjectionModels } from '../../server/projections/models';
import { projectionWriter } from '../../server/projections/writer';
import { among, connectProjections, startedAt, step, tick } from '../support/projectionWriter';

describe('projection writer on FerretDB', () => {
  let mongo: Connection;
  let models: ProjectionModels;
  const log = createLogger('silent');

  beforeAll(async () => {
    ({ mongo, models } = await connectProjections('projection_writer'));
  });

  afterAll(async () => {
    await mongo?.close();
  });

  it('writes a burst of instances in few flushes, with their tasks in the inbox', async () => {
    // given a writer and 30 instances that each opened their task (step 3) in the same moment
    const flushes: number[] = [];
    const writer = projectionWriter(models, log, { flushObserver: { flushed: ({ instances }) => flushes.push(instances) } });
    const ids = Array.from({ length: 30 }, (_, i) => `pi-burst-${i}`);
    // when
    for (const id of ids) writer.accept(step(id, 3), startedAt);
    await writer.drain();
    // then all are written, in far fewer flushes than instances
    expect(flushes.reduce((a, b) => a + b, 0)).toBe(30);
    expect(flushes.length).toBeLessThan(5);
    expect(await models.instances.countDocuments({ _id: among(ids) })).toBe(30);
    const inbox = await models.openTasks.find({ candidateGroups: 'reviewers', instanceId: among(ids) }).lean();
    expect(inbox.map((t) => t.instanceId).sort()).toEqual([...ids].sort());
    expect(inbox.every((t) => t.state === 'open' && t.sequence === 3)).toBe(true);
  });

  it('writes the steps of one instance a few milliseconds apart in one flush, unless told not to linger', async () => {
    // given a writer that lingers (200 ms here, for a margin on a busy machine; 25 ms by default) and one that does not
    for (const lingerMs of [200, 0]) {
      const flushes: number[] = [];
      const writer = projectionWriter(models, log, { lingerMs, flushObserver: { flushed: ({ instances }) => flushes.push(instances) } });
      const id = `pi-linger-${lingerMs}`;
      // when three steps of one instance arrive 5 ms apart (a chain of local jobs), each after the last one's flush began
      for (const seq of [3, 4, 5]) {
        writer.accept(step(id, seq), startedAt);
        await new Promise((resolve) => setTimeout(resolve, 5));
      }
      await writer.drain();
      // then the lingering writer wrote them in one flush (the newest step), the other in more than one
      if (lingerMs > 0) expect(flushes).toEqual([1]);
      else expect(flushes.length).toBeGreaterThan(1);
      expect(await models.instances.findById(id).lean()).toMatchObject({ sequence: 5 });
    }
  });

  it('keeps who completed a task when its claim and completion reach it in one write', async () => {
    // given a task stored open (step 3), then the claim (5) and the completion (8) coalesced:
    // only step 8 arrives, where the task is gone and the close names who held it
    const writer = projectionWriter(models, log);
    writer.accept(step('pi-coalesced', 3), startedAt);
    await writer.drain();
    const completion = step('pi-coalesced', 8);
    writer.accept({ ...completion, closedTasks: [{ key: 'T', reason: 'completed', assignee: 'bob' }] }, startedAt);
    await writer.drain();
    // then the stored task is completed by bob
    const task = await models.tasks.findOne({ instanceId: 'pi-coalesced' }).lean();
    expect(task).toMatchObject({ state: 'completed', assignee: 'bob' });
  });

  it('cancels the open tasks of an instance that ends without closing them', async () => {
    // given an instance with its task claimed
    const writer = projectionWriter(models, log);
    writer.accept(step('pi-cancel', 5), startedAt);
    await writer.drain();
    // when it is canceled from outside (its last snapshot lists no task and closes none)
    writer.accept({ ...step('pi-cancel', 6), status: 'canceled', tasks: [] }, startedAt);
    await writer.drain();
    // then the task is canceled and gone from the inbox
    expect(await models.tasks.findById('pi-cancel.T').lean()).toMatchObject({ state: 'canceled', sequence: 6 });
    expect(await models.openTasks.findById('pi-cancel.T').lean()).toBeNull();
  });

  it('copies the owning complaint onto each task, so an inbox page reads no instance', async () => {
    // given the complaint's own process (business key = complaint id) and a commitment's (variable complaintId)
    const writer = projectionWriter(models, log);
    writer.accept({ ...step('pi-own-a', 3), businessKey: 'cmp-a' }, startedAt);
    writer.accept({ ...step('pi-own-b', 3), businessKey: 'cmt-b', variables: { complaintId: 'cmp-b' } }, startedAt);
    await writer.drain();
    // then
    expect(await models.tasks.findById('pi-own-a.T').lean()).toMatchObject({ owner: { businessKey: 'cmp-a', complaintId: 'cmp-a' } });
    expect(await models.openTasks.findById('pi-own-b.T').lean()).toMatchObject({ owner: { businessKey: 'cmt-b', complaintId: 'cmp-b' } });
  });

  it('writes a flush of 150 changed instances without FerretDB waiting for good', async () => {
    // given 150 instances written at step 3, then all of them moving on in the same moment
    // (FerretDB 1.24 holds a connection per statement of a command: one bulkWrite of 150
    // updates used to hang it for good, so this fails by its deadline, not by an assertion)
    const flushes: number[] = [];
    const writer = projectionWriter(models, log, { flushObserver: { flushed: ({ instances }) => flushes.push(instances) } });
    const ids = Array.from({ length: 150 }, (_, i) => `pi-wide-${i}`);
    for (const id of ids) writer.accept(step(id, 3), startedAt);
    await writer.drain();
    flushes.length = 0;
    // when every one of them is claimed (an update of instance, task and inbox entry each)
    for (const id of ids) writer.accept(step(id, 5), startedAt);
    const drained = await Promise.race([writer.drain().then(() => 'drained'), tick(45_000).then(() => 'hung')]);
    // then it finished, in a flush wider than 100 instances, and wrote every change
    expect(drained).toBe('drained');
    expect(Math.max(...flushes)).toBeGreaterThan(100);
    expect(await models.tasks.countDocuments({ _id: among(ids.map((id) => `${id}.T`)), state: 'claimed' })).toBe(150);
    expect(await models.instances.countDocuments({ _id: among(ids), sequence: 5 })).toBe(150);
  }, 90_000);
});
