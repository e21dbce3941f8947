import type { Connection } from 'mongoose';
import { connectMongo } from '../../server/db/mongo';
import { createDirectoryService, StaffNotFound, type DirectoryService } from '../../server/domain/directory';
import { demoDirectory, seedDirectory } from '../../server/domain/seed';
import { testEnv, uniqueName } from '../support/servers';

describe('directory updates on FerretDB (no transactions)', () => {
  let mongo: Connection;
  let directory: DirectoryService;
  const demo = demoDirectory();

  beforeAll(async () => {
    mongo = await connectMongo(testEnv.mongoUri, uniqueName('directory').replace(/-/g, '_'));
    directory = createDirectoryService(mongo);
    await seedDirectory(mongo);
  });
  afterAll(async () => {
    await mongo?.close();
  });

  it('seeds idempotently, keeping live fields', async () => {
    // given a member of staff whose load changed since seeding
    const id = demo.staff[0]!._id;
    const load = await directory.adjustLoad(id, 1);
    // when seeding again
    const report = await seedDirectory(mongo);
    // then nothing new, and the load kept
    expect(report).toMatchObject({ staff: 50, inserted: 0 });
    expect((await directory.getStaff(id))?.currentLoad).toBe(load);
  });

  it('adds concurrent evaluations without losing one, and the rate follows', async () => {
    // given someone not rated yet
    const id = demo.staff.find((s) => s.satisfaction.count === 0)?._id ?? demo.staff[1]!._id;
    const before = (await directory.getStaff(id))!.satisfaction;
    const stars = [5, 4, 3, 5, 2, 5, 4, 1];
    // when
    await Promise.all(stars.map((s) => directory.recordEvaluation(id, s)));
    // then
    const after = (await directory.getStaff(id))!.satisfaction;
    const sum = before.sum + stars.reduce((a, b) => a + b, 0);
    const count = before.count + stars.length;
    expect(after).toEqual({ sum, count, rate: sum / count });
  });

  it('counts every one of concurrent load changes', async () => {
    // given
    const id = demo.staff[3]!._id;
    const start = (await directory.getStaff(id))!.currentLoad;
    // when ten complaints are assigned at once
    await Promise.all(Array.from({ length: 10 }, () => directory.adjustLoad(id, 1)));
    // then
    expect((await directory.getStaff(id))!.currentLoad).toBe(start + 10);
  });

  it('never takes a load below zero', async () => {
    // given
    const id = demo.staff[2]!._id;
    const start = (await directory.getStaff(id))!.currentLoad;
    // when
    const up = await directory.adjustLoad(id, 2);
    const down = await directory.adjustLoad(id, -(start + 5));
    // then
    expect(up).toBe(start + 2);
    expect(down).toBe(0);
  });

  it('rejects bad stars and unknown staff', async () => {
    await expect(directory.recordEvaluation(demo.staff[0]!._id, 6)).rejects.toThrow(RangeError);
    await expect(directory.recordEvaluation('staff-999', 5)).rejects.toBeInstanceOf(StaffNotFound);
    await expect(directory.adjustLoad('staff-999', -1)).rejects.toBeInstanceOf(StaffNotFound);
  });
});
