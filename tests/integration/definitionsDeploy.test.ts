/**
 * Deploying definitions through POST /api/definitions: a new key is version 1, the same bytes
 * (or a layout-only change) answer the existing version, a changed model or an older one again
 * is the next version; compiler warnings, and one key per executable process of a document.
 */
import type { DefinitionsService } from '../../server/definitions/service';
import { uniqueName } from '../support/servers';
import { startDefinitionsServer, type DefinitionsServer } from '../support/definitionsServer';
import type { AdminServer } from '../support/auth';
import { bpmn, deploy } from './definitionsFixtures';

describe('/api/definitions', () => {
  let server: DefinitionsServer;
  let api: AdminServer;
  let service: DefinitionsService;
  let stored: DefinitionsServer['stored'];
  let get: DefinitionsServer['get'];

  beforeAll(async () => {
    server = await startDefinitionsServer('definitions');
    ({ api, service, stored, get } = server);
  });

  afterAll(async () => {
    await server?.stop();
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

  });
});
