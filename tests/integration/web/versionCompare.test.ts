/**
 * Comparing two deployed versions in the designer, in real Chromium at 375 px and on a
 * desktop: both diagrams open fitted to their pane, a renamed task shows its old name → its
 * new name in that order, and the SLA policies (our sla: extension) are listed as edits:
 * a changed target old → new, one added, one removed.
 */
import fs from 'node:fs';
import path from 'node:path';
import type { Browser } from 'playwright-core';
import { launchBrowser, openJourney } from '../../support/browser';
import { startStack, type Stack } from '../../support/stack';
import { diagramFitted } from './diagramFit';
import { PHONE } from './phoneSupport';

const KEY = 'compare-sla';
const base = fs.readFileSync(path.join(__dirname, 'fixtures', 'operator-simple.bpmn'), 'utf8')
  .replace('id="operator-simple"', `id="${KEY}"`).replace('bpmnElement="operator-simple"', `bpmnElement="${KEY}"`)
  .replace('xmlns:zeebe="http://camunda.org/schema/zeebe/1.0"', 'xmlns:zeebe="http://camunda.org/schema/zeebe/1.0" xmlns:sla="http://complaint-bpm.example/schema/sla/1.0"');

/** The diagram with `policies` (sla:policy elements) on its task and the task named `name`. */
const version = (name: string, policies: string) => base
  .replace('name="Acknowledge the customer"', `name="${name}"`)
  .replace('<zeebe:assignmentDefinition candidateGroups="after-sales" />', `<zeebe:assignmentDefinition candidateGroups="after-sales" /><sla:policies>${policies}</sla:policies>`);

const policy = (id: string, duration: string) => `<sla:policy id="${id}" metric="element" calendar="around-the-clock"><sla:target duration="${duration}" /></sla:policy>`;

let stack: Stack;
let browser: Browser;

beforeAll(async () => {
  [stack, browser] = await Promise.all([startStack(), launchBrowser()]);
  const v1 = version('Acknowledge the customer', policy('ack-time', 'PT4H') + policy('ack-old', 'PT8H'));
  const v2 = version('Thank the customer', policy('ack-time', 'PT2H') + policy('ack-new', 'PT1H'));
  for (const xml of [v1, v2]) {
    const deployed = await stack.api('POST', `/api/definitions?resourceName=${KEY}.bpmn`, xml, 'application/xml');
    expect(deployed.status).toBe(201);
  }
});

afterAll(async () => {
  await browser?.close();
  await stack?.stop();
});

describe('version compare', () => {
  for (const [device, viewport] of [['phone', PHONE], ['desktop', { width: 1366, height: 900 }]] as const) {
    it(`opens fitted, shows a rename old → new and lists the SLA edits (${device})`, async () => {
      const designer = await stack.createUser({ roles: ['designer'], name: 'Dana Designer' });
      const session = await stack.login(designer.email, designer.password);
      const journey = await openJourney(browser, { name: `version-compare-${device}`, baseUrl: stack.url, viewport, mobile: device === 'phone' });
      const { page } = journey;
      await journey.signIn(session.token, session.user);

      await journey.step('opens the process with its two versions', async () => {
        await page.goto(`/#/designer/${KEY}`);
        await page.locator('#version-list li[data-version="2"]').waitFor();
      });

      await journey.step('compares version 1 with version 2: both fitted', async () => {
        await page.locator('#version-list li[data-version="1"] input[type=checkbox]').check();
        await page.locator('#version-list li[data-version="2"] input[type=checkbox]').check();
        await page.click('#compare-versions');
        await page.locator('#diff-changes li.diff-sla').first().waitFor();
        expect(await diagramFitted(page, '#diff-old')).toEqual({ inside: true, fills: true });
        expect(await diagramFitted(page, '#diff-new')).toEqual({ inside: true, fills: true });
      });

      await journey.step('the rename reads old → new, the SLA edits are listed', async () => {
        const renamed = page.locator('#diff-changes li.diff-changed[data-change="acknowledge"]');
        await renamed.getByText('name: Acknowledge the customer → Thank the customer').waitFor();
        const changed = page.locator('#diff-changes li.diff-sla[data-sla-policy="ack-time"]');
        expect(await changed.getAttribute('class')).toContain('diff-changed');
        await changed.getByText('target *: PT4H → PT2H').waitFor();
        expect(await page.locator('#diff-changes li.diff-sla[data-sla-policy="ack-new"]').innerText()).toContain('SLA policy ack-new added on Thank the customer');
        expect(await page.locator('#diff-changes li.diff-sla[data-sla-policy="ack-old"]').innerText()).toContain('SLA policy ack-old removed from Acknowledge the customer');
        await page.locator('#diff-new g.diff-changed[data-element-id="acknowledge"]').waitFor();
      });
      await journey.finish();
    });
  }
});
