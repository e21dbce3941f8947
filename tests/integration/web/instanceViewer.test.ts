/**
 * The operator's journey in real Chromium against the real server, Temporal and FerretDB:
 * the instances list with its filters, the incidents list, and the instance viewer showing
 * the tokens exactly where GET /api/instances/{id} says they are, an incident with its
 * message and a working Retry (after the cause is fixed through PUT variables), and a timer
 * counting down. No SLA clocks are written here: the dashboard says so, and the heat-map
 * toggle is offered (its figures are checked in slaDashboard.test.ts).
 */
import fs from 'node:fs';
import path from 'node:path';
import type { Browser, Page } from 'playwright-core';
import { launchBrowser, openJourney } from '../../support/browser';
import { eventually, startStack, type Stack } from '../../support/stack';

interface Detail { status: string; activeElements: string[]; incidents: Array<{ id: string; elementId: string; message: string }>; timers: Array<{ elementId: string }> }
interface ListPage { items: Array<{ id: string; incidents: number }> }

const fixture = (name: string) => fs.readFileSync(path.join(__dirname, 'fixtures', `${name}.bpmn`), 'utf8');

let stack: Stack;
let browser: Browser;
let simpleId: string;
let incidentId: string;

async function deployAndStart(key: string, businessKey: string): Promise<string> {
  const deployed = await stack.api('POST', '/api/definitions', fixture(key), 'application/xml');
  if (deployed.status !== 201) throw new Error(`deploy ${key}: ${deployed.status} ${JSON.stringify(deployed.body)}`);
  const started = await stack.api<{ instanceId: string }>('POST', `/api/processes/${key}/instances`, { businessKey });
  if (started.status !== 201) throw new Error(`start ${key}: ${started.status} ${JSON.stringify(started.body)}`);
  return started.body.instanceId;
}

/** Element ids under the viewer's token overlays, as the page shows them. */
async function tokenElements(page: Page): Promise<string[]> {
  return (await page.locator('#viewer-canvas .op-token').evaluateAll((els) => els.map((e) => e.getAttribute('data-element') ?? ''))).sort();
}

/** What the API says is active, minus the process itself (the canvas root, which carries no token). */
const activeShapes = (detail: Detail, processKey: string) => [...new Set(detail.activeElements.filter((e) => e !== processKey))].sort();

beforeAll(async () => {
  [stack, browser] = await Promise.all([startStack(), launchBrowser()]);
  simpleId = await deployAndStart('operator-simple', 'C-OPS-1');
  incidentId = await deployAndStart('operator-incident', 'C-OPS-2');
  await eventually<Detail>(stack, `/api/instances/${incidentId}`, (d) => d.incidents.some((i) => i.elementId === 'checkWarranty') && d.activeElements.includes('review'), 'the warranty incident');
  await eventually<ListPage>(stack, '/api/instances?hasIncidents=true', (p) => p.items.some((i) => i.id === incidentId), 'the incident in the read model');
});

afterAll(async () => {
  await browser?.close();
  await stack?.stop();
});

