import type { Connection } from 'mongoose';
import { groupInsert } from '../../server/db/groupInsert';
import { connectMongo } from '../../server/db/mongo';
import { testEnv, uniqueName } from '../support/servers';

interface Entry { _id: string; text: string }

describe('group insert (timeline entries appended at the same time share commands)', () => {
  let mongo: Connection;
  const inserts: number[] = [];

  beforeAll(async () => {
    mongo = await connectMongo(testEnv.mongoUri, uniqueName('group_insert').replace(/-/g, '_'), { monitorCommands: true });
    mongo.getClient().on('commandStarted', (e) => {
      if (e.commandName === 'insert') inserts.push((e.command as { documents: unknown[] }).documents.length);
    });
  });

  afterAll(async () => {
    await mongo?.close();
  });

  it('sends what arrives during an insert as one command, and tells each caller about its own document', async () => {
    // given a collection with one entry already in it
    const entries = mongo.db!.collection<Entry>('entries_grouped');
    await entries.insertOne({ _id: 'taken', text: 'first' });
    inserts.length = 0;
    const insert = groupInsert<Entry>((docs) => entries.insertMany(docs, { ordered: false }), { max: 16 });
    // when forty callers insert at once, one of them the taken id
    const ids = Array.from({ length: 40 }, (_, i) => (i === 17 ? 'taken' : `e-${i}`));
    const written = await Promise.all(ids.map((id) => insert({ _id: id, text: `entry ${id}` })));
    // then the first two went alone (two commands run at once), the others in commands of at
    // most 16, and only the taken one was refused (the driver may start them in another order)
    expect(inserts.filter((n) => n === 1)).toHaveLength(2);
    expect(inserts.length).toBeLessThanOrEqual(5);
    expect(Math.max(...inserts)).toBeLessThanOrEqual(16);
    expect(inserts.reduce((a, b) => a + b, 0)).toBe(40);
    expect(written.filter((w) => !w)).toHaveLength(1);
    expect(written[17]).toBe(false);
    expect(await entries.countDocuments({})).toBe(40);
    expect(await entries.findOne({ _id: 'taken' })).toEqual({ _id: 'taken', text: 'first' });
  });

  it('rejects the callers of a command that failed for another reason, and goes on with the next', async () => {
    // given an insert whose command fails once for a reason other than a taken id
    const entries = mongo.db!.collection<Entry>('entries_failing');
    let calls = 0;
    // when one caller's command fails and others arrive meanwhile (one command at a time here)
    const insertOneAtATime = groupInsert<Entry>((docs) => {
      calls += 1;
      return calls === 1 ? Promise.reject(new Error('connection reset')) : entries.insertMany(docs, { ordered: false });
    }, { inFlight: 1 });
    const first = insertOneAtATime({ _id: 'a', text: 'a' });
    const later = [insertOneAtATime({ _id: 'b', text: 'b' }), insertOneAtATime({ _id: 'c', text: 'c' })];
    // then the first learns the failure, and the later ones are written together
    await expect(first).rejects.toThrow('connection reset');
    await expect(Promise.all(later)).resolves.toEqual([true, true]);
    expect(calls).toBe(2);
    expect((await entries.find({}).toArray()).map((e) => e._id).sort()).toEqual(['b', 'c']);
  });

  it('does not hold every caller behind one slow command', async () => {
    // given a group whose first command does not answer until released
    const entries = mongo.db!.collection<Entry>('entries_slow');
    let release!: () => void;
    const stuck = new Promise<void>((resolve) => { release = resolve; });
    let calls = 0;
    const insert = groupInsert<Entry>(async (docs) => {
      calls += 1;
      if (calls === 1) await stuck;
      await entries.insertMany(docs, { ordered: false });
    });
    // when one caller's command hangs and others come after it
    const slow = insert({ _id: 'slow', text: 'slow' });
    const others = await Promise.all([insert({ _id: 'x', text: 'x' }), insert({ _id: 'y', text: 'y' })]);
    // then the others are written meanwhile, and the slow one once it answers
    expect(others).toEqual([true, true]);
    release();
    await expect(slow).resolves.toBe(true);
    expect((await entries.find({}).toArray()).map((e) => e._id).sort()).toEqual(['slow', 'x', 'y']);
  });
});
