/**
 * The inbox collection (`open_tasks`) arrived after `tasks`: a database written before it has
 * open tasks only in `tasks`. On start, an empty inbox is filled from them once; from then on
 * the projection writer keeps both.
 */
import { trusted } from 'mongoose';
import { inChunks } from '../db/commandSize';
import type { Logger } from '../log';
import type { ProjectionModels } from './models';

export async function backfillOpenTasks(models: ProjectionModels, log: Logger): Promise<number> {
  // An empty filter with a limit is answered without reading the collection.
  if (await models.openTasks.findOne({}, { _id: 1 }).lean()) return 0;
  const open = await models.tasks.find({ state: trusted({ $in: ['open', 'claimed'] }) as never }).lean();
  if (open.length === 0) return 0;
  await inChunks(open, async (chunk) => {
    await models.openTasks.bulkWrite(chunk.map(({ _id, ...task }) => ({
      // Insert only: a copy never replaces one the writer wrote meanwhile.
      updateOne: { filter: { _id }, update: { $setOnInsert: task }, upsert: true },
    })), { ordered: false });
  });
  log.info({ tasks: open.length }, 'inbox filled from the open tasks of an earlier version');
  return open.length;
}