describe('operator pages', () => {
  it('lists and filters instances, lists the incident, shows the live state on the diagram, and retries the incident', async () => {
    const operator = await stack.createUser({ roles: ['operator'], name: 'Olga Operator' });
    const session = await stack.login(operator.email, operator.password);
    const journey = await openJourney(browser, { name: 'operator-instance-viewer', baseUrl: stack.url });
    const { page } = journey;
    await journey.signIn(session.token, session.user);

    await journey.step('the instances list shows both instances', async () => {
      await page.goto('/#/instances');
      await page.locator(`#instances-table tr[data-instance="${simpleId}"]`).waitFor();
      await page.locator(`#instances-table tr[data-instance="${incidentId}"] .incident-count`).waitFor();
    });
    await journey.step('filtered to instances with incidents', async () => {
      await page.selectOption('#filter-incidents', 'true');
      await page.click('#instance-filters button[type=submit]');
      await page.locator(`#instances-table tr[data-instance="${simpleId}"]`).waitFor({ state: 'detached' });
      expect(await page.locator('#instances-table tbody tr').evaluateAll((rows) => rows.map((r) => r.getAttribute('data-instance')))).toEqual([incidentId]);
      expect(page.url()).toContain('hasIncidents=true');
    });
    await journey.step('filtered by complaint number', async () => {
      await page.selectOption('#filter-incidents', '');
      await page.fill('#filter-business-key', 'C-OPS-1');
      await page.click('#instance-filters button[type=submit]');
      await page.locator(`#instances-table tr[data-instance="${incidentId}"]`).waitFor({ state: 'detached' });
      expect(await page.locator('#instances-table tbody tr').evaluateAll((rows) => rows.map((r) => r.getAttribute('data-instance')))).toEqual([simpleId]);
    });
    await journey.step('the simple instance: one token on the user task, the path behind it', async () => {
      await page.click(`#instances-table tr[data-instance="${simpleId}"] a.instance-link`);
      await page.waitForURL(new RegExp(`#/instances/${simpleId}$`));
      await page.locator('#viewer-canvas .op-token').first().waitFor();
      const detail = (await stack.api<Detail>('GET', `/api/instances/${simpleId}`)).body;
      expect(await tokenElements(page)).toEqual(activeShapes(detail, 'operator-simple'));
      expect(await tokenElements(page)).toEqual(['acknowledge']);
      await page.locator('#viewer-canvas [data-element-id="f0"].op-done').waitFor({ state: 'attached' });
      expect(await page.locator('#viewer-canvas [data-element-id="f1"].op-done').count()).toBe(0);
      await page.locator('#panel-history').getByText('Complaint received').first().waitFor();
      await page.locator('#viewer-updated').getByText(/Updated/).waitFor();
      await page.locator('#viewer-modes').waitFor(); // the heat map answers, so the toggle is offered
    });
    await journey.step('the incidents list shows the warranty incident', async () => {
      await page.goto('/#/incidents');
      const row = page.locator(`#incidents-table tr[data-instance="${incidentId}"]`);
      await row.waitFor();
      await row.getByText('checkWarranty').waitFor();
      await row.getByText('IO_MAPPING_ERROR').waitFor();
      await row.getByText(/warrantyMonths/).first().waitFor();
    });
    await journey.step('the viewer of the incident instance: tokens where the API says, incident and timer shown', async () => {
      await page.click(`#incidents-table tr[data-instance="${incidentId}"] a.instance-link`);
      await page.waitForURL(new RegExp(`#/instances/${incidentId}$`));
      await page.locator('#viewer-canvas .op-incident[data-element="checkWarranty"]').waitFor();
      const detail = (await stack.api<Detail>('GET', `/api/instances/${incidentId}`)).body;
      expect(await tokenElements(page)).toEqual(activeShapes(detail, 'operator-incident'));
      expect(await tokenElements(page)).toEqual(expect.arrayContaining(['review', 'remind']));
      const incident = detail.incidents.find((i) => i.elementId === 'checkWarranty');
      await page.locator('#panel-incidents .incident-message').getByText(incident?.message ?? '(none)').waitFor();
      await page.locator('#viewer-canvas .op-timer[data-element="remind"]').getByText(/fires in (59m|1h)/).waitFor();
      await page.locator('#viewer-canvas [data-element-id="fork"].op-done').waitFor({ state: 'attached' });
    });
    await journey.step('after fixing the data, Retry clears the incident', async () => {
      expect((await stack.api('PUT', `/api/instances/${incidentId}/variables`, { variables: { warrantyMonths: 12 } })).status).toBe(204);
      await page.click('#panel-incidents button.retry');
      await page.locator('#panel-incidents').waitFor({ state: 'detached' });
      await page.locator('#viewer-canvas .op-incident').waitFor({ state: 'detached' });
      await page.locator('#viewer-canvas [data-element-id="checked"].op-done').waitFor({ state: 'attached' });
      const detail = (await stack.api<Detail>('GET', `/api/instances/${incidentId}`)).body;
      expect(detail.incidents).toEqual([]);
      await eventually<Detail>(stack, `/api/instances/${incidentId}`, (d) => !d.activeElements.includes('checkWarranty'), 'the warranty checked');
      await page.locator('#viewer-canvas .op-token[data-element="checkWarranty"]').waitFor({ state: 'detached' });
      expect(await tokenElements(page)).toEqual(activeShapes((await stack.api<Detail>('GET', `/api/instances/${incidentId}`)).body, 'operator-incident'));
    });
    await journey.step('the incidents list is empty again', async () => {
      await page.goto('/#/incidents');
      await page.getByText('No open incidents.', { exact: false }).waitFor();
    });
    await journey.step('the SLA dashboard, with no clocks written, says so and counts zero', async () => {
      await page.goto('/#/sla');
      await page.locator('#sla-empty').waitFor();
      expect(await page.locator('#sla-tiles .tile-value').allTextContents()).toEqual(['0', '0', '0', '0']);
      await page.locator('#sla-next').getByText('Nothing is about to breach.').waitFor();
      await page.locator('#sla-trends .trend-empty').waitFor();
      expect(await page.locator('#sla-unavailable').count()).toBe(0);
    });
    await journey.finish();
  });

  it('shows the viewer on a phone with the panel below the diagram', async () => {
    const operator = await stack.createUser({ roles: ['operator'] });
    const session = await stack.login(operator.email, operator.password);
    const journey = await openJourney(browser, { name: 'operator-viewer-phone', baseUrl: stack.url, viewport: { width: 375, height: 812 }, mobile: true });
    const { page } = journey;
    await journey.signIn(session.token, session.user);
    await journey.step('the viewer at 375 px', async () => {
      await page.goto(`/#/instances/${incidentId}`);
      await page.locator('#viewer-canvas .op-token[data-element="review"]').waitFor();
      const canvas = await page.locator('#viewer-canvas').boundingBox();
      const side = await page.locator('#viewer-side').boundingBox();
      expect(canvas && side && side.y >= canvas.y + canvas.height).toBe(true);
      expect(canvas && canvas.width <= 375).toBe(true);
    });
    await journey.step('the instances list at 375 px', async () => {
      await page.goto('/#/instances');
      await page.locator(`#instances-table tr[data-instance="${incidentId}"]`).waitFor();
    });
    await journey.finish();
  });
});
