import type { Connection } from 'mongoose';
import { connectMongo } from '../../server/db/mongo';
import { createDirectoryService } from '../../server/domain/directory';
import { demoDirectory, seedDirectory } from '../../server/domain/seed';
import { testEnv, uniqueName } from '../support/servers';

/** Customers are read from memory for a while; a change through the process is seen at once (issue 11). */
describe('customers read from memory', () => {
  let mongo: Connection;
  const reads: string[] = [];
  const demo = demoDirectory();

  beforeAll(async () => {
    mongo = await connectMongo(testEnv.mongoUri, uniqueName('customer_cache').replace(/-/g, '_'), { monitorCommands: true });
    await seedDirectory(mongo);
    mongo.getClient().on('commandStarted', (e) => {
      if (e.commandName === 'find' && (e.command as { find: string }).find === 'customers') reads.push(String((e.command as { filter?: { _id?: unknown } }).filter?._id));
    });
  });

  afterAll(async () => {
    await mongo?.close();
  });

  it('reads a customer once for every directory service of the process, and again after a change through it', async () => {
    // given two directory services of one process (the API's and the worker's) and a seeded customer
    const [api, worker] = [createDirectoryService(mongo), createDirectoryService(mongo)];
    const customer = demo.customers[0]!;
    const engineer = demo.staff.find((s) => s.roles.includes('engineer') && s._id !== customer.favouriteStaffId)!;
    reads.length = 0;
    // when both read it three times
    for (const service of [api, worker, api]) expect((await service.getCustomer(customer._id))?.name).toBe(customer.name);
    // then the database was asked once
    expect(reads).toEqual([customer._id]);
    // and what a caller does to its copy does not reach the next caller
    const copy = (await api.getCustomer(customer._id))!;
    copy.name = 'changed by a caller';
    expect((await worker.getCustomer(customer._id))?.name).toBe(customer.name);
    // when the customer picks a favourite through one of them
    await worker.setFavourite(customer._id, engineer._id);
    // then the other sees it at once, read again
    expect((await api.getCustomer(customer._id))?.favouriteStaffId).toBe(engineer._id);
    expect(reads).toEqual([customer._id, customer._id]);
  });

  it('keeps no answer for a customer it did not find, so one created later is found', async () => {
    const directory = createDirectoryService(mongo);
    expect(await directory.getCustomer('cust-created-later')).toBeUndefined();
    await mongo.collection('customers').insertOne({ _id: 'cust-created-later' as never, name: 'Later Customer', tier: 'standard' });
    expect((await directory.getCustomer('cust-created-later'))?.name).toBe('Later Customer');
  });
});
