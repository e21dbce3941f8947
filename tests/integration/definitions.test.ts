import type { Connection } from 'mongoose';
import { sha256Hex } from '../../processes/compiler/hash';
import { COLLECTION } from '../../server/definitions/model';
import { createDefinitionRepository } from '../../server/definitions/repository';
import { createDefinitionsService, DefinitionNotFound, type DefinitionsService } from '../../server/definitions/service';
import { connectMongo } from '../../server/db/mongo';
import type { HealthReport } from '../../server/health';
import { createApp } from '../../server/http/app';
import { DomainError } from '../../server/domain/errors';
import { createLogger } from '../../server/log';
import { serveAsAdmin, type AdminServer } from '../support/auth';
import { testEnv, uniqueName } from '../support/servers';
import { bpmn, deploy } from './definitionsFixtures';

const MAX_BYTES = 16 * 1024;
const healthy = async (): Promise<HealthReport> => ({ status: 'ok', temporal: 'ok', mongo: 'ok', worker: 'ok' });
const dbName = (prefix: string) => uniqueName(prefix).replace(/-/g, '_');

describe('/api/definitions', () => {
  let mongo: Connection;
  let api: AdminServer;
  let service: DefinitionsService;

  const stored = (filter: Record<string, unknown> = {}) => mongo.collection(COLLECTION).countDocuments(filter);
  const get = (path: string) => api.fetch(`${path}`);

  beforeAll(async () => {
    mongo = await connectMongo(testEnv.mongoUri, dbName('definitions'));
    service = createDefinitionsService({ repository: createDefinitionRepository(mongo), maxBytes: MAX_BYTES });
    api = await serveAsAdmin(createApp({ log: createLogger('silent'), health: healthy, mongo, bpmnMaxBytes: MAX_BYTES }), mongo);
  });

  afterAll(async () => {
    await api?.close();
    await mongo?.db?.dropDatabase();
    await mongo?.close();
  });

  describe('POST', () => {
    it('stores a new key as version 1 and answers 201 with its location', async () => {
      // given
      const key = uniqueName('complaint');
      // when
      const res = await deploy(api, bpmn({ id: key, name: 'Complaint handling' }), 'application/xml', '?resourceName=complaint.bpmn');
      // then
      expect(res.status).toBe(201);
      const body = await res.json();
      expect(body).toEqual({
        key,
        version: 1,
        hash: expect.stringMatching(/^[0-9a-f]{64}$/),
        name: 'Complaint handling',
        deployedAt: expect.any(String),
        created: true,
        warnings: [],
      });
      expect(res.headers.get('location')).toBe(`/api/definitions/${key}/versions/1`);
      expect(await stored({ key })).toBe(1);
    });

    it('answers 200 with the existing version when the same bytes come again', async () => {
      // given
      const key = uniqueName('complaint');
      const xml = bpmn({ id: key });
      const first = await (await deploy(api, xml)).json();
      // when
      const res = await deploy(api, xml, 'text/xml; charset=utf-8');
      // then
      expect(res.status).toBe(200);
      expect(await res.json()).toMatchObject({ key, version: 1, hash: first.hash, deployedAt: first.deployedAt, created: false });
      expect(res.headers.get('location')).toBeNull();
      expect(await stored({ key })).toBe(1);
    });

    it('stores a changed model as the next version', async () => {
      // given
      const key = uniqueName('complaint');
      const v1 = await (await deploy(api, bpmn({ id: key, tasks: ['Review'] }))).json();
      // when
      const res = await deploy(api, bpmn({ id: key, tasks: ['Review', 'Refund'] }));
      // then
      expect(res.status).toBe(201);
      const v2 = await res.json();
      expect(v2).toMatchObject({ key, version: 2, created: true });
      expect(v2.hash).not.toBe(v1.hash);
      expect(await stored({ key })).toBe(2);
    });

    it('treats a layout-only change as the same definition: 200 with the existing version, nothing stored', async () => {
      // given
      const key = uniqueName('complaint');
      const original = bpmn({ id: key });
      await deploy(api, original);
      // when the shapes moved but the process did not change
      const res = await deploy(api, bpmn({ id: key, shiftX: 40 }));
      // then
      expect(res.status).toBe(200);
      expect(await res.json()).toMatchObject({ key, version: 1, created: false });
      expect(await stored({ key })).toBe(1);
      expect(await (await get(`/api/definitions/${key}/versions/1/xml`)).text()).toBe(original);
    });

    it('stores the content of an older version again as a new version (a rollback)', async () => {
      // given versions 1 (A) and 2 (B)
      const key = uniqueName('complaint');
      const a = bpmn({ id: key, tasks: ['Review'] });
      await deploy(api, a);
      await deploy(api, bpmn({ id: key, tasks: ['Escalate'] }));
      // when A comes again
      const res = await deploy(api, a);
      // then it is the latest again, as version 3
      expect(res.status).toBe(201);
      expect(await res.json()).toMatchObject({ key, version: 3, created: true });
      expect((await service.resolveDefinition(key)).version).toBe(3);
    });

    it('returns the compiler warnings on success', async () => {
      // given a task without a name
      const key = uniqueName('complaint');
      // when
      const res = await deploy(api, bpmn({ id: key, tasks: [''] }));
      // then
      expect(res.status).toBe(201);
      expect((await res.json()).warnings).toEqual([
        expect.objectContaining({ elementId: `${key}_task0`, elementType: 'bpmn:Task', severity: 'warning' }),
      ]);
    });

    it('deploys every executable process of a document as its own key', async () => {
      // given
      const [a, b] = [uniqueName('intake'), uniqueName('refund')];
      const xml = bpmn({ id: a, name: 'Intake' }, { id: b });
      // when
      const res = await deploy(api, xml);
      const again = await deploy(api, xml);
      // then
      expect(res.status).toBe(201);
      expect(await res.json()).toEqual({
        definitions: [
          expect.objectContaining({ key: a, version: 1, name: 'Intake', created: true }),
          expect.objectContaining({ key: b, version: 1, name: b, created: true }),
        ],
        warnings: [],
      });
      expect(again.status).toBe(200);
      expect((await again.json()).definitions.map((d: { created: boolean }) => d.created)).toEqual([false, false]);
      expect(await (await get(`/api/definitions/${b}/versions/1/xml`)).text()).toBe(xml);
      expect(res.headers.get('location')).toBeNull();
    });

    it('answers 422 naming the elements at fault, and stores nothing', async () => {
      // given a service task whose type expression is not FEEL
      const key = uniqueName('complaint');
      const before = await stored();
      // when
      const res = await deploy(api, bpmn({ id: key, serviceTaskType: '=no.such.type(' }));
      // then
      expect(res.status).toBe(422);
      const body = await res.json();
      expect(body).toMatchObject({ error: 'invalid_bpmn', message: expect.any(String), warnings: expect.any(Array) });
      expect(body.errors).toContainEqual(
        expect.objectContaining({ elementId: `${key}_service`, elementType: 'bpmn:ServiceTask', severity: 'error', message: expect.stringContaining('no.such.type') }),
      );
      expect(await stored()).toBe(before);
    });

    it('answers 422 with a document-level problem for XML that is not BPMN', async () => {
      // when
      const res = await deploy(api, '<?xml version="1.0"?><complaint>angry</complaint>');
      // then
      expect(res.status).toBe(422);
      const body = await res.json();
      expect(body.error).toBe('invalid_bpmn');
      expect(body.errors[0]).toMatchObject({ elementId: null, severity: 'error' });
    });

    it('answers 413 when Content-Length exceeds the limit, without storing', async () => {
      // given a valid document padded past the limit
      const key = uniqueName('complaint');
      const xml = bpmn({ id: key }).replace('</bpmn:definitions>', `<!-- ${'x'.repeat(MAX_BYTES)} --></bpmn:definitions>`);
      // when
      const res = await deploy(api, xml);
      // then
      expect(res.status).toBe(413);
      expect(await res.json()).toMatchObject({ error: 'payload_too_large' });
      expect(await stored({ key })).toBe(0);
    });

    it('answers 413 when a streamed body without Content-Length grows past the limit', async () => {
      // given a chunked upload
      const chunk = new TextEncoder().encode('<!-- padding padding padding -->'.repeat(64));
      let sent = 0;
      const stream = new ReadableStream<Uint8Array>({
        pull(controller) {
          if (sent > MAX_BYTES * 2) controller.close();
          else {
            sent += chunk.length;
            controller.enqueue(chunk);
          }
        },
      });
      // when
      const res = await api.fetch(`/api/definitions`, {
        method: 'POST',
        headers: { 'content-type': 'application/xml' },
        body: stream,
        duplex: 'half',
      } as RequestInit);
      // then
      expect(res.status).toBe(413);
    });

    it('refuses with 413 when the compiler refuses the size, without storing', async () => {
      // given a service whose limit is below the document's size
      const key = uniqueName('complaint');
      const small = createDefinitionsService({ repository: createDefinitionRepository(mongo), maxBytes: 1024 });
      const bytes = new TextEncoder().encode(bpmn({ id: key, tasks: ['A', 'B', 'C'] }));
      expect(bytes.length).toBeGreaterThan(1024);
      // when
      const outcome = small.deploy({ bytes });
      // then
      await expect(outcome).rejects.toMatchObject({ kind: 'too_large', code: 'payload_too_large' });
      await expect(outcome).rejects.toBeInstanceOf(DomainError);
      expect(await stored({ key })).toBe(0);
    });

    it.each([
      ['application/json', '{"bpmn": true}'],
      ['text/plain', 'hello'],
      ['application/x-www-form-urlencoded', 'a=b'],
    ])('answers 415 for Content-Type %s', async (contentType, body) => {
      // when
      const res = await deploy(api, body, contentType);
      // then
      expect(res.status).toBe(415);
      expect(await res.json()).toMatchObject({ error: 'unsupported_media_type' });
    });

    it('answers 415 for a body without Content-Type', async () => {
      // when
      const res = await api.fetch(`/api/definitions`, { method: 'POST', body: new Uint8Array([60, 97, 47, 62]) });
      // then
      expect(res.headers.get('content-type')).toMatch(/^application\/json/);
      expect(res.status).toBe(415);
    });

    it('answers 400 for an empty body', async () => {
      // when
      const res = await deploy(api, '');
      // then
      expect(res.status).toBe(400);
      expect(await res.json()).toMatchObject({ error: 'empty_body' });
    });

    it('answers 400 naming resourceName when it is a path', async () => {
      // when
      const res = await deploy(api, bpmn({ id: uniqueName('complaint') }), 'application/xml', '?resourceName=..%2Fetc%2Fpasswd');
      // then
      expect(res.status).toBe(400);
      expect((await res.json()).fields).toEqual([expect.objectContaining({ path: 'resourceName' })]);
    });
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

describe('GET /api/definitions (list)', () => {
  let mongo: Connection;
  let api: AdminServer;

  beforeAll(async () => {
    mongo = await connectMongo(testEnv.mongoUri, dbName('definitions_list'));
    api = await serveAsAdmin(createApp({ log: createLogger('silent'), health: healthy, mongo, bpmnMaxBytes: MAX_BYTES }), mongo);
    // keys c (2 versions), a, b: deployed out of order
    await deploy(api, bpmn({ id: 'key-c', name: 'C one' }));
    await deploy(api, bpmn({ id: 'key-a', name: 'A' }));
    await deploy(api, bpmn({ id: 'key-c', name: 'C two' }));
    await deploy(api, bpmn({ id: 'key-b' }));
  });

  afterAll(async () => {
    await api?.close();
    await mongo?.db?.dropDatabase();
    await mongo?.close();
  });

  it('lists each key once with its latest version, in key order', async () => {
    // when
    const res = await api.fetch(`/api/definitions`);
    // then
    expect(res.status).toBe(200);
    const body = await res.json();
    expect(body).toMatchObject({ page: 1, pageSize: 20, total: 3 });
    expect(body.items).toEqual([
      { key: 'key-a', name: 'A', latestVersion: 1, deployedAt: expect.any(String) },
      { key: 'key-b', name: 'key-b', latestVersion: 1, deployedAt: expect.any(String) },
      { key: 'key-c', name: 'C two', latestVersion: 2, deployedAt: expect.any(String) },
    ]);
  });

  it('pages', async () => {
    // when
    const [second, beyond] = await Promise.all([
      api.fetch(`/api/definitions?page=2&pageSize=2`).then((r) => r.json()),
      api.fetch(`/api/definitions?page=3&pageSize=2`).then((r) => r.json()),
    ]);
    // then
    expect(second).toMatchObject({ page: 2, pageSize: 2, total: 3, items: [expect.objectContaining({ key: 'key-c' })] });
    expect(second.items).toHaveLength(1);
    expect(beyond).toMatchObject({ total: 3, items: [] });
  });

  it.each([
    ['pageSize', 'pageSize=101'],
    ['pageSize', 'pageSize=0'],
    ['page', 'page=0'],
    ['page', 'page=two'],
  ])('answers 400 naming %s for %s', async (field, query) => {
    // when
    const res = await api.fetch(`/api/definitions?${query}`);
    // then
    expect(res.status).toBe(400);
    expect((await res.json()).fields).toEqual([expect.objectContaining({ path: field })]);
  });
});
