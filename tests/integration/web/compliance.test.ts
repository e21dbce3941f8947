/**
 * The compliance officer's journeys in real Chromium (desktop and a 375 px phone) against the
 * real server, Temporal and FerretDB: search by customer, open the complete record (names and
 * roles, form data, the path on the read-only diagram, the decrypted engine history, the audit
 * chain's state), export the complaint as JSON and a period as a document, with progress.
 */
import fs from 'node:fs';
import type { Browser } from 'playwright-core';
import { deployShippedProcesses } from '../../../server/complaints/shippedProcesses';
import { launchBrowser, openJourney } from '../../support/browser';
import { startStack, type Stack } from '../../support/stack';
import { complete, intake, openTask } from '../complaintSupport';

let stack: Stack;
let browser: Browser;
let complaintId: string;

beforeAll(async () => {
  [stack, browser] = await Promise.all([startStack(), launchBrowser()]);
  await deployShippedProcesses(stack.services.definitions);
  const engineer = await stack.createUser({ roles: ['engineer', 'agent'], name: 'Wang Fang', groups: ['dispatch'] });
  const { api: asEngineer } = await stack.login(engineer.email, engineer.password);
  complaintId = (await stack.api<{ id: string }>('POST', '/api/complaints', intake('cust-journey-1', { title: 'Fridge makes a loud noise' }))).body.id;
  await stack.api('POST', '/api/complaints', intake('cust-journey-2', { title: 'Microwave light broken' }));
  const dispatch = await openTask(stack, complaintId, 'Dispatch');
  await asEngineer('POST', `/api/tasks/${dispatch.id}/comments`, { text: 'call before noon' });
  await asEngineer('POST', `/api/tasks/${dispatch.id}/claim`, { assignee: engineer.id });
  await complete(stack, asEngineer, complaintId, 'Dispatch', { assignee: 'eng-7' });
  await stack.services.drainProjections();
}, 120_000);

afterAll(async () => {
  await browser?.close();
  await stack?.stop();
});

const today = () => new Date().toISOString().slice(0, 10);

describe.each([
  ['desktop', { width: 1280, height: 800 }, false],
  ['phone', { width: 375, height: 740 }, true],
] as const)('compliance on %s', (name, viewport, mobile) => {
  it('searches, reads the complete record, and exports the complaint and the period', async () => {
    const officer = await stack.createUser({ roles: ['compliance'], name: `Li Na ${name}` });
    const session = await stack.login(officer.email, officer.password);
    const journey = await openJourney(browser, { name: `compliance-${name}`, baseUrl: stack.url, viewport, mobile });
    const { page } = journey;
    await journey.signIn(session.token, session.user);

    await journey.step('the search finds the complaint by its customer', async () => {
      await page.goto('/#/compliance');
      await page.fill('#c-customer', 'cust-journey-1');
      await page.click('#compliance-submit');
      // The page first lists this month's two complaints; the search narrows them to one.
      await page.waitForFunction(() => document.querySelectorAll('#compliance-table tbody tr').length === 1);
      expect(await page.locator('#compliance-table tbody tr').getAttribute('data-complaint')).toBe(complaintId);
    });

    await journey.step('the record shows who did what, the form data, the path and the engine history', async () => {
      await page.click(`#compliance-table tr[data-complaint="${complaintId}"] a`);
      await page.locator('#record-audit.audit-ok').waitFor();
      expect(await page.locator('#activity-table').innerText()).toContain('Wang Fang (engineer, agent)');
      const tasks = await page.locator('#tasks-table').innerText();
      expect(tasks).toContain('"assignee": "eng-7"');
      expect(tasks).toContain('call before noon');
      await page.locator('#record-canvas [data-element-id="Dispatch"].op-done').waitFor();
      expect(await page.locator('#record-engine summary').first().innerText()).toContain('decrypted');
      expect(await page.evaluate(() => document.documentElement.scrollWidth)).toBeLessThanOrEqual(viewport.width);
    });

    await journey.step('the instance viewer shows the diagram to compliance too', async () => {
      const instanceId = (await page.locator('#record-process p.muted').first().innerText()).match(/pi-[0-9a-f-]{36}/)![0];
      await page.goto(`/#/instances/${instanceId}`);
      await page.locator('#viewer-canvas [data-element-id="Dispatch"]').waitFor();
      await page.goBack();
      await page.locator('#record-audit.audit-ok').waitFor();
    });

    await journey.step('the complaint is exported as JSON lines', async () => {
      const [download] = await Promise.all([page.waitForEvent('download'), page.click('#record-export-json')]);
      const lines = fs.readFileSync((await download.path())!, 'utf8').trim().split('\n').map((l) => JSON.parse(l) as { type: string; record?: { complaint: { _id: string } } });
      expect(lines.map((l) => l.type)).toEqual(['export', 'complaint', 'end']);
      expect(lines[1]!.record!.complaint._id).toBe(complaintId);
      await page.locator('#record-flash', { hasText: 'Exported 1 complaint(s)' }).waitFor();
      expect(await page.locator('#record-export-progress').evaluate((p: HTMLProgressElement) => [p.value, p.max])).toEqual([1, 1]);
    });

    await journey.step("today's complaints are exported as a document", async () => {
      await page.click('a.back');
      await page.fill('#c-from', today());
      await page.fill('#c-to', today());
      const [download] = await Promise.all([page.waitForEvent('download'), page.click('#export-period-html')]);
      const html = fs.readFileSync((await download.path())!, 'utf8');
      expect(html.match(/<article /g)).toHaveLength(2);
      expect(html).toContain('Fridge makes a loud noise');
      expect(html).toContain('Microwave light broken');
      await page.locator('#compliance-flash', { hasText: 'Exported 2 complaint(s)' }).waitFor();
      expect(await page.locator('#export-progress').evaluate((p: HTMLProgressElement) => [p.value, p.max])).toEqual([2, 2]);
    });

    await journey.finish();
  });
});
