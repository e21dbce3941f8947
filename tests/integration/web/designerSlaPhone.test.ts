/**
 * SLA policies in the designer on a phone (375 px), in real Chromium against the real server:
 * the shipped complaint process's first-response policy opens in the properties panel and
 * nothing is wider than the screen. The desktop journey: designerSla.test.ts.
 */
import { openJourney } from '../../support/browser';
import { group, startDesignerSla, type DesignerSla } from './designerSlaSteps';

let sla: DesignerSla;
beforeAll(async () => {
  sla = await startDesignerSla();
});
afterAll(() => sla?.stop());

describe('SLA policies in the designer', () => {
  it('shows the process policies on a phone, nothing wider than the screen', async () => {
    const { stack, browser } = sla;
    const user = await stack.createUser({ roles: ['designer'] });
    const session = await stack.login(user.email, user.password);
    const journey = await openJourney(browser, { name: 'designer-sla-phone', baseUrl: stack.url, viewport: { width: 375, height: 812 }, mobile: true });
    const { page } = journey;
    await journey.signIn(session.token, session.user);
    await journey.step('opens the first-response policy of the complaint process', async () => {
      await page.goto('/#/designer/complaint-handling?version=1');
      await page.locator('#designer-title', { hasText: 'version 1' }).waitFor();
      await page.locator('.djs-element[data-element-id]').first().waitFor();
      await group(page).locator('.bio-properties-panel-group-header').click();
      await group(page).locator('.bio-properties-panel-collapsible-entry-header', { hasText: 'First response' }).first().click();
      const calendar = page.locator('#bio-properties-panel-complaint-handling-sla-policy-0-calendar');
      expect(await calendar.inputValue()).toBe('berlin-office');
      await calendar.scrollIntoViewIfNeeded();
      expect(await page.evaluate(() => document.documentElement.scrollWidth)).toBeLessThanOrEqual(375);
    });
    await journey.finish();
  });
});
