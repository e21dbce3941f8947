/**
 * The customer's pages on a phone (375x812) in real Chromium against the real server,
 * Temporal and FerretDB: a customer files a complaint with a photo and their location,
 * follows it, and once staff have resolved it (driven through the API) rates it with stars,
 * a tag and a comment, which closes it.
 */
import type { Browser } from 'playwright-core';
import { deployShippedProcesses } from '../../../server/complaints/shippedProcesses';
import { launchBrowser, openJourney } from '../../support/browser';
import { eventually, startStack, type Stack } from '../../support/stack';
import { complete, completeDepartmentWork, statusIs, type ComplaintDetail } from '../complaintSupport';
import { fitsWidth, PHONE, PNG, smallTargets } from './phoneSupport';

interface Detail extends ComplaintDetail {
  product: string;
  location: { lat: number; lon: number } | null;
  attachments: Array<{ filename: string; geo: { lat: number; lon: number } | null; takenAt: string | null }>;
  evaluations: Array<{ stars: number; tags: string[]; comment: string | null }>;
}

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

describe('customer on a phone', () => {
  it('files a complaint with a photo, follows it, and rates the result with stars and a comment', async () => {
    // given a signed-in customer
    const customer = await stack.createUser({ roles: ['customer'], customerId: 'cust-web-phone', name: 'Chen Customer' });
    const session = await stack.login(customer.email, customer.password);
    const journey = await openJourney(browser, { name: 'customer-phone', baseUrl: stack.url, viewport: PHONE, mobile: true });
    const { page } = journey;
    await journey.signIn(session.token, session.user);

    await journey.step('opens the complaint form', async () => {
      await page.goto('/#/complaints/new');
      await page.locator('#complaint-form').waitFor();
      expect(await page.locator('#complaint-customer').count()).toBe(0);
      expect(await fitsWidth(page)).toBe(true);
      expect(await smallTargets(page, '#complaint-submit, .button-like, label.check')).toEqual([]);
    });

    await journey.step('sending it empty says what is missing', async () => {
      await page.locator('#complaint-submit').click();
      expect(await page.getByText('Please fill this in.').count()).toBe(3);
    });

    const id = await journey.step('fills it in with location and photo, sends it, lands on its page', async () => {
      await page.locator('#complaint-product').fill('Dishwasher D5');
      await page.locator('#complaint-title').fill('Water on the kitchen floor');
      await page.locator('#complaint-description').fill('Since Tuesday the dishwasher leaks at the front after every wash.');
      await page.locator('#complaint-location').check();
      await page.locator('#complaint-photo').setInputFiles({ name: 'floor.png', mimeType: 'image/png', buffer: PNG });
      await page.getByText('floor.png').waitFor();
      await page.locator('#complaint-submit').click();
      await page.waitForURL(/#\/complaints\/cmp-[0-9a-f-]{36}$/);
      await page.getByRole('heading', { name: 'Water on the kitchen floor' }).waitFor();
      await page.getByText('We received your complaint (web).').waitFor();
      await page.getByText('A photo was added.').waitFor();
      expect(await fitsWidth(page)).toBe(true);
      return /complaints\/(cmp-[0-9a-f-]{36})/.exec(page.url())![1]!;
    });

    // then the complaint is filed as the customer's, with the location and the photo's
    const filed = (await stack.api<Detail>('GET', `/api/complaints/${id}`)).body;
    expect(filed).toMatchObject({ customerId: 'cust-web-phone', channel: 'web', product: 'Dishwasher D5', location: { lat: 31.2304, lon: 121.4737 } });
    expect(filed.attachments).toEqual([expect.objectContaining({ filename: 'floor.png', geo: { lat: 31.2304, lon: 121.4737 }, takenAt: expect.any(String) })]);

    await journey.step('staff resolve it: the page follows without a reload', async () => {
      await statusIs(stack, id, 'in_progress');
      await complete(stack, stack.api, id, 'Dispatch', { assignee: 'eng-web' });
      await complete(stack, stack.api, id, 'FirstResponse');
      await completeDepartmentWork(stack, stack.api, id);
      await complete(stack, stack.api, id, 'ResolutionSummary', { resolutionSummary: 'seal replaced' });
      await statusIs(stack, id, 'awaiting_evaluation');
      await page.locator('#rating-form').waitFor({ timeout: 30_000 });
      expect(await page.locator('.progress li.current').textContent()).toContain('Resolved');
      expect(await smallTargets(page, '.star, .tags .chip, #rating-submit')).toEqual([]);
      expect(await fitsWidth(page)).toBe(true);
    });

    await journey.step('rates it: four stars, a tag, a comment', async () => {
      await page.getByRole('radio', { name: '4 of 5 stars' }).click();
      await page.locator('.tags .chip', { hasText: 'Fast' }).click();
      await page.locator('#rating-comment').fill('Quick visit, all dry now');
      expect(await page.locator('.star.on').count()).toBe(4);
    });

    await journey.step('sends the rating and sees it closed', async () => {
      await page.locator('#rating-submit').click();
      await page.getByText('Thank you for your rating.').waitFor();
      await page.locator('.given-rating', { hasText: 'Quick visit, all dry now' }).waitFor();
    });

    await journey.step('reads the page in Chinese', async () => {
      await page.selectOption('#language', 'zh-CN');
      await page.getByText('处理记录').waitFor();
      await page.getByText('您给出了 4 星（满分 5 星）。').waitFor({ timeout: 30_000 });
      expect(await fitsWidth(page)).toBe(true);
    });

    // then the evaluation is recorded and the complaint closes
    const closed = await eventually<Detail>(stack, `/api/complaints/${id}`, (c) => c.status === 'closed', 'closed');
    expect(closed.evaluations).toEqual([expect.objectContaining({ stars: 4, tags: ['fast'], comment: 'Quick visit, all dry now' })]);
    await journey.finish();
  });
});
