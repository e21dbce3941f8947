/**
 * The inbox collection (`open_tasks`) arrived after `tasks`: a database written before it has
 * open tasks only in `tasks`. On start, an empty inbox is filled from them once; from then on
 * the projection writer keeps both.
 *
 * Several processes may start at once (and workers may already be writing): copies are
 * inserted only (a copy the writer wrote meanwhile is never replaced; a copy another starting
 * process inserted first is a duplicate key, skipped), in commands of at most
 * MAX_STATEMENTS_PER_COMMAND (server/db/commandSize.ts); afterwards each copy is checked against its task by `_id`, and a copy
 * whose task closed in between is removed again.
 */
import { trusted } from 'mongoose';
import type { Logger } from '../log';
import { bulk, readByIds } from './bulk';
import type { ProjectionModels, TaskRecord } from './models';

const isOpen = (state: string | undefined) => state === 'open' || state === 'claimed';

export async function backfillOpenTasks(models: ProjectionModels, log: Logger): Promise<number> {
  // An empty filter with a limit is answered without reading the collection.
  if (await models.openTasks.findOne({}, { _id: 1 }).lean()) return 0;
  const open = await models.tasks.find({ state: trusted({ $in: ['open', 'claimed'] }) as never }).lean<TaskRecord[]>();
  if (open.length === 0) return 0;
  const refused = await bulk(models.openTasks, open.map((task) => ({ insertOne: { document: task } })));
  const inserted = open.filter((_, i) => !refused.has(i));
  // A task closed between the read above and the insert: the writer already deleted its copy (or found none).
  const now = await readByIds(inserted.map((t) => t._id), (id) => models.tasks.findById(id, { state: 1 }).lean<Pick<TaskRecord, 'state'>>());
  const closed = inserted.filter((t) => !isOpen(now.get(t._id)?.state));
  await bulk(models.openTasks, closed.map((t) => ({ deleteOne: { filter: { _id: t._id } } })));
  if (inserted.length > 0) log.info({ tasks: inserted.length - closed.length }, 'inbox filled from the open tasks of an earlier version');
  return inserted.length - closed.length;
}
