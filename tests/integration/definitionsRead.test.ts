/**
 * Reading definitions: the versions of a key, the XML and executable model of a version as
 * deployed (GET /api/definitions/...), the service's resolveDefinition, and the database's own
 * refusal of a second version under an existing (key, version).
 */
import type { Connection } from 'mongoose';
import { sha256Hex } from '../../processes/compiler/hash';
import { COLLECTION } from '../../server/definitions/model';
import { DefinitionNotFound, type DefinitionsService } from '../../server/definitions/service';
import { uniqueName } from '../support/servers';
import { startDefinitionsServer, type DefinitionsServer } from '../support/definitionsServer';
import type { AdminServer } from '../support/auth';
import { bpmn, deploy } from './definitionsFixtures';

describe('/api/definitions', () => {
  let server: DefinitionsServer;
  let mongo: Connection;
  let api: AdminServer;
  let service: DefinitionsService;
  let get: DefinitionsServer['get'];

  beforeAll(async () => {
    server = await startDefinitionsServer('definitions');
    ({ mongo, api, service, get } = server);
  });

  afterAll(async () => {
    await server?.stop();
  });

  describe('GET', () => {
    let key: string;
    let v1xml: string;
    let v2xml: string;

    beforeAll(async () => {
      key = uniqueName('complaint');
      v1xml = bpmn({ id: key, name: 'First', tasks: ['Review'] });
      v2xml = bpmn({ id: key, name: 'Second', tasks: ['Review', 'Refund'] });
      await deploy(api, v1xml, 'application/xml', '?resourceName=first.bpmn');
      await deploy(api, v2xml);
    });

    it('lists every version of a key, newest first', async () => {
      // when
      const res = await get(`/api/definitions/${key}/versions`);
      // then
      expect(res.status).toBe(200);
      const body = await res.json();
      expect(body.key).toBe(key);
      expect(body.versions.map((v: { version: number; name: string }) => [v.version, v.name])).toEqual([[2, 'Second'], [1, 'First']]);
      expect(body.versions[1]).toMatchObject({ resourceName: 'first.bpmn', xmlHash: expect.stringMatching(/^[0-9a-f]{64}$/) });
      expect(body.versions[0].model).toBeUndefined();
    });

    it('serves the XML of a version as deployed', async () => {
      // when
      const res = await get(`/api/definitions/${key}/versions/1/xml`);
      // then
      expect(res.status).toBe(200);
      expect(res.headers.get('content-type')).toMatch(/^application\/xml/);
      expect(res.headers.get('content-disposition')).toContain('first.bpmn');
      expect(await res.text()).toBe(v1xml);
      expect(await (await get(`/api/definitions/${key}/versions/2/xml`)).text()).toBe(v2xml);
    });

    it('serves a version with its executable model, unchanged by storage', async () => {
      // when
      const res = await get(`/api/definitions/${key}/versions/2`);
      // then
      expect(res.status).toBe(200);
      const body = await res.json();
      expect(body).toMatchObject({ key, version: 2, name: 'Second' });
      const { hash, ...rest } = body.model;
      expect(hash).toBe(body.hash);
      expect(sha256Hex(rest)).toBe(hash);
      expect(body.model.elements.map((e: { id: string }) => e.id)).toContain(`${key}_task1`);
    });

    it.each([
      ['versions of an unknown key', '/api/definitions/no-such-key/versions'],
      ['an unknown version', 'VERSION 99'],
      ['the XML of an unknown version', 'XML 99'],
      ['the XML of an unknown key', '/api/definitions/no-such-key/versions/1/xml'],
    ])('answers 404 for %s', async (_what, path) => {
      // given
      const url = path.replace('VERSION ', `/api/definitions/${key}/versions/`).replace(/^XML (\d+)$/, `/api/definitions/${key}/versions/$1/xml`);
      // when
      const res = await get(url);
      // then
      expect(res.status).toBe(404);
      expect(await res.json()).toMatchObject({ error: 'definition_not_found' });
    });

    it.each(['abc', '1.5', '0', '-1', '1e2'])('answers 400 naming the version for version %s', async (version) => {
      // when
      const [xml, meta] = await Promise.all([
        get(`/api/definitions/${key}/versions/${version}/xml`),
        get(`/api/definitions/${key}/versions/${version}`),
      ]);
      // then
      for (const res of [xml, meta]) {
        expect(res.status).toBe(400);
        expect(await res.json()).toMatchObject({ error: 'invalid_request', fields: [expect.objectContaining({ path: 'version' })] });
      }
    });
  });

  describe('resolveDefinition', () => {
    it('resolves the latest version, or the one asked for, and throws DefinitionNotFound otherwise', async () => {
      // given
      const key = uniqueName('complaint');
      await deploy(api, bpmn({ id: key, tasks: ['A'] }));
      await deploy(api, bpmn({ id: key, tasks: ['B'] }));
      // when
      const latest = await service.resolveDefinition(key);
      const first = await service.resolveDefinition(key, 1);
      // then
      expect(latest).toMatchObject({ key, version: 2 });
      expect(latest.model.id).toBe(key);
      expect(first.model.elements.find((e) => e.kind === 'task')?.name).toBe('A');
      await expect(service.resolveDefinition(key, 3)).rejects.toBeInstanceOf(DefinitionNotFound);
      await expect(service.resolveDefinition('nope')).rejects.toMatchObject({ kind: 'not_found' });
    });
  });

  it('refuses a second version under an existing (key, version) at the database level', async () => {
    // given the unique index (FerretDB must enforce it: versioning relies on it)
    const key = uniqueName('complaint');
    await deploy(api, bpmn({ id: key }));
    const existing = await mongo.collection(COLLECTION).findOne({ key }, { projection: { _id: 0 } });
    // when
    const insert = mongo.collection(COLLECTION).insertOne({ ...existing!, hash: 'other' });
    // then
    await expect(insert).rejects.toMatchObject({ code: 11000 });
  });
});
