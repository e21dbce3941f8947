/**
 * The operator moves a token on the instance viewer and migrates the instance on the
 * migrations page, in real Chromium against the real server, Temporal and FerretDB
 * (decisions 0040, 0041): a refusal shows the element the server named, the dry run shows
 * what maps, the migration's result list what moved; the API agrees with the page each time.
 */
import fs from 'node:fs';
import path from 'node:path';
import type { Browser } from 'playwright-core';
import { launchBrowser, openJourney } from '../../support/browser';
import { eventually, startStack, type Stack } from '../../support/stack';

const fixture = (name: string) => fs.readFileSync(path.join(__dirname, '..', 'fixtures', name), 'utf8');

interface Detail { status: string; definition: { version: number }; activeElements: string[]; tasks: Array<{ elementId: string }> }

let stack: Stack;
let browser: Browser;
let instanceId: string;

beforeAll(async () => {
  [stack, browser] = await Promise.all([startStack(), launchBrowser()]);
  for (const file of ['claim-review-v1.bpmn', 'claim-review-v2.bpmn']) {
    const deployed = await stack.api('POST', '/api/definitions', fixture(file), 'application/xml');
    if (deployed.status !== 201) throw new Error(`deploy ${file}: ${deployed.status} ${JSON.stringify(deployed.body)}`);
  }
  const started = await stack.api<{ instanceId: string }>('POST', '/api/processes/claim-review/instances', { version: 1, variables: { claim: 'C-WEB' } });
  instanceId = started.body.instanceId;
  await eventually<Detail>(stack, `/api/instances/${instanceId}`, (d) => d.tasks.some((t) => t.elementId === 'triage'), 'triage open');
});

afterAll(async () => {
  await browser?.close();
  await stack?.stop();
});

