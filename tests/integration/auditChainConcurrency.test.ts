/**
 * Writers on one audit chain in two processes, as the API process and the worker, each process
 * standing as its own connection to the real FerretDB (its own in-process queue): whether the
 * writers of a process queue (`append`) or not (`appendUnlocked`), the chain never forks or gaps
 * (one entry per sequence number, each fact once) and verifies. No database lock is taken: the
 * unique `_id` is the only rule between processes (decision 0037).
 */
import type { Connection } from 'mongoose';
import { auditChain, verifyEntries } from '../../server/compliance/auditChain';
import type { Fact } from '../../server/compliance/facts';
import { LOCK_COLLECTION } from '../../server/db/documentLock';
import { connectMongo } from '../../server/db/mongo';
import { testEnv, uniqueName } from '../support/servers';

const fact = (n: number): Fact => ({ key: `timeline:${n}`, kind: 'timeline', at: new Date(Date.UTC(2026, 0, 1, 0, n)), data: { who: `staff:u${n}`, what: `step ${n}`, when: new Date(Date.UTC(2026, 0, 1, 0, n)) } });
const range = (from: number, to: number) => Array.from({ length: to - from + 1 }, (_, i) => fact(from + i));

describe('audit chain under concurrent writers', () => {
  let a: Connection;
  let b: Connection;

  beforeAll(async () => {
    const db = uniqueName('audit').replace(/-/g, '_');
    a = await connectMongo(testEnv.mongoUri, db);
    b = await connectMongo(testEnv.mongoUri, db);
  });

  afterAll(async () => {
    await a?.close();
    await b?.close();
  });

  it.each([
    ['relying on the unique _id alone', 'appendUnlocked'],
    ['queued per chain within each process', 'append'],
  ] as const)('does not fork or gap %s', async (_label, method) => {
    // given three writers in each of two processes that each saw part of the same record, sealing
    // it at once (more facts than one insert command carries, 64, so conflicts also fall inside a
    // batch), and then again as the record grows, from a chain that is already long
    const complaintId = `cmp-${uniqueName(method)}`;
    const [one, two] = [auditChain(a), auditChain(b)];
    await Promise.all([
      one[method](complaintId, range(1, 90)), two[method](complaintId, range(6, 135)), one[method](complaintId, range(20, 150)),
      two[method](complaintId, range(1, 4)), auditChain(a)[method](complaintId, range(10, 12)), auditChain(b)[method](complaintId, range(40, 150)),
    ]);
    await Promise.all([
      two[method](complaintId, range(151, 210)), one[method](complaintId, range(135, 180)), auditChain(b)[method](complaintId, range(181, 240)),
      auditChain(a)[method](complaintId, range(210, 240)), one[method](complaintId, range(1, 240)), two[method](complaintId, range(239, 240)),
    ]);

    // then the chain holds every fact once, numbered without gaps, and every link verifies
    const entries = await one.read(complaintId);
    expect(entries.map((e) => e.seq)).toEqual(entries.map((_, i) => i));
    expect(entries.map((e) => e.key).sort()).toEqual(range(1, 240).map((f) => f.key).sort());
    expect(verifyEntries(complaintId, entries)).toBeNull();
    expect((await two.head(complaintId))?.hash).toBe(entries.at(-1)!.hash);
  });

  it('takes no database lock', async () => {
    // given a chain sealed through `append` while the driver's commands are counted
    const counted = await connectMongo(testEnv.mongoUri, a.db!.databaseName, { monitorCommands: true });
    const locks: string[] = [];
    counted.getClient().on('commandStarted', (e) => {
      const target = (e.command as Record<string, unknown>)[e.commandName];
      if (target === LOCK_COLLECTION) locks.push(e.commandName);
    });
    try {
      const complaintId = `cmp-${uniqueName('nolock')}`;
      await Promise.all([auditChain(counted).append(complaintId, range(1, 5)), auditChain(counted).append(complaintId, range(3, 8))]);
      // then it is whole, and no lock document was written or removed for it
      expect(verifyEntries(complaintId, await auditChain(counted).read(complaintId))).toBeNull();
      expect(locks).toEqual([]);
    } finally {
      await counted.close();
    }
  });
});
