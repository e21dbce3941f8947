/**
 * Two writers on one audit chain, as the API process and the worker do, each with its own
 * connection to the real FerretDB: with or without the document lock, the chain never forks
 * (one entry per sequence number, each fact once) and verifies.
 */
import type { Connection } from 'mongoose';
import { auditChain, verifyEntries } from '../../server/compliance/auditChain';
import type { Fact } from '../../server/compliance/facts';
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
    ['with the document lock', 'append'],
  ] as const)('does not fork %s', async (_label, method) => {
    // given two writers that each saw part of the same record, sealing it at once, several times
    // (more facts than one insert command carries, so conflicts also fall inside a batch)
    const complaintId = `cmp-${uniqueName(method)}`;
    const one = auditChain(a);
    const two = auditChain(b);
    await Promise.all([
      one[method](complaintId, range(1, 30)), two[method](complaintId, range(6, 45)),
      one[method](complaintId, range(20, 50)), two[method](complaintId, range(1, 4)),
    ]);

    // then the chain holds every fact once, numbered without gaps, and every link verifies
    const entries = await one.read(complaintId);
    expect(entries.map((e) => e.seq)).toEqual(entries.map((_, i) => i));
    expect(entries.map((e) => e.key).sort()).toEqual(range(1, 50).map((f) => f.key).sort());
    expect(verifyEntries(complaintId, entries)).toBeNull();
    expect((await two.head(complaintId))?.hash).toBe(entries.at(-1)!.hash);
  });
});
