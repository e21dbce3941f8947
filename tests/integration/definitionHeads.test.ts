import type { Connection } from 'mongoose';
import { HEADS_COLLECTION, type DefinitionHead } from '../../server/definitions/heads';
import { COLLECTION } from '../../server/definitions/model';
import { createDefinitionRepository } from '../../server/definitions/repository';
import { createDefinitionsService } from '../../server/definitions/service';
import { connectMongo } from '../../server/db/mongo';
import { testEnv, uniqueName } from '../support/servers';
import { bpmn } from './definitionsFixtures';

/** The per-key pointer to the latest version (heads.ts) against a real FerretDB. */
describe('latest definition through its pointer document', () => {
  let mongo: Connection;

  beforeAll(async () => {
    mongo = await connectMongo(testEnv.mongoUri, uniqueName('definition_heads').replace(/-/g, '_'));
  });

  afterAll(async () => {
    await mongo?.db?.dropDatabase();
    await mongo?.close();
  });

  const service = () => createDefinitionsService({ repository: createDefinitionRepository(mongo), maxBytes: 1024 * 1024 });
  const bytes = (key: string, n: number) => new TextEncoder().encode(bpmn({ id: key, tasks: [`Step ${n}`] }));
  const head = (key: string) => mongo.collection<DefinitionHead>(HEADS_COLLECTION).findOne({ _id: key });

  it('leaves the pointer at the highest version after concurrent deployments from separate services', async () => {
    // given five services (as five processes would have), each deploying a different content
    const key = uniqueName('complaint');
    // when all deploy at once
    const outcomes = await Promise.all([1, 2, 3, 4, 5].map((n) => service().deploy({ bytes: bytes(key, n) })));
    // then the versions are 1..5 and the pointer names version 5 and its document
    expect(outcomes.map((o) => o.deployed[0]!.record.version).sort()).toEqual([1, 2, 3, 4, 5]);
    const pointer = await head(key);
    const highest = await mongo.collection(COLLECTION).findOne({ key, version: 5 });
    expect(pointer).toMatchObject({ version: 5, hash: highest?.hash });
    expect(pointer?.versionId.toHexString()).toBe(highest?._id.toHexString());
  });

  it('starts from the new version right after a deployment, also in another service', async () => {
    // given version 1 resolved (and so read through the pointer) by a second service
    const key = uniqueName('complaint');
    const deployer = service();
    const starter = service();
    await deployer.deploy({ bytes: bytes(key, 1) });
    expect((await starter.resolveDefinition(key)).version).toBe(1);
    // when version 2 is deployed
    const { deployed } = await deployer.deploy({ bytes: bytes(key, 2) });
    // then the next start resolves version 2 with its model
    const resolved = await starter.resolveDefinition(key);
    expect(resolved.version).toBe(2);
    expect(resolved.hash).toBe(deployed[0]!.record.hash);
    expect(resolved).not.toHaveProperty('_id');
  });

  it('rebuilds a missing pointer (a database from before) from the versions and writes it', async () => {
    // given two versions and no pointer
    const key = uniqueName('complaint');
    await service().deploy({ bytes: bytes(key, 1) });
    await service().deploy({ bytes: bytes(key, 2) });
    await mongo.collection<DefinitionHead>(HEADS_COLLECTION).deleteOne({ _id: key });
    // when the latest version is read through the pointer
    const resolved = (await createDefinitionRepository(mongo).current(key))!;
    // then it is version 2 and the pointer is back
    expect(resolved.version).toBe(2);
    expect(await head(key)).toMatchObject({ version: 2 });
  });

  it('follows a removed version back to the highest one left, also after resolving (and keeping) it', async () => {
    // given versions 1 and 2, version 2 resolved once by the service that will remove it
    const key = uniqueName('complaint');
    const repository = createDefinitionRepository(mongo);
    const definitions = createDefinitionsService({ repository, maxBytes: 1024 * 1024 });
    await definitions.deploy({ bytes: bytes(key, 1) });
    await definitions.deploy({ bytes: bytes(key, 2) });
    expect((await definitions.resolveDefinition(key)).version).toBe(2);
    // when version 2 is removed (a deployment undone)
    await repository.remove(key, 2);
    // then the pointer and the resolved definition are version 1
    expect(await head(key)).toMatchObject({ version: 1 });
    expect((await definitions.resolveDefinition(key)).version).toBe(1);
  });

  it('repairs a pointer left behind when the same content is deployed again', async () => {
    // given version 2 stored but the pointer still at version 1 (its deployer died in between)
    const key = uniqueName('complaint');
    await service().deploy({ bytes: bytes(key, 1) });
    const { _id, ...v1 } = (await head(key))!;
    await service().deploy({ bytes: bytes(key, 2) });
    await mongo.collection<DefinitionHead>(HEADS_COLLECTION).replaceOne({ _id }, v1);
    // when version 2's content is deployed again
    const { deployed } = await service().deploy({ bytes: bytes(key, 2) });
    // then nothing new is stored and the pointer names version 2 again
    expect(deployed[0]!.created).toBe(false);
    expect(await head(key)).toMatchObject({ version: 2 });
  });

  it('serves a stated version from memory, and forgets it when it is removed', async () => {
    // given version 2 read by its number once (as a task form read does)
    const key = uniqueName('complaint');
    const repository = createDefinitionRepository(mongo);
    const definitions = createDefinitionsService({ repository, maxBytes: 1024 * 1024 });
    await definitions.deploy({ bytes: bytes(key, 1) });
    const { deployed } = await definitions.deploy({ bytes: bytes(key, 2) });
    expect((await definitions.resolveDefinition(key, 2)).hash).toBe(deployed[0]!.record.hash);
    // when the stored document changes behind the process's back, the next read is the remembered one
    await mongo.collection(COLLECTION).updateOne({ key, version: 2 }, { $set: { name: 'changed behind its back' } });
    expect((await definitions.resolveDefinition(key, 2)).name).not.toBe('changed behind its back');
    // and once version 2 is removed (a deployment undone), it is not found any more
    await repository.remove(key, 2);
    await expect(definitions.resolveDefinition(key, 2)).rejects.toThrow();
    expect((await definitions.resolveDefinition(key, 1)).version).toBe(1);
  });
});