describe('operator operations in the browser', () => {
  it('moves a token on the viewer, then dry-runs and migrates the instance on the migrations page', async () => {
    const operator = await stack.createUser({ roles: ['operator'], name: 'Otto Operator' });
    const session = await stack.login(operator.email, operator.password);
    const journey = await openJourney(browser, { name: 'operator-operations', baseUrl: stack.url });
    const { page } = journey;
    await journey.signIn(session.token, session.user);
    journey.expectHttpError('/modifications', 400);

    await journey.step('a token cannot be started at a start event: the server names it', async () => {
      await page.goto(`/#/instances/${instanceId}`);
      await page.locator('#viewer-canvas[data-ready="true"]').waitFor();
      await page.click('#modify-panel summary');
      await page.locator('#modify-to option[value="received"]').waitFor({ state: 'attached' });
      await page.selectOption('#modify-to', 'received');
      await page.fill('#modify-reason', 'wrong on purpose');
      await page.click('#modify-apply');
      await page.locator('.flash.error').getByText(/received: .*cannot be activated/).waitFor();
      expect((await stack.api<Detail>('GET', `/api/instances/${instanceId}`)).body.activeElements).toEqual(['triage']);
    });
    await journey.step('variables in the scope of an element that does not enclose the target are refused: the server names it', async () => {
      await page.selectOption('#modify-to', 'decide');
      await page.fill('#modify-variables', '{ "skipped": true }');
      await page.selectOption('#modify-scope', 'legacyCheck');
      await page.fill('#modify-reason', 'wrong scope on purpose');
      await page.click('#modify-apply');
      await page.locator('.flash.error').getByText(/legacyCheck: 'legacyCheck' is neither 'decide'/).waitFor();
      expect((await stack.api<Detail>('GET', `/api/instances/${instanceId}`)).body.activeElements).toEqual(['triage']);
    });
    await journey.step('the token moves from triage to decide with a variable local to decide, and the history says so', async () => {
      await page.selectOption('#modify-from', 'triage');
      await page.selectOption('#modify-to', 'decide');
      await page.fill('#modify-variables', '{ "skipped": true }');
      await page.selectOption('#modify-scope', 'decide');
      await page.fill('#modify-reason', 'triaged by phone');
      await page.click('#modify-apply');
      await page.locator('.flash').getByText('Now at: decide').waitFor();
      const detail = (await stack.api<Detail & { variables: Record<string, unknown> }>('GET', `/api/instances/${instanceId}`)).body;
      expect(detail.activeElements).toEqual(['decide']);
      // local to decide's instance: the process scope does not have it
      expect(detail.variables).toEqual({ claim: 'C-WEB' });
      await page.locator('#panel-history .event-modified').getByText(/skipped variables in 'decide'/).waitFor();
      await page.locator('#viewer-canvas .op-token[data-element="decide"]').waitFor();
      await page.locator('#panel-history .event-modified').getByText(/triaged by phone/).waitFor();
    });
    await journey.step('the dry run shows the instance migratable with decide mapped to assess', async () => {
      await page.goto('/#/migrations');
      await page.fill('#migration-process', 'claim-review');
      await page.fill('#migration-source', '1');
      await page.fill('#migration-target', '2');
      await page.fill('#migration-instances', instanceId);
      await page.click('#migration-dry-run');
      // without the mapping, decide has nowhere to go: refused, with the element
      await page.locator(`#migration-table tr[data-instance="${instanceId}"][data-result="refused"] .refusal[data-element="decide"]`).first().waitFor();
      await page.fill('#migration-mapping', 'decide=assess');
      // the mapping on both diagrams: kept, mapped (both ends), lost
      await page.click('#migration-show-mapping');
      await page.locator('#map-source[data-ready="true"]').waitFor();
      await page.locator('#map-source [data-element-id="triage"].map-kept').waitFor({ state: 'attached' });
      await page.locator('#map-source [data-element-id="decide"].map-mapped').waitFor({ state: 'attached' });
      await page.locator('#map-source [data-element-id="legacyCheck"].map-lost').waitFor({ state: 'attached' });
      await page.locator('#map-target [data-element-id="assess"].map-mapped').waitFor({ state: 'attached' });
      await page.locator('#map-target .map-label').getByText('← decide').waitFor();
      await page.click('#migration-dry-run');
      await page.locator(`#migration-table tr[data-instance="${instanceId}"][data-result="migratable"]`).getByText('1 tasks').waitFor();
      // the recorded stimuli (start, the move) replayed on v2 reach the same state: reachable and one to one
      await page.locator(`#migration-table tr[data-instance="${instanceId}"] .replay[data-reachable="true"][data-consistent="true"][data-reproduced="true"]`)
        .getByText('Replay on the target (2 of 2 recorded stimuli): reachable yes · one-to-one yes').waitFor();
      await page.locator(`#migration-table tr[data-instance="${instanceId}"] .replay-same`).waitFor();
      expect((await stack.api<Detail>('GET', `/api/instances/${instanceId}`)).body.definition.version).toBe(1);
    });
    await journey.step('the dry run of an instance that went through the legacy check names where v2 departs from its path', async () => {
      const other = (await stack.api<{ instanceId: string }>('POST', '/api/processes/claim-review/instances', { version: 1, variables: { claim: 'C-WEB-2' } })).body.instanceId;
      for (const elementId of ['triage', 'legacyCheck']) {
        const tasks = await eventually<{ items: Array<{ id: string; elementId: string }> }>(stack, `/api/tasks?instanceId=${other}&state=open`, (p) => p.items.some((t) => t.elementId === elementId), `${elementId} open`);
        expect((await stack.api('POST', `/api/tasks/${tasks.items[0]?.id}/complete`, { variables: {} })).status).toBe(200);
      }
      await eventually<Detail>(stack, `/api/instances/${other}`, (d) => d.activeElements.includes('cooling'), 'on the timer');
      await page.fill('#migration-instances', other);
      await page.click('#migration-dry-run');
      const row = page.locator(`#migration-table tr[data-instance="${other}"]`);
      await row.locator('.replay[data-reachable="false"][data-consistent="false"]').waitFor();
      await row.locator('.replay-divergence[data-element="cooling"][data-stimulus="1"]').getByText("First divergence at stimulus #1 (userTaskCompleted at 'triage'), element cooling").waitFor();
      await row.locator('.replay-mismatch[data-kind="timer"][data-element="cooling"]').first().waitFor();
      await page.fill('#migration-instances', instanceId);
    });
    await journey.step('the migration runs to its result list, and the instance runs v2 at assess', async () => {
      await page.fill('#migration-reason', 'v2 renames decide');
      await page.click('#migration-start');
      await page.locator(`#migration-table tr[data-instance="${instanceId}"][data-result="migrated"]`).waitFor();
      await page.locator('#migration-flash').getByText(/completed: 1 migrated, 0 refused/).waitFor();
      const detail = await eventually<Detail>(stack, `/api/instances/${instanceId}`, (d) => d.definition.version === 2, 'on v2');
      expect(detail.activeElements).toEqual(['assess']);
      expect(detail.tasks.map((t) => t.elementId)).toEqual(['assess']);
    });
    await journey.finish();
  });
});
