/**
 * Loads a directory (by default the demo one) into MongoDB. Idempotent: every record is upserted
 * by its stable id. Descriptive fields are (re)set; live ones — current load, on duty,
 * satisfaction — only on insert, so re-seeding a running demo does not undo its history.
 */
import type { Connection, Model } from 'mongoose';
import { createDirectoryService } from '../directory';
import { directoryModels } from '../directory/models';
import type { Logger } from '../../log';
import { slices } from '../../db/commandSize';
import { demoDirectory, type DemoDirectory } from './demo';

export { demoDirectory, DEMO_CENTRE, DEMO_SEED } from './demo';

export interface SeedReport {
  departments: number;
  outlets: number;
  staff: number;
  customers: number;
  /** How many of them did not exist before. */
  inserted: number;
}

const LIVE_STAFF_FIELDS = ['currentLoad', 'onDuty', 'satisfaction'] as const;

async function upsertAll<T extends { _id: string }>(model: Model<T>, records: readonly T[], insertOnly: readonly string[] = []): Promise<number> {
  if (records.length === 0) return 0;
  const ops = records.map((record) => {
    const set: Record<string, unknown> = {};
    const setOnInsert: Record<string, unknown> = {};
    for (const [field, value] of Object.entries(record)) {
      if (field === '_id') continue;
      (insertOnly.includes(field) ? setOnInsert : set)[field] = value;
    }
    return {
      updateOne: {
        filter: { _id: record._id },
        update: { $set: set, ...(Object.keys(setOnInsert).length ? { $setOnInsert: setOnInsert } : {}) },
        upsert: true,
      },
    };
  });
  // Commands of at most MAX_STATEMENTS_PER_COMMAND (server/db/commandSize.ts) operations: FerretDB 1.24 hangs on ~50 in one.
  let upserted = 0;
  for (const part of slices(ops)) upserted += (await model.bulkWrite(part as never, { ordered: false })).upsertedCount;
  return upserted;
}

export async function seedDirectory(connection: Connection, data: DemoDirectory = demoDirectory()): Promise<SeedReport> {
  const models = directoryModels(connection);
  await Promise.all(Object.values(models).map((m: Model<unknown>) => m.init()));
  const inserted = [
    await upsertAll(models.departments, data.departments),
    await upsertAll(models.outlets, data.outlets),
    await upsertAll(models.staff, data.staff, LIVE_STAFF_FIELDS),
    await upsertAll(models.customers, data.customers),
  ].reduce((a, b) => a + b, 0);
  return {
    departments: data.departments.length,
    outlets: data.outlets.length,
    staff: data.staff.length,
    customers: data.customers.length,
    inserted,
  };
}

/** First start with an empty directory: load the demo one. Does nothing when there are staff. */
export async function seedDemoIfEmpty(connection: Connection, log: Logger): Promise<SeedReport | undefined> {
  if (!(await createDirectoryService(connection).isEmpty())) return undefined;
  const report = await seedDirectory(connection);
  log.info({ ...report }, 'loaded the demo directory (departments, outlets, staff, customers); SEED_DEMO=false turns this off');
  return report;
}
