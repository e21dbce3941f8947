/**
 * SLA policies in the designer, in real Chromium against the real server: the shipped
 * complaint process keeps its `sla:` policies through the modeler; a designer adds a policy
 * to a user task in the properties panel (element metric, PT2H, a 50 % escalation raising
 * priority, then reassigns), undoes and redoes an edit, removes the policy and takes that
 * back, deploys, and the deployed version carries it (XML and compiled model); a diagram whose
 * policy names an unknown calendar is flagged by our lint rule and refused at deploy, with the
 * error on that task; the group in Chinese. On a phone: designerSlaPhone.test.ts.
 */
import { openJourney } from '../../support/browser';
import { approveProposal, downloadXml, group, openFile, selectElement, slaBlocks, startDesignerSla, withUnknownCalendar, type DesignerSla } from './designerSlaSteps';

let sla: DesignerSla;
beforeAll(async () => {
  sla = await startDesignerSla();
});
afterAll(() => sla?.stop());

describe('SLA policies in the designer', () => {
  it('keeps the shipped policies, adds one to a user task, deploys it and shows a broken one on its element', async () => {
    const { stack, browser, shipped } = sla;
    const user = await stack.createUser({ roles: ['designer'], name: 'Sam Designer' });
    const session = await stack.login(user.email, user.password);
    const journey = await openJourney(browser, { name: 'designer-sla', baseUrl: stack.url, viewport: { width: 1440, height: 900 } });
    const { page } = journey;
    await journey.signIn(session.token, session.user);

    await journey.step('opens the complaint process: its policies are in the panel and survive a save', async () => {
      await page.goto('/#/designer/complaint-handling');
      await page.locator('#designer-title', { hasText: 'version 1' }).waitFor();
      await page.locator('.djs-element[data-element-id]').first().waitFor();
      // nothing selected: the panel shows the process, with its two policies
      await group(page).locator('.bio-properties-panel-group-header').click();
      await group(page).locator('.bio-properties-panel-group-header .bio-properties-panel-list-badge', { hasText: '2' }).waitFor();
      const titles = await group(page).locator(':scope > .bio-properties-panel-list > .bio-properties-panel-list-item > .bio-properties-panel-collapsible-entry > .bio-properties-panel-collapsible-entry-header > .bio-properties-panel-collapsible-entry-header-title').allTextContents();
      expect(titles).toEqual(['First response', 'Resolution']);
      const saved = await downloadXml(page);
      expect(slaBlocks(saved)).toEqual(slaBlocks(shipped));
      expect(slaBlocks(saved)).toHaveLength(1);
    });

    const policy = 'Dispatch-sla-policy-0';
    await journey.step('selects the user task "Dispatch" and adds a policy', async () => {
      await selectElement(page, 'Dispatch', 'Dispatch to an engineer');
      await group(page).locator('.bio-properties-panel-group-header .bio-properties-panel-add-entry').click();
      // the new policy opens with its id focused; defaults the server accepts as they are
      await page.locator(`#bio-properties-panel-${policy}-id`).waitFor();
      expect(await page.locator(`#bio-properties-panel-${policy}-id`).inputValue()).toBe('Dispatch-sla');
      expect(await page.locator(`#bio-properties-panel-${policy}-metric`).inputValue()).toBe('element');
      expect(await page.locator(`#bio-properties-panel-${policy}-calendar`).inputValue()).toBe('berlin-office');
      await page.locator(`#bio-properties-panel-${policy}-name`).fill('Dispatch within two hours');
      await group(page).locator('.bio-properties-panel-collapsible-entry-header-title', { hasText: 'Dispatch within two hours' }).waitFor();
    });

    await journey.step('sets the fallback target to PT2H (a bad duration is flagged first)', async () => {
      const targets = page.locator(`[data-entry-id="${policy}-targets"]`);
      await targets.locator('.bio-properties-panel-list-entry-header').click();
      await page.locator(`[data-entry-id="${policy}-targets-0"] .bio-properties-panel-collapsible-entry-header`).click();
      const duration = page.locator(`#bio-properties-panel-${policy}-targets-0-duration`);
      await duration.fill('2 days');
      await page.locator(`[data-entry-id="${policy}-targets-0-duration"].has-error`).waitFor();
      await duration.fill('PT2H');
      await page.locator(`[data-entry-id="${policy}-targets-0"]`).getByText('Otherwise: PT2H').waitFor();
    });

    await journey.step('adds a 50 % escalation that raises priority', async () => {
      const escalations = page.locator(`[data-entry-id="${policy}-escalations"]`);
      await escalations.locator('.bio-properties-panel-add-entry').first().click();
      const item = page.locator(`[data-entry-id="${policy}-escalations-0"]`);
      await item.getByText('At 50 %', { exact: true }).first().waitFor();
      // a new item opens by itself
      await page.locator(`#bio-properties-panel-${policy}-escalations-0-at`).waitFor();
      expect(await page.locator(`#bio-properties-panel-${policy}-escalations-0-at`).inputValue()).toBe('50');
      await page.locator(`[data-entry-id="${policy}-escalations-0-levels"] .bio-properties-panel-list-entry-header`).click();
      await page.locator(`[data-entry-id="${policy}-escalations-0-levels-0"]`).getByText('Raise priority 25').waitFor();
      // a second action: reassign to the dispatch leads
      const levels = page.locator(`[data-entry-id="${policy}-escalations-0-levels"]`);
      await levels.locator('.bio-properties-panel-add-entry').first().click();
      await page.locator(`#bio-properties-panel-${policy}-escalations-0-levels-1-kind`).selectOption('sla:Reassign');
      const group1 = page.locator(`#bio-properties-panel-${policy}-escalations-0-levels-1-parameter`);
      await group1.fill('dispatch-leads');
      await page.locator(`[data-entry-id="${policy}-escalations-0-levels-1"]`).getByText('Reassign dispatch-leads').waitFor();
    });

    await journey.step('undoes and redoes the last edit with the keyboard', async () => {
      // the canvas takes the keys when focused; the task stays selected
      await page.locator('#designer-canvas svg[tabindex]').first().focus();
      const level = page.locator(`[data-entry-id="${policy}-escalations-0-levels-1"] .bio-properties-panel-collapsible-entry-header-title`);
      await page.keyboard.press('Control+z');
      await level.getByText('Reassign supervisor').waitFor();
      await page.keyboard.press('Control+y');
      await level.getByText('Reassign dispatch-leads').waitFor();
    });

    await journey.step('removes the policy and takes the removal back', async () => {
      const item = group(page).locator(`[data-entry-id="${policy}"]`);
      await item.locator(':scope > .bio-properties-panel-collapsible-entry-header .bio-properties-panel-remove-entry').click();
      await item.waitFor({ state: 'detached' });
      await page.locator('#designer-canvas svg[tabindex]').first().focus();
      await page.keyboard.press('Control+z');
      await group(page).locator('.bio-properties-panel-collapsible-entry-header-title', { hasText: 'Dispatch within two hours' }).waitFor();
    });

    await journey.step('deploys version 2, which carries the policy', async () => {
      await page.click('#designer-deploy');
      await approveProposal(page, stack);
      await page.locator('#designer-title', { hasText: 'version 2' }).waitFor();
      const xml = await stack.api('GET', '/api/definitions/complaint-handling/versions/2/xml');
      expect(xml.status).toBe(200);
      const text = String(xml.body);
      expect(text).toMatch(/<bpmn:userTask id="Dispatch"[\s\S]*?<sla:policy id="Dispatch-sla" name="Dispatch within two hours" metric="element" calendar="berlin-office">\s*<sla:target duration="PT2H" \/>\s*<sla:escalation at="50">\s*<sla:raisePriority by="25" \/>\s*<sla:reassign group="dispatch-leads" \/>/);
      // the shipped process-level policies are still there
      expect(slaBlocks(text)[0]).toEqual(slaBlocks(shipped)[0]);
      const detail = await stack.api('GET', '/api/definitions/complaint-handling/versions/2');
      const model = detail.body as { model: { sla?: { policies: Array<Record<string, unknown>> } } };
      const compiled = model.model.sla?.policies.find((p) => p.id === 'Dispatch-sla');
      expect(compiled).toMatchObject({
        metric: 'element', elementId: 'Dispatch', calendarId: 'berlin-office', thresholds: [50, 75],
        targets: [{ severity: null, customerTier: null, duration: 'PT2H' }],
        escalations: [{ at: 50, levels: [{ type: 'raisePriority', by: 25 }, { type: 'reassign', group: 'dispatch-leads', user: null }] }],
      });
      expect(model.model.sla?.policies.map((p) => p.id)).toEqual(expect.arrayContaining(['first-response', 'resolution', 'Dispatch-sla']));
    });

    await journey.step('opens a file whose task policy names an unknown calendar: deploy is refused on that task', async () => {
      await openFile(page, 'complaint-handling.bpmn', withUnknownCalendar(shipped));
      await page.locator('#designer-title', { hasText: 'complaint-handling · Not deployed yet' }).waitFor();
      // our lint rule flags it in the editor already (complaint/sla-policy-complete)
      await page.locator('.djs-overlays[data-container-id="Dispatch"] .bjsl-overlay .bjsl-icon-error').waitFor({ state: 'attached' });
      journey.expectHttpError('/api/definitions', 422);
      await page.click('#designer-deploy');
      await page.locator('#designer-status.error').waitFor();
      await page.locator('.djs-overlays[data-container-id="Dispatch"] .server-problem.error').waitFor();
      await page.locator('#designer-problems', { hasText: "unknown calendar 'mars-office'" }).waitFor();
    });

    await journey.step('the panel shows the unknown calendar; picking a shipped one fixes the deploy', async () => {
      await page.locator('#designer-problems button[data-element="Dispatch"]').first().click();
      await page.locator('g.djs-element.selected[data-element-id="Dispatch"]').waitFor();
      const header = group(page).locator('.bio-properties-panel-group-header');
      if (!(await header.evaluate((el) => el.classList.contains('open')))) await header.click();
      await group(page).locator('.bio-properties-panel-collapsible-entry-header', { hasText: 'dispatch' }).click();
      const calendar = page.locator(`#bio-properties-panel-${policy}-calendar`);
      expect(await calendar.inputValue()).toBe('mars-office');
      expect(await calendar.locator('option:checked').textContent()).toBe('mars-office (unknown)');
      await calendar.selectOption('shanghai-office');
      await page.click('#designer-deploy');
      await approveProposal(page, stack);
      await page.locator('#designer-title', { hasText: 'version 3' }).waitFor();
    });

    await journey.step('shows the SLA group in Chinese', async () => {
      await page.selectOption('#language', 'zh-CN');
      await page.locator('#designer-deploy', { hasText: '部署' }).waitFor();
      await page.locator('.djs-element[data-element-id="Dispatch"]').waitFor();
      await selectElement(page, 'Dispatch', 'Dispatch to an engineer');
      await group(page).getByText('SLA 策略').waitFor();
      const header = group(page).locator('.bio-properties-panel-group-header');
      if (!(await header.evaluate((el) => el.classList.contains('open')))) await header.click();
      await group(page).locator('.bio-properties-panel-collapsible-entry-header', { hasText: 'dispatch' }).click();
      await page.locator(`[data-entry-id="${policy}-calendar"]`).getByText('工作日历').waitFor();
      expect(await page.locator(`#bio-properties-panel-${policy}-metric option:checked`).textContent()).toBe('本元素耗时');
      // looking changes nothing: the diagram is still version 3, unchanged
      await page.locator(`#bio-properties-panel-${policy}-name`).focus();
      await page.locator(`#bio-properties-panel-${policy}-id`).focus();
      expect(await page.locator('#designer-title').textContent()).toBe('complaint-handling · 版本 3');
    });

    await journey.finish();
  });
});
