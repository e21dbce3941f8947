import { trusted, type Connection } from 'mongoose';
import { connectMongo } from '../../server/db/mongo';
import { createLogger } from '../../server/log';
import { backfillOpenTasks } from '../../server/projections/backfill';
import { projectionModels, type ProjectionModels } from '../../server/projections/models';
import { projectionWriter, type ProjectionObserver } from '../../server/projections/writer';
import type { InstanceSnapshot } from '../../workflows/processInstance/types';
import { waitUntil } from '../../server/infra/ports';
import { testEnv, uniqueName } from '../support/servers';

/**
 * The lifecycle every test instance goes through, one snapshot per step: task T opens at
 * step 3, is claimed by bob at 5, completed at 8; the instance completes at 10. Every step
 * reports one element event.
 */
const LAST = 10;
function step(instanceId: string, sequence: number): InstanceSnapshot {
  const taskOpen = sequence >= 3 && sequence < 8;
  return {
    instanceId,
    sequence,
    updatedAt: 1_700_000_000_000 + sequence * 1000,
    status: sequence === LAST ? 'completed' : 'active',
    definition: { key: 'writer-test', version: 1 },
    businessKey: null,
    activeElements: [`at-${sequence}`],
    variables: { step: sequence },
    tasks: taskOpen ? [{
      key: 'T', elementId: 'Review', name: 'Review', state: sequence >= 5 ? 'claimed' : 'open', assignee: sequence >= 5 ? 'bob' : null,
      candidateGroups: ['reviewers'], candidateUsers: [], dueDate: null, followUpDate: null, formKey: null, createdAt: 1_700_000_003_000,
    }] : [],
    incidents: [],
    timers: [],
    subscriptions: [],
    closedTasks: sequence === 8 ? [{ key: 'T', reason: 'completed' }] : [],
    events: [{ index: sequence, elementId: `e${sequence}`, elementType: 'bpmn:Task', event: 'activated', time: 1_700_000_000_000 + sequence }],
  } as InstanceSnapshot;
}

function countingObserver() {
  const counts = { started: 0, ended: 0, opened: 0, completed: 0, incidents: 0 };
  const observer: ProjectionObserver = {
    instanceStarted: () => { counts.started += 1; },
    instanceEnded: () => { counts.ended += 1; },
    taskOpened: () => { counts.opened += 1; },
    taskCompleted: () => { counts.completed += 1; },
    incidentRaised: () => { counts.incidents += 1; },
  };
  return { counts, observer };
}

const among = (ids: string[]) => trusted({ $in: ids }) as never;
const tick = (ms: number) => new Promise((resolve) => setTimeout(resolve, ms));
const startedAt = new Date(1_700_000_000_000);

describe('projection writer on FerretDB', () => {
  let mongo: Connection;
  let models: ProjectionModels;
  const log = createLogger('silent');

  beforeAll(async () => {
    mongo = await connectMongo(testEnv.mongoUri, uniqueName('projection_writer').replace(/-/g, '_'));
    models = projectionModels(mongo);
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

describe('filling the inbox of a database written before it existed', () => {
  it('copies the open and claimed tasks once, and nothing when the inbox has entries', async () => {
    // given tasks written by an earlier version (no open_tasks yet)
    const mongo = await connectMongo(testEnv.mongoUri, uniqueName('projection_backfill').replace(/-/g, '_'));
    try {
      const models = projectionModels(mongo);
      const task = (id: string, state: 'open' | 'claimed' | 'completed') => ({
        _id: id, instanceId: 'pi-old', taskKey: id, elementId: 'Review', name: null, definitionKey: 'p', state, assignee: null,
        candidateGroups: ['reviewers'], candidateUsers: [], dueAt: null, followUpAt: null, formKey: null, createdAt: new Date(0), closedAt: null, sequence: 1,
      });
      await models.tasks.insertMany([task('a', 'open'), task('b', 'claimed'), task('c', 'completed')]);
      const log = createLogger('silent');
      // when the service starts twice
      const first = await backfillOpenTasks(models, log);
      await models.openTasks.deleteOne({ _id: 'a' });
      const second = await backfillOpenTasks(models, log);
      // then the first start copied the two open ones and the second found the inbox in use
      expect([first, second]).toEqual([2, 0]);
      expect((await models.openTasks.find({}).lean()).map((t) => t._id)).toEqual(['b']);
    } finally {
      await mongo.close();
    }
  });

  it('fills it once when two processes start at once, in commands of at most 16 operations', async () => {
    // given 40 open tasks of an earlier version (more than one command may carry) and 5 closed ones
    const mongo = await connectMongo(testEnv.mongoUri, uniqueName('projection_backfill').replace(/-/g, '_'));
    const other = await connectMongo(testEnv.mongoUri, mongo.name);
    try {
      const task = (id: string, state: 'open' | 'completed') => ({
        _id: id, instanceId: 'pi-old', taskKey: id, elementId: 'Review', name: null, definitionKey: 'p', state, assignee: null,
        candidateGroups: ['reviewers'], candidateUsers: [], dueAt: null, followUpAt: null, formKey: null, createdAt: new Date(0), closedAt: null, sequence: 1,
      });
      const open = Array.from({ length: 40 }, (_, i) => `open-${String(i).padStart(2, '0')}`);
      const models = projectionModels(mongo);
      for (let i = 0; i < open.length; i += 10) await models.tasks.insertMany(open.slice(i, i + 10).map((id) => task(id, 'open')));
      await models.tasks.insertMany(['done-1', 'done-2', 'done-3', 'done-4', 'done-5'].map((id) => task(id, 'completed')));
      const log = createLogger('silent');
      // when two processes (two connections) start at the same moment
      const results = await Promise.all([backfillOpenTasks(models, log), backfillOpenTasks(projectionModels(other), log)]);
      // then neither fails, and the inbox holds each open task exactly once
      expect(results[0] + results[1]).toBe(40);
      expect((await models.openTasks.find({}).lean()).map((t) => t._id).sort()).toEqual(open);
    } finally {
      await other.close();
      await mongo.close();
    }
  });
});
