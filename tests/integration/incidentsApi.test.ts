/**
 * The operator's read routes: the instances list filtered by business key and by open
 * incidents, and GET /api/incidents, which flattens the open incidents of active instances
 * from the read model — and forgets one once it is retried successfully.
 */
import fs from 'node:fs';
import path from 'node:path';
import { eventually, startStack, type Stack } from '../support/stack';

const fixture = (name: string) => fs.readFileSync(path.join(__dirname, 'web', 'fixtures', `${name}.bpmn`), 'utf8');

interface ListPage { items: Array<{ id: string; businessKey: string | null; incidents: number }>; total: number }
interface IncidentPage {
  items: Array<{ id: string; instanceId: string; definition: { key: string; version: number }; businessKey: string | null; elementId: string; type: string; message: string; createdAt: string | null }>;
  total: number;
}

describe('instances filters and the open incidents list', () => {
  let stack: Stack;
  let calm: string;
  let failing: string;

  beforeAll(async () => {
    stack = await startStack();
    for (const key of ['operator-simple', 'operator-incident']) {
      expect((await stack.api('POST', '/api/definitions', fixture(key), 'application/xml')).status).toBe(201);
    }
    calm = (await stack.api<{ instanceId: string }>('POST', '/api/processes/operator-simple/instances', { businessKey: 'C-API-1' })).body.instanceId;
    failing = (await stack.api<{ instanceId: string }>('POST', '/api/processes/operator-incident/instances', { businessKey: 'C-API-2' })).body.instanceId;
    await eventually<ListPage>(stack, '/api/instances', (p) => p.items.some((i) => i.id === failing && i.incidents === 1) && p.items.some((i) => i.id === calm), 'both instances in the read model');
  });

  afterAll(async () => {
    await stack?.stop();
  });

  it('filters instances by business key and by open incidents', async () => {
    const ids = async (query: string) => (await stack.api<ListPage>('GET', `/api/instances?${query}`)).body.items.map((i) => i.id).sort();
    expect(await ids('businessKey=C-API-1')).toEqual([calm]);
    expect(await ids('businessKey=C-API')).toEqual([]);
    expect(await ids('hasIncidents=true')).toEqual([failing]);
    expect(await ids('hasIncidents=false')).toEqual([calm]);
    expect(await ids('hasIncidents=true&key=operator-simple')).toEqual([]);
  });

  it('refuses a malformed filter with its field path', async () => {
    const res = await stack.api<{ fields: Array<{ path: string }> }>('GET', '/api/instances?hasIncidents=yes');
    expect(res.status).toBe(400);
    expect(res.body.fields.map((f) => f.path)).toEqual(['hasIncidents']);
  });

  it('lists the open incident with where it is and what went wrong, then forgets it once retried', async () => {
    const page = (await stack.api<IncidentPage>('GET', '/api/incidents')).body;
    expect(page.total).toBe(1);
    expect(page.items).toEqual([expect.objectContaining({
      instanceId: failing,
      definition: { key: 'operator-incident', version: 1 },
      businessKey: 'C-API-2',
      elementId: 'checkWarranty',
      type: 'IO_MAPPING_ERROR',
      message: expect.stringContaining('warrantyMonths'),
      createdAt: expect.stringMatching(/^\d{4}-\d\d-\d\dT/),
    })]);
    expect((await stack.api<IncidentPage>('GET', '/api/incidents?key=operator-simple')).body.items).toEqual([]);

    expect((await stack.api('PUT', `/api/instances/${failing}/variables`, { variables: { warrantyMonths: 6 } })).status).toBe(204);
    expect((await stack.api('POST', `/api/instances/${failing}/incidents/${page.items[0]!.id}/resolve`)).status).toBe(204);
    await eventually<IncidentPage>(stack, '/api/incidents', (p) => p.items.length === 0 && p.total === 0, 'the incident gone from the list');
    expect((await stack.api<ListPage>('GET', '/api/instances?hasIncidents=true')).body.items).toEqual([]);
  });
});
