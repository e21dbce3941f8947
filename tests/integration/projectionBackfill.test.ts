/**
 * Filling the inbox (open_tasks) of a database written before it existed: once, from the open and
 * claimed tasks, also when two processes start at once.
 */
import { connectMongo } from '../../server/db/mongo';
import { createLogger } from '../../server/log';
import { backfillOpenTasks } from '../../server/projections/backfill';
import { projectionModels } from '../../server/projections/models';
import { testEnv, uniqueName } from '../support/servers';

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
