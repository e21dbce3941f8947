/**
 * Decisions from the designer in real Chromium against the real server: a designer deploys a
 * .dmn file with "Deploy decisions…" and sees its versions; a broken file is refused with its
 * problems listed by rule id, and nothing is stored.
 */
import type { Browser } from 'playwright-core';
import { launchBrowser, openJourney } from '../../support/browser';
import { dmnDocument, tableDecision } from '../../support/dmnXml';
import { startStack, type Stack } from '../../support/stack';

let stack: Stack;
let browser: Browser;

beforeAll(async () => {
  [stack, browser] = await Promise.all([startStack({ worker: false }), launchBrowser()]);
});

afterAll(async () => {
  await browser?.close();
  await stack?.stop();
});

const good = dmnDocument([tableDecision({ id: 'designer_route', inputs: ['amount'], outputs: [{ name: 'queue' }], rules: [['>= 1000', '"senior"'], ['< 1000', '"standard"']] })], 'designer_drd');
const broken = dmnDocument([tableDecision({ id: 'designer_broken', inputs: ['amount'], outputs: [{ name: 'queue' }], rules: [['>= ', '"senior"']] })], 'designer_broken_drd');

it('deploys .dmn files from the designer and lists a refused file\'s problems by rule', async () => {
  const user = await stack.createUser({ roles: ['designer'], name: 'Dana Decisions' });
  const session = await stack.login(user.email, user.password);
  const journey = await openJourney(browser, { name: 'designer-decisions', baseUrl: stack.url, viewport: { width: 1440, height: 900 } });
  const { page } = journey;
  await journey.signIn(session.token, session.user);

  await journey.step('deploys a decision file', async () => {
    await page.goto('/#/designer');
    await page.locator('#designer-decisions', { hasText: 'Deploy decisions' }).waitFor();
    await page.locator('#designer-dmn-file').setInputFiles({ name: 'routing.dmn', mimeType: 'application/xml', buffer: Buffer.from(good) });
    await page.locator('#designer-status.ok', { hasText: 'Deployed decision designer_route as version 1.' }).waitFor();
  });
  const stored = await stack.api<{ latest: { version: number; resourceName: string } }>('GET', '/api/decisions/designer_route');
  expect(stored.body.latest).toMatchObject({ version: 1, resourceName: 'routing.dmn' });

  await journey.step('the same file again is no new version', async () => {
    await page.locator('#designer-dmn-file').setInputFiles({ name: 'routing.dmn', mimeType: 'application/xml', buffer: Buffer.from(good) });
    await page.locator('#designer-status.ok', { hasText: 'Decision designer_route unchanged at version 1.' }).waitFor();
  });

  await journey.step('a broken file is refused, its problem listed by rule id', async () => {
    journey.expectHttpError('/api/decisions', 400);
    await page.locator('#designer-dmn-file').setInputFiles({ name: 'broken.dmn', mimeType: 'application/xml', buffer: Buffer.from(broken) });
    await page.locator('#designer-status.error', { hasText: 'The server refused broken.dmn: 1 problem(s)' }).waitFor();
    const problem = page.locator('#designer-problems li.problem.error');
    await problem.locator('button[data-element="designer_broken_r1"]').waitFor();
    expect(await problem.locator('.problem-message').textContent()).toMatch(/FEEL syntax error/);
  });
  expect((await stack.api('GET', '/api/decisions/designer_broken')).status).toBe(404);
  await journey.finish();
});
