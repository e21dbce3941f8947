import type { Connection } from 'mongoose';
import { COLLECTION } from '../../server/definitions/model';
import { createDefinitionRepository, type DefinitionRepository } from '../../server/definitions/repository';
import { createDefinitionsService } from '../../server/definitions/service';
import { connectMongo } from '../../server/db/mongo';
import { createApp } from '../../server/http/app';
import { createLogger } from '../../server/log';
import { serveAsAdmin, type AdminServer } from '../support/auth';
import { testEnv, uniqueName } from '../support/servers';
import { bpmn, deploy } from './definitionsFixtures';

/** Deployments race on the same key against a real FerretDB (no transactions). */
describe('concurrent deployments', () => {
  let mongo: Connection;
  let api: AdminServer;

  beforeAll(async () => {
    mongo = await connectMongo(testEnv.mongoUri, uniqueName('definitions_concurrency').replace(/-/g, '_'));
    const health = async () => ({ status: 'ok' as const, temporal: 'ok' as const, mongo: 'ok' as const, worker: 'ok' as const });
    api = await serveAsAdmin(createApp({ log: createLogger('silent'), health, mongo }), mongo);
  });

  afterAll(async () => {
    await api?.close();
    await mongo?.db?.dropDatabase();
    await mongo?.close();
  });

  it('gives 5 different contents of one key 5 distinct consecutive versions', async () => {
    // given five different models of the same process
    const key = uniqueName('complaint');
    const documents = [1, 2, 3, 4, 5].map((n) => bpmn({ id: key, tasks: [`Step ${n}`] }));
    // when all are deployed at once
    const responses = await Promise.all(documents.map((xml) => deploy(api, xml)));
    const bodies = await Promise.all(responses.map((r) => r.json()));
    // then each got its own version, 1..5 without gaps
    expect(responses.map((r) => r.status)).toEqual([201, 201, 201, 201, 201]);
    expect(bodies.map((b) => b.version).sort()).toEqual([1, 2, 3, 4, 5]);
    expect(new Set(bodies.map((b) => b.hash)).size).toBe(5);
    // and what is stored matches what each deployer was told
    const rows = await mongo.collection(COLLECTION).find({ key }).sort({ version: 1 }).toArray();
    expect(rows.map((r) => r.version)).toEqual([1, 2, 3, 4, 5]);
    for (const body of bodies) expect(rows.find((r) => r.version === body.version)?.hash).toBe(body.hash);
  });

  it('stores 5 identical concurrent deployments once: one 201, four 200 with the same version', async () => {
    // given
    const key = uniqueName('complaint');
    const xml = bpmn({ id: key });
    // when
    const responses = await Promise.all([1, 2, 3, 4, 5].map(() => deploy(api, xml)));
    const bodies = await Promise.all(responses.map((r) => r.json()));
    // then
    expect(responses.map((r) => r.status).sort()).toEqual([200, 200, 200, 200, 201]);
    expect(new Set(bodies.map((b) => b.version))).toEqual(new Set([1]));
    expect(await mongo.collection(COLLECTION).countDocuments({ key })).toBe(1);
  });

  it('resolves a forced race: all 5 deployers read the same latest version, the unique index and the retry sort them out', async () => {
    // given a repository whose first 5 reads of the latest version all wait for each other
    const key = uniqueName('complaint');
    const real = createDefinitionRepository(mongo);
    const waiting: Array<() => void> = [];
    let duplicates = 0;
    const racing: DefinitionRepository = {
      ...real,
      async latest(k) {
        const latest = await real.latest(k);
        if (waiting.length < 4 && duplicates === 0) await new Promise<void>((resolve) => waiting.push(resolve));
        else waiting.splice(0).forEach((resolve) => resolve());
        return latest;
      },
      async insert(record) {
        const outcome = await real.insert(record);
        if (outcome === 'duplicate') duplicates += 1;
        return outcome;
      },
    };
    const service = createDefinitionsService({ repository: racing, maxBytes: 1024 * 1024, pause: async () => undefined });
    const bytes = [1, 2, 3, 4, 5].map((n) => new TextEncoder().encode(bpmn({ id: key, tasks: [`Step ${n}`] })));
    // when
    const outcomes = await Promise.all(bytes.map((b) => service.deploy({ bytes: b })));
    // then the race really happened (4 lost the first insert) and still every version is distinct
    expect(duplicates).toBeGreaterThanOrEqual(4);
    expect(outcomes.map((o) => o.deployed[0]!.record.version).sort()).toEqual([1, 2, 3, 4, 5]);
    expect(await mongo.collection(COLLECTION).countDocuments({ key })).toBe(5);
  });
});
