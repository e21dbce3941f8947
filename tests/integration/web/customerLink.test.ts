/**
 * A customer opens the signed link an agent made for their complaint (no account, no sign-in)
 * on a phone (375x812) in real Chromium against the real server, Temporal and FerretDB:
 * they pick the second of the offered engineers, add a photo, and once staff have resolved the
 * complaint (driven through the API) rate it 2 stars, which reopens it. An altered link says
 * the link is not valid; the link opens no other page.
 */
import type { Browser } from 'playwright-core';
import { deployShippedProcesses } from '../../../server/complaints/shippedProcesses';
import type { Api } from '../../support/auth';
import { launchBrowser, openJourney } from '../../support/browser';
import { eventually, startStack, type Stack } from '../../support/stack';
import { ENGINEERS, resolveAs, seedKettleEngineers } from '../complaintCustomerSupport';
import { intake, openTask, statusIs, type ComplaintDetail } from '../complaintSupport';
import { fitsWidth, PHONE, PNG, smallTargets } from './phoneSupport';

interface Offer { state: string; offered: Array<{ staffId: string; name: string }>; chosenStaffId: string | null }
interface Detail extends ComplaintDetail {
  engineerChoice: Offer | null;
  attachments: Array<{ id: string; filename: string }>;
  evaluations: Array<{ stars: number }>;
}
interface Link { token: string; url: string; expiresAt: string }

let stack: Stack;
let browser: Browser;
let engineers: Record<string, Api>;

beforeAll(async () => {
  [stack, browser] = await Promise.all([startStack(), launchBrowser()]);
  await deployShippedProcesses(stack.services.definitions);
  engineers = await seedKettleEngineers(stack);
});

afterAll(async () => {
  await browser?.close();
  await stack?.stop();
});

/** The link's page on this stack: the URL's fragment (PUBLIC_BASE_URL is not the test server's address). */
const onStack = (url: string) => `/${new URL(url).hash}`;

