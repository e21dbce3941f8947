/**
 * Ratings that count, as a customer lives it (issue 14 item 3), in real Chromium against the
 * real server, Temporal and FerretDB, on a desktop and at 375 px: the complaint page names the
 * engineer who served it, the rating sends them with the stars, tags and comment, the public
 * profile shows the rating, tags and comment, and the customer keeps the engineer as "my expert".
 */
import type { Browser } from 'playwright-core';
import { deployShippedProcesses } from '../../../server/complaints/shippedProcesses';
import { seedDirectory } from '../../../server/domain/seed';
import { launchBrowser, openJourney } from '../../support/browser';
import { eventually, startStack, type Stack } from '../../support/stack';
import { resolveAs } from '../complaintCustomerSupport';
import { intake, statusIs } from '../complaintSupport';
import { fitsWidth, PHONE, smallTargets } from './phoneSupport';

let stack: Stack;
let browser: Browser;

beforeAll(async () => {
  [stack, browser] = await Promise.all([startStack(), launchBrowser()]);
  await deployShippedProcesses(stack.services.definitions);
  await seedDirectory(stack.mongo, {
    departments: [{ _id: 'dep-after-sales', key: 'after-sales', name: 'After-sales', candidateGroup: 'after-sales' }],
    outlets: [{ _id: 'outlet-web', name: 'Kettle Corner', location: { lat: 31.23, lon: 121.47 }, openingHours: [], rating: 3, departmentKeys: ['after-sales'] }],
    staff: ['desktop', 'phone'].map((label) => ({
      _id: `staff-web-${label}`, name: `Mei ${label === 'desktop' ? 'Desk' : 'Phone'}`, roles: ['engineer'], skills: ['defect'], products: [`Kettle ${label}`],
      outletId: 'outlet-web', regions: [], languages: ['English'], home: null, currentLoad: 0, maxLoad: 5, onDuty: true, satisfaction: { sum: 0, count: 0, rate: 0 },
    })),
    customers: ['desktop', 'phone'].map((label) => ({ _id: `cust-web-rate-${label}`, name: `Rita ${label}`, tier: 'standard' as const, region: 'Shanghai', language: 'English' })),
  });
});

afterAll(async () => {
  await browser?.close();
  await stack?.stop();
});

const TARGETS = '#rating-submit, .star, .chip, #keep-expert, #served-by-profile';

describe.each([
  ['desktop', { width: 1280, height: 800 }, false],
  ['phone', PHONE, true],
] as const)('ratings on a %s', (label, viewport, mobile) => {
  it('rates the engineer who served, sees the profile and keeps them as my expert', async () => {
    // given a complaint served by this label's engineer (the only one who knows the product) and now resolved
    const staffId = `staff-web-${label}`;
    const customerId = `cust-web-rate-${label}`;
    const name = label === 'desktop' ? 'Mei Desk' : 'Mei Phone';
    const engineerUser = await stack.createUser({ roles: ['engineer'], groups: ['after-sales'], staffId });
    const engineer = (await stack.login(engineerUser.email, engineerUser.password)).api;
    const filed = await stack.api<{ id: string }>('POST', '/api/complaints', intake(customerId, { product: `Kettle ${label}` }));
    const id = filed.body.id;
    await resolveAs(stack, engineer, id);
    await statusIs(stack, id, 'awaiting_evaluation');

    const customer = await stack.createUser({ roles: ['customer'], customerId, name: `Rita ${label}` });
    const session = await stack.login(customer.email, customer.password);
    const journey = await openJourney(browser, { name: `ratings-${label}`, baseUrl: stack.url, viewport, mobile });
    const { page } = journey;
    await journey.signIn(session.token, session.user);

    await journey.step('sees who served the complaint, not rated yet', async () => {
      await page.goto(`/#/complaints/${id}`);
      await page.locator('#served-by').waitFor();
      expect(await page.locator('#served-by strong').textContent()).toBe(name);
      expect(await page.locator('#served-by-rating').textContent()).toBe('Not rated yet');
      expect(await fitsWidth(page)).toBe(true);
      if (mobile) expect(await smallTargets(page, TARGETS)).toEqual([]);
    });

    const sent = await journey.step('rates 5 stars with two tags and a comment: the engineer goes with it', async () => {
      await page.locator('.star[data-stars="5"]').click();
      await page.locator('.chip[data-tag="fast"]').click();
      await page.locator('.chip[data-tag="solved"]').click();
      await page.locator('#rating-comment').fill('Mei fixed it on the spot');
      const request = page.waitForRequest((r) => r.url().endsWith(`/api/complaints/${id}/evaluation`) && r.method() === 'POST');
      await page.locator('#rating-submit').click();
      const body = (await request).postDataJSON() as Record<string, unknown>;
      await page.locator('#served-by-rating', { hasText: '5.0 of 5 · 1 ratings' }).waitFor({ timeout: 20_000 });
      return body;
    });
    expect(sent).toEqual({ stars: 5, tags: ['fast', 'solved'], comment: 'Mei fixed it on the spot', engineerId: staffId });

    await journey.step('keeps the engineer as my expert', async () => {
      await page.locator('#keep-expert').click();
      await page.locator('#my-expert').waitFor();
      expect(await page.locator('#my-expert').textContent()).toBe(`Your expert: we ask for ${name} first next time.`);
      expect(await page.locator('#keep-expert').count()).toBe(0);
    });

    await journey.step('opens the public profile: rating, tags and the comment', async () => {
      await page.locator('#served-by-profile').click();
      await page.waitForURL(new RegExp(`#/engineers/${staffId}$`));
      await page.locator('#engineer-profile').waitFor();
      expect(await page.locator('#engineer-profile h1').textContent()).toBe(name);
      expect(await page.locator('#profile-rating').textContent()).toBe('5.0 of 5 · 1 ratings');
      expect(await page.locator('#profile-tags li').allTextContents()).toEqual(['Fast · 1', 'Problem solved · 1']);
      expect(await page.locator('#profile-comments q').allTextContents()).toEqual(['Mei fixed it on the spot']);
      expect(await page.locator('#profile-outlet').textContent()).toContain('Kettle Corner');
      expect(await fitsWidth(page)).toBe(true);
    });
    await journey.finish();

    // and the profile is public: a browser without any sign-in opens it too
    const anonymous = await openJourney(browser, { name: `ratings-${label}-public`, baseUrl: stack.url, viewport, mobile });
    await anonymous.step('anyone opens the profile without signing in', async () => {
      await anonymous.page.goto(`/#/engineers/${staffId}`);
      await anonymous.page.locator('#engineer-profile').waitFor();
      expect(await anonymous.page.locator('#profile-comments q').allTextContents()).toEqual(['Mei fixed it on the spot']);
    });
    await anonymous.finish();

    // and the directory has the customer's expert
    const customerRecord = await eventually<{ recommendations: Array<{ staffId: string; reasons: string[] }> }>(stack,
      `/api/staff/recommendations?skill=defect&customerId=${customerId}`, (b) => b.recommendations[0]?.staffId === staffId, 'expert first');
    expect(customerRecord.recommendations[0]!.reasons[0]).toBe('your favourite engineer ("my expert")');
  });
});
