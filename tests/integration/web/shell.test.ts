/**
 * The web app's shell in real Chromium against the real server: served at `/` with its
 * assets, sign-in through the login form, navigation by role, and the language switch.
 */
import type { Browser } from 'playwright-core';
import { launchBrowser, openJourney } from '../../support/browser';
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

describe('web app shell', () => {
  it('serves the app with cacheable hashed assets and the API beside it', async () => {
    const index = await fetch(`${stack.url}/`);
    expect(index.status).toBe(200);
    expect(index.headers.get('cache-control')).toBe('no-cache');
    const html = await index.text();
    const script = /src="(\/assets\/index-[A-Z0-9]+\.js)"/.exec(html)?.[1];
    expect(script).toBeDefined();
    const asset = await fetch(`${stack.url}${script}`);
    expect(asset.status).toBe(200);
    expect(asset.headers.get('cache-control')).toContain('immutable');
    expect((await fetch(`${stack.url}/assets/missing.js`)).status).toBe(404);
    expect((await fetch(`${stack.url}/api/nothing-here`)).status).toBe(404);
  });

  it('signs a designer in through the form, shows their navigation, and switches to Chinese', async () => {
    const designer = await stack.createUser({ roles: ['designer'], name: 'Dana Designer' });
    const journey = await openJourney(browser, { name: 'shell-sign-in', baseUrl: stack.url });
    const { page } = journey;
    await journey.step('opens the app and lands on sign-in', async () => {
      await page.goto('/');
      await page.waitForSelector('#login-form');
      expect(page.url()).toContain('#/login');
    });
    await journey.step('wrong password is refused in words', async () => {
      journey.expectHttpError('/api/auth/login', 401);
      await page.fill('#login-email', designer.email);
      await page.fill('#login-password', 'not-the-password');
      await page.click('#login-form button[type=submit]');
      await page.getByRole('alert').getByText('Wrong e-mail or password.').waitFor();
    });
    await journey.step('signs in and lands in the designer', async () => {
      await page.fill('#login-password', designer.password);
      await page.click('#login-form button[type=submit]');
      await page.waitForURL(/#\/designer$/);
      const nav = await page.locator('.shell-nav a').allTextContents();
      expect(nav).toContain('Designer');
      expect(nav).not.toContain('Inbox');
      await page.getByText('Dana Designer').waitFor();
    });
    await journey.step('switches the language to Simplified Chinese', async () => {
      await page.selectOption('#language', 'zh-CN');
      await page.locator('.shell-nav a', { hasText: '流程设计' }).waitFor();
      expect(await page.locator('html').getAttribute('lang')).toBe('zh-CN');
    });
    await journey.step('an address outside the app says so', async () => {
      await page.goto('/#/no-such-page');
      await page.getByText('此地址没有页面。').waitFor();
    });
    await journey.finish();
  });

  it('sends a visitor without a session to sign-in and back to where they were going', async () => {
    const agent = await stack.createUser({ roles: ['agent'], groups: ['after-sales'] });
    const journey = await openJourney(browser, { name: 'shell-deep-link', baseUrl: stack.url, viewport: { width: 375, height: 812 }, mobile: true });
    const { page } = journey;
    await journey.step('a deep link asks for sign-in first', async () => {
      await page.goto('/#/inbox');
      await page.waitForSelector('#login-form');
    });
    await journey.step('after sign-in the inbox opens', async () => {
      await page.fill('#login-email', agent.email);
      await page.fill('#login-password', agent.password);
      await page.click('#login-form button[type=submit]');
      await page.waitForURL(/#\/inbox$/);
    });
    await journey.finish();
  });
});
