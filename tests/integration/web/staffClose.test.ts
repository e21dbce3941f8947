/**
 * Close and reopen by role (issue 14 item 5, decision 0051), in real Chromium against the real
 * server, Temporal and FerretDB, on a desktop and at 375 px: a supervisor finds a resolved
 * complaint's work order by searching the completed ones, sees *Reopen* and *Close without the
 * customer's rating* beside it, closes it with a reason, and the timeline names them; an
 * engineer beside the same kind of complaint is offered neither.
 */
import type { Browser } from 'playwright-core';
import { deployShippedProcesses } from '../../../server/complaints/shippedProcesses';
import { launchBrowser, openJourney } from '../../support/browser';
import { startStack, type Stack } from '../../support/stack';
import { complete, completeDepartmentWork, intake, statusIs } from '../complaintSupport';
import { fitsWidth, PHONE, smallTargets } from './phoneSupport';

let stack: Stack;
let browser: Browser;

beforeAll(async () => {
  [stack, browser] = await Promise.all([startStack(), launchBrowser()]);
  await deployShippedProcesses(stack.services.definitions);
});

afterAll(async () => {
  await browser?.close();
  await stack?.stop();
});

describe.each([
  ['desktop', { width: 1280, height: 800 }, false],
  ['phone', PHONE, true],
] as const)('close and reopen on a %s', (label, viewport, mobile) => {
  it('a supervisor closes a resolved complaint with a reason; an engineer is offered neither', async () => {
    // given a resolved complaint awaiting the customer's rating, its resolution summary done by a supervisor's group
    const supervisor = await stack.createUser({ roles: ['supervisor'], name: `Sam ${label}` });
    const engineer = await stack.createUser({ roles: ['engineer'], groups: ['technical', 'dispatch', 'after-sales'], name: `Eli ${label}` });
    const id = (await stack.api<{ id: string }>('POST', '/api/complaints', intake(`cust-close-web-${label}`))).body.id;
    await complete(stack, stack.api, id, 'Dispatch', { assignee: `eng-close-${label}` });
    await complete(stack, stack.api, id, 'FirstResponse');
    await completeDepartmentWork(stack, stack.api, id);
    await complete(stack, stack.api, id, 'ResolutionSummary', {});
    await statusIs(stack, id, 'awaiting_evaluation');
    const number = id.slice(4, 12).toUpperCase();

    const journey = await openJourney(browser, { name: `staff-close-${label}`, baseUrl: stack.url, viewport, mobile });
    const { page } = journey;
    const session = await stack.login(supervisor.email, supervisor.password);
    await journey.signIn(session.token, session.user);

    // its completed work orders: dispatch, first response, summary and the departments' tasks
    const completed = (await stack.api<{ total: number }>('GET', `/api/tasks?state=completed&q=${number}`)).body.total;
    expect(completed).toBeGreaterThanOrEqual(4);
    await journey.step('finds the complaint among the completed work orders and opens one', async () => {
      await page.goto('/#/inbox');
      await page.locator('#search > summary').click();
      await page.locator('#search-text').fill(number);
      await page.locator('#search-status').selectOption('completed');
      await page.locator('#search-form button[type="submit"]').click();
      await page.locator('#search-count', { hasText: `${completed} of ${completed}` }).waitFor();
      await page.locator('.task-row', { hasText: 'Dispatch to an engineer' }).click();
      await page.locator('#reopen > summary').waitFor();
      expect(await page.locator('#close > summary').textContent()).toBe("Close without the customer's rating");
      expect(await fitsWidth(page)).toBe(true);
    });

    await journey.step('closes it with the reason: the complaint is closed and the timeline names the supervisor', async () => {
      await page.locator('#close > summary').click();
      await page.locator('#close-reason').fill('The customer confirmed by phone; no rating wanted');
      if (mobile) expect(await smallTargets(page, '#close > summary, #reopen > summary, #close-form button, .task-row')).toEqual([]);
      // the close is answered once the reason is on the timeline (the process may close the
      // complaint before that: its steps run within one workflow task, decision 0061)
      const answered = page.waitForResponse((r) => r.request().method() === 'POST' && r.url().endsWith(`/api/complaints/${id}/close`));
      await page.locator('#close-form button[type="submit"]').click();
      expect((await answered).status()).toBe(202);
      // the page reloads the complaint; the process closes it a moment later
      await statusIs(stack, id, 'closed');
      await page.reload();
      const entry = page.locator('.timeline li', { hasText: 'The customer confirmed by phone; no rating wanted' });
      await entry.waitFor();
      expect(await entry.locator('.who').textContent()).toBe(`Sam ${label}`);
      expect(await page.locator('#close').count()).toBe(0);
      expect(await fitsWidth(page)).toBe(true);
    });
    await journey.finish();

    // an engineer beside another resolved complaint is offered neither
    const other = (await stack.api<{ id: string }>('POST', '/api/complaints', intake(`cust-close-web-eng-${label}`))).body.id;
    await complete(stack, stack.api, other, 'Dispatch', { assignee: `eng-close-${label}` });
    await complete(stack, stack.api, other, 'FirstResponse');
    await completeDepartmentWork(stack, stack.api, other);
    const summary = await complete(stack, stack.api, other, 'ResolutionSummary', {});
    await statusIs(stack, other, 'awaiting_evaluation');
    const engineerJourney = await openJourney(browser, { name: `staff-close-${label}-engineer`, baseUrl: stack.url, viewport, mobile });
    const engineerSession = await stack.login(engineer.email, engineer.password);
    await engineerJourney.signIn(engineerSession.token, engineerSession.user);
    await engineerJourney.step('an engineer sees the resolved complaint without reopen or close', async () => {
      await engineerJourney.page.goto(`/#/inbox/${summary.id}`);
      await engineerJourney.page.locator('.timeline li').first().waitFor();
      expect(await engineerJourney.page.locator('#reopen, #close').count()).toBe(0);
    });
    await engineerJourney.finish();
  });
});
