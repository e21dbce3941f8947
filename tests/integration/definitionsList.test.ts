/**
 * GET /api/definitions: each key once with its latest version, in key order, paged; 400 naming
 * the page parameter at fault.
 */
import { startDefinitionsServer, type DefinitionsServer } from '../support/definitionsServer';
import type { AdminServer } from '../support/auth';
import { bpmn, deploy } from './definitionsFixtures';

describe('GET /api/definitions (list)', () => {
  let server: DefinitionsServer;
  let api: AdminServer;

  beforeAll(async () => {
    server = await startDefinitionsServer('definitions_list');
    ({ api } = server);
    // keys c (2 versions), a, b: deployed out of order
    await deploy(api, bpmn({ id: 'key-c', name: 'C one' }));
    await deploy(api, bpmn({ id: 'key-a', name: 'A' }));
    await deploy(api, bpmn({ id: 'key-c', name: 'C two' }));
    await deploy(api, bpmn({ id: 'key-b' }));
  });

  afterAll(async () => {
    await server?.stop();
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
