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
    const insert = groupInsert<Entry>((docs) => entries.insertMany(docs, { ordered: false }), 16);
    // when forty callers insert at once, one of them the taken id
    const ids = Array.from({ length: 40 }, (_, i) => (i === 17 ? 'taken' : `e-${i}`));
    const written = await Promise.all(ids.map((id) => insert({ _id: id, text: `entry ${id}` })));
    // then the first went alone, the others in commands of at most 16, and only the taken one was refused
    expect(inserts[0]).toBe(1);
    expect(inserts.length).toBeLessThanOrEqual(4);
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
    const insert = groupInsert<Entry>((docs) => {
      calls += 1;
      return calls === 1 ? Promise.reject(new Error('connection reset')) : entries.insertMany(docs, { ordered: false });
    });
    // when one caller's command fails and others arrive meanwhile
    const first = insert({ _id: 'a', text: 'a' });
    const later = [insert({ _id: 'b', text: 'b' }), insert({ _id: 'c', text: 'c' })];
    // then the first learns the failure, and the later ones are written together
    await expect(first).rejects.toThrow('connection reset');
    await expect(Promise.all(later)).resolves.toEqual([true, true]);
    expect(calls).toBe(2);
    expect((await entries.find({}).toArray()).map((e) => e._id).sort()).toEqual(['b', 'c']);
  });
});
