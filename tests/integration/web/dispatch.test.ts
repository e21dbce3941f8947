/**
 * Dispatch that explains itself, as customer and engineer live it (issue 14 item 4), in real
 * Chromium against the real server, Temporal and FerretDB, on a desktop and at 375 px: the
 * customer asks for the three-engineer choice on the new-complaint form, picks one, the chosen
 * engineer sees why on the dispatch task and accepts, and the customer is told who is coming
 * and why.
 */
import type { Browser } from 'playwright-core';
import { deployShippedProcesses } from '../../../server/complaints/shippedProcesses';
import { seedDirectory } from '../../../server/domain/seed';
import { launchBrowser, openJourney } from '../../support/browser';
import { eventually, startStack, type Stack } from '../../support/stack';
import { openTask } from '../complaintSupport';
import { fitsWidth, PHONE, smallTargets } from './phoneSupport';

let stack: Stack;
let browser: Browser;

const LABELS = ['desktop', 'phone'] as const;
const engineerId = (label: string, n: number) => `staff-dsp-${label}-${n}`;

beforeAll(async () => {
  [stack, browser] = await Promise.all([startStack(), launchBrowser()]);
  await deployShippedProcesses(stack.services.definitions);
  await seedDirectory(stack.mongo, {
    departments: [{ _id: 'dep-after-sales', key: 'after-sales', name: 'After-sales', candidateGroup: 'after-sales' }],
    outlets: [],
    // per journey: three engineers for its own product, the refrigeration one the best match
    staff: LABELS.flatMap((label) => [1, 2, 3].map((n) => ({
      _id: engineerId(label, n), name: `Engineer ${label} ${n}`, roles: ['engineer'], skills: n === 1 ? ['refrigeration'] : ['electrical'],
      products: [`${label}fridge`], outletId: null, regions: [], languages: ['English'], home: { lat: 31.23 + n / 100, lon: 121.47 },
      currentLoad: 0, maxLoad: 5, onDuty: true, satisfaction: { sum: 0, count: 0, rate: 0 },
    }))),
    customers: LABELS.map((label) => ({ _id: `cust-dsp-${label}`, name: `Dora ${label}`, tier: 'standard' as const, region: 'Shanghai', language: 'English' })),
  });
});

afterAll(async () => {
  await browser?.close();
  await stack?.stop();
});

describe.each([
  ['desktop', { width: 1280, height: 800 }, false],
  ['phone', PHONE, true],
] as const)('dispatch on a %s', (label, viewport, mobile) => {
  it('offers three engineers on request, shows the engineer why, and tells the customer who is coming', async () => {
    const customerUser = await stack.createUser({ roles: ['customer'], customerId: `cust-dsp-${label}`, name: `Dora ${label}` });
    const customerSession = await stack.login(customerUser.email, customerUser.password);
    const journey = await openJourney(browser, { name: `dispatch-${label}`, baseUrl: stack.url, viewport, mobile });
    const { page } = journey;
    await journey.signIn(customerSession.token, customerSession.user);

    const id = await journey.step('files a fridge complaint and asks to choose the engineer', async () => {
      await page.goto('/#/complaints/new');
      await page.locator('#complaint-form').waitFor();
      await page.locator('#complaint-product').fill(`Fridge ${label}fridge F3`);
      await page.locator('#complaint-title').fill('Fridge not cooling');
      await page.locator('#complaint-description').fill('The fridge stopped cooling yesterday evening.');
      await page.locator('#complaint-choose-engineer').check();
      if (mobile) expect(await smallTargets(page, 'label.check, #complaint-submit')).toEqual([]);
      await page.locator('#complaint-submit').click();
      await page.waitForURL(/#\/complaints\/cmp-[0-9a-f-]{36}$/);
      return /complaints\/(cmp-[0-9a-f-]{36})/.exec(page.url())![1]!;
    });

    await journey.step('sees the three engineers with their reasons and profile links, and picks the best', async () => {
      await page.locator('#engineer-choice .engineer').nth(2).waitFor({ timeout: 20_000 });
      const offered = await page.locator('#engineer-choice .engineer').evaluateAll((els) => els.map((e) => e.getAttribute('data-engineer')));
      // the refrigeration engineer who knows this product first, three in all
      expect(offered).toHaveLength(3);
      expect(offered[0]).toBe(engineerId(label, 1));
      expect(await page.locator(`#engineer-choice [data-engineer="${engineerId(label, 1)}"] .profile-link`).getAttribute('href')).toBe(`#/engineers/${engineerId(label, 1)}`);
      expect(await fitsWidth(page)).toBe(true);
      await page.locator(`#engineer-choice button[data-staff="${engineerId(label, 1)}"]`).click();
      await page.locator('#engineer-chosen').waitFor();
    });
    await journey.finish();

    // the chosen engineer opens the dispatch task: why them
    const dispatch = await openTask(stack, id, 'DispatchRecommended');
    expect(dispatch.assignee).toBe(engineerId(label, 1));
    const engineerUser = await stack.createUser({ roles: ['engineer'], groups: ['after-sales'], staffId: engineerId(label, 1), name: `Engineer ${label} 1` });
    const engineerSession = await stack.login(engineerUser.email, engineerUser.password);
    const staff = await openJourney(browser, { name: `dispatch-${label}-engineer`, baseUrl: stack.url, viewport, mobile });
    await staff.signIn(engineerSession.token, engineerSession.user);
    await staff.step('the engineer sees the reasons of the dispatch beside the task, and accepts', async () => {
      await staff.page.goto(`/#/inbox/${dispatch.id}`);
      await staff.page.locator('#dispatch-reasons').waitFor();
      const first = staff.page.locator(`#dispatch-reasons [data-staff="${engineerId(label, 1)}"]`);
      expect(await first.locator('.dispatch-reasons').textContent()).toContain('skill: refrigeration');
      expect(await staff.page.locator('#dispatch-reasons li').count()).toBe(3);
      expect(await first.locator('.dispatch-name').getAttribute('href')).toBe(`#/engineers/${engineerId(label, 1)}`);
      expect(await fitsWidth(staff.page)).toBe(true);
      await staff.page.locator('#complete-task').click();
      await staff.page.waitForURL(/#\/inbox$/);
    });
    await staff.finish();

    // and the customer is told who is coming and why
    await eventually<{ servedBy: string | null }>(stack, `/api/complaints/${id}`, (c) => (c as unknown as { engineer: string | null }).engineer === engineerId(label, 1), 'dispatched');
    const again = await openJourney(browser, { name: `dispatch-${label}-told`, baseUrl: stack.url, viewport, mobile });
    await again.signIn(customerSession.token, customerSession.user);
    await again.step('the customer sees who is coming and why', async () => {
      await again.page.goto(`/#/complaints/${id}`);
      await again.page.locator('#served-by').waitFor({ timeout: 20_000 });
      expect(await again.page.locator('#served-by strong').first().textContent()).toBe(`Engineer ${label} 1`);
      const reasons = await again.page.locator('#coming-why li').allTextContents();
      expect(reasons.length).toBeGreaterThan(0);
      expect(reasons.join(' ')).not.toMatch(/load|rated/i);
      expect(await fitsWidth(again.page)).toBe(true);
    });
    await again.finish();
  });
});