describe('customer from a signed link on a phone', () => {
  it('chooses the second engineer, adds a photo and rates the result 2 stars without signing in', async () => {
    // given a complaint whose customer chooses the engineer, waiting for that choice
    const customer = stack.as({ roles: ['customer'], customerId: 'cust-link' });
    const filed = await customer<Detail>('POST', '/api/complaints', { ...intake('cust-link'), dispatchMode: 'customer' });
    expect(filed.status).toBe(201);
    const id = filed.body.id;
    const waiting = await eventually<Detail>(stack, `/api/complaints/${id}`, (c) => c.engineerChoice?.state === 'waiting', 'offer waiting');
    const second = waiting.engineerChoice!.offered[1]!;

    // and a signed link an agent made for the customer
    const made = await stack.as('agent')<Link>('POST', `/api/complaints/${id}/customer-link`, {});
    expect(made.status).toBe(201);
    expect(made.body.url).toContain(`/#/complaints/${id}?token=`);

    const journey = await openJourney(browser, { name: 'customer-link-phone', baseUrl: stack.url, viewport: PHONE, mobile: true });
    const { page } = journey;

    await journey.step('opens the link: the offered engineers with their reasons, no sign-in', async () => {
      await page.goto(onStack(made.body.url));
      await page.locator('#engineer-choice').waitFor();
      expect(await page.locator('#engineer-choice .engineer').count()).toBe(3);
      await page.locator('#engineer-choice .engineer', { hasText: second.name }).locator('.reasons li').first().waitFor();
      // and the header offers nothing the link cannot open, nobody asks to sign in
      expect(await page.locator('.shell-nav a').count()).toBe(0);
      expect(await page.getByRole('button', { name: 'Sign out' }).count()).toBe(0);
      expect(page.url()).not.toContain('/login');
      expect(await fitsWidth(page)).toBe(true);
      expect(await smallTargets(page, '#engineer-choice button')).toEqual([]);
    });

    await journey.step('picks the second engineer and sees them named as theirs', async () => {
      await page.locator(`#engineer-choice button[data-staff="${second.staffId}"]`).click();
      await page.locator('#engineer-chosen', { hasText: second.name }).waitFor();
      expect(await page.locator('#engineer-choice').count()).toBe(0);
      expect(await fitsWidth(page)).toBe(true);
    });

    // then the process dispatches to that engineer, and the complaint names them
    expect((await openTask(stack, id, 'DispatchRecommended')).assignee).toBe(second.staffId);
    const chosen = await eventually<Detail>(stack, `/api/complaints/${id}`, (c) => c.engineerChoice?.state === 'chosen', 'offer chosen');
    expect(chosen.engineerChoice!.chosenStaffId).toBe(second.staffId);

    await journey.step('adds a photo and sees it', async () => {
      await page.locator('#complaint-more-photo').setInputFiles({ name: 'kettle.png', mimeType: 'image/png', buffer: PNG });
      await page.getByText('A photo was added.').waitFor({ timeout: 30_000 });
      const thumb = page.locator('#complaint-photos img');
      await thumb.waitFor();
      await page.waitForFunction(() => (document.querySelector('#complaint-photos img') as HTMLImageElement | null)?.naturalWidth === 1);
      expect(await page.locator('#complaint-photos a').getAttribute('href')).toMatch(/^blob:/);
    });
    expect((await stack.api<Detail>('GET', `/api/complaints/${id}`)).body.attachments).toEqual([expect.objectContaining({ filename: 'kettle.png' })]);

    await journey.step('the chosen engineer resolves it: the page asks for a rating', async () => {
      expect(ENGINEERS).toContain(second.staffId);
      await resolveAs(stack, engineers[second.staffId]!, id);
      const resolved = await statusIs(stack, id, 'awaiting_evaluation');
      expect(resolved.engineer).toBe(second.staffId);
      await page.locator('#rating-form').waitFor({ timeout: 30_000 });
      expect(await smallTargets(page, '.star, .tags .chip, #rating-submit')).toEqual([]);
      expect(await fitsWidth(page)).toBe(true);
    });

    await journey.step('rates it 2 stars: not solved', async () => {
      await page.getByRole('radio', { name: '2 of 5 stars' }).click();
      await page.locator('.tags .chip', { hasText: 'Not solved' }).click();
      await page.locator('#rating-submit').click();
      await page.getByText('Thank you for your rating.').waitFor();
    });

    // then the complaint is reopened
    const reopened = await statusIs(stack, id, 'reopened');
    expect(reopened.evaluations).toEqual([expect.objectContaining({ stars: 2 })]);

    await journey.step('sees the complaint being handled again', async () => {
      await page.getByText('Reopened: we are working on it again.').waitFor({ timeout: 30_000 });
    });

    await journey.step('reads the same page on a desktop', async () => {
      await page.setViewportSize({ width: 1280, height: 800 });
      await page.getByText('You chose your engineer.').waitFor();
      expect(await fitsWidth(page)).toBe(true);
    });

    await journey.step('the link opens no other page and asks no sign-in', async () => {
      await page.goto(`/#/inbox?token=${encodeURIComponent(made.body.token)}`);
      await page.getByText('You may not open this page.').waitFor();
      expect(page.url()).not.toContain('/login');
    });
    await journey.finish();
  });

  it('says a choice came too late when the engineer was chosen meanwhile', async () => {
    // given a waiting offer, opened from its link with the page's polling held still
    const customer = stack.as({ roles: ['customer'], customerId: 'cust-link-late' });
    const filed = await customer<Detail>('POST', '/api/complaints', { ...intake('cust-link-late'), dispatchMode: 'customer' });
    const id = filed.body.id;
    const waiting = await eventually<Detail>(stack, `/api/complaints/${id}`, (c) => c.engineerChoice?.state === 'waiting', 'offer waiting');
    const [first, second] = waiting.engineerChoice!.offered;
    const made = await stack.as('agent')<Link>('POST', `/api/complaints/${id}/customer-link`, {});
    const journey = await openJourney(browser, { name: 'customer-link-late-choice', baseUrl: stack.url, viewport: PHONE, mobile: true });
    journey.expectHttpError(`/api/complaints/${id}/engineer-choice`, 409);
    const { page } = journey;
    await page.clock.install();
    await journey.step('opens the link with the offer', async () => {
      await page.goto(onStack(made.body.url));
      await page.locator('#engineer-choice').waitFor();
      await page.clock.pauseAt(Date.now() + 1000);
    });

    // when the first engineer is chosen elsewhere (another device) before the page's tap
    expect((await customer('POST', `/api/complaints/${id}/engineer-choice`, { staffId: first!.staffId })).status).toBe(202);

    await journey.step('taps the second engineer: told it was not taken, shown the one assigned', async () => {
      await page.locator(`#engineer-choice button[data-staff="${second!.staffId}"]`).click();
      await page.locator('#choice-refused', { hasText: 'An engineer has already been assigned' }).waitFor();
      await page.locator('#engineer-chosen', { hasText: first!.name }).waitFor();
      expect(await page.locator('#engineer-choice').count()).toBe(0);
    });
    // then the first choice stands
    expect((await stack.api<Detail>('GET', `/api/complaints/${id}`)).body.engineerChoice!.chosenStaffId).toBe(first!.staffId);
    await journey.finish();
  });

  it('says an altered link is not valid, without asking to sign in', async () => {
    const filed = await stack.as({ roles: ['customer'], customerId: 'cust-link-2' })<Detail>('POST', '/api/complaints', intake('cust-link-2'));
    const made = await stack.as('agent')<Link>('POST', `/api/complaints/${filed.body.id}/customer-link`, {});
    const dot = made.body.token.lastIndexOf('.');
    const tampered = `${made.body.token.slice(0, dot + 1)}${'A'.repeat(made.body.token.length - dot - 1)}`;

    const journey = await openJourney(browser, { name: 'customer-link-tampered', baseUrl: stack.url, viewport: PHONE, mobile: true });
    journey.expectHttpError(`/api/complaints/${filed.body.id}`, 401);
    const { page } = journey;
    await journey.step('opens the altered link', async () => {
      await page.goto(`/#/complaints/${filed.body.id}?token=${encodeURIComponent(tampered)}`);
      await page.locator('#link-problem', { hasText: 'This link is not valid' }).waitFor();
      expect(await page.getByRole('heading', { name: 'Kettle stopped heating' }).count()).toBe(0);
      expect(await page.locator('.shell-nav a').count()).toBe(0);
      expect(page.url()).not.toContain('/login');
      expect(await fitsWidth(page)).toBe(true);
    });
    await journey.finish();
  });
});
