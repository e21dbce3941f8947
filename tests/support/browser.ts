/**
 * Browser journeys on Debian's chromium (playwright-core, never a downloaded browser).
 *
 * A journey is one page in its own browser context. It records every console error, page
 * error, failed request and HTTP error answer; `finish()` throws if any happened that the
 * test did not announce with `expectHttpError`. `step(name, fn)` runs one user action and
 * saves a screenshot into test-artifacts/screenshots/<journey>/ (git-ignored), also when the
 * step fails, so a red run shows what the user saw.
 */
import fs from 'node:fs';
import path from 'node:path';
import { chromium, type Browser, type BrowserContext, type Page } from 'playwright-core';
import { chromiumPath } from '../../server/infra/toolchain';

const SCREENSHOTS = path.resolve(__dirname, '../../test-artifacts/screenshots');

export async function launchBrowser(): Promise<Browser> {
  return chromium.launch({
    executablePath: chromiumPath(),
    headless: true,
    args: ['--headless', '--no-sandbox', '--disable-gpu', '--disable-background-networking', '--disable-dev-shm-usage'],
  });
}

export interface JourneyOptions {
  /** Folder name for the screenshots. */
  name: string;
  baseUrl: string;
  viewport?: { width: number; height: number };
  /** Touch and a phone's device scale, for the 375 px journeys. */
  mobile?: boolean;
  locale?: string;
}

export interface Journey {
  page: Page;
  context: BrowserContext;
  /** Runs one user action and saves a screenshot after it (or after its failure). */
  step<T>(name: string, action: () => Promise<T>): Promise<T>;
  /** An HTTP error answer the journey provokes on purpose (e.g. deploying a broken diagram). */
  expectHttpError(urlPart: string, status: number): void;
  /** Signs in through the API and stores the session the way the login page does. */
  signIn(token: string, user: { id: string; email: string; name?: string; roles: string[] }): Promise<void>;
  /** Throws if anything went wrong in the page; closes the context. */
  finish(): Promise<void>;
}

export async function openJourney(browser: Browser, options: JourneyOptions): Promise<Journey> {
  const context = await browser.newContext({
    baseURL: options.baseUrl,
    viewport: options.viewport ?? { width: 1280, height: 800 },
    ...(options.mobile ? { isMobile: true, hasTouch: true, deviceScaleFactor: 2 } : {}),
    locale: options.locale ?? 'en-US',
    permissions: ['geolocation'],
    geolocation: { latitude: 31.2304, longitude: 121.4737 },
  });
  const page = await context.newPage();
  const problems: string[] = [];
  const expected: Array<{ urlPart: string; status: number }> = [];
  const isExpected = (url: string, status?: number) =>
    expected.some((e) => url.includes(e.urlPart) && (status === undefined || e.status === status));

  page.on('console', (message) => {
    if (message.type() !== 'error') return;
    const url = message.location().url ?? '';
    // Chromium reports every 4xx/5xx answer as a console error too; expected ones are fine.
    if (/status of \d{3}/.test(message.text()) && isExpected(url)) return;
    problems.push(`console error: ${message.text()} (${url})`);
  });
  page.on('pageerror', (error) => problems.push(`page error: ${error.message}`));
  page.on('requestfailed', (request) => {
    const failure = request.failure()?.errorText ?? 'failed';
    // A navigation away aborts pending requests (server-sent events, polling): not a failure.
    if (failure.includes('ERR_ABORTED')) return;
    problems.push(`request failed: ${request.method()} ${request.url()} — ${failure}`);
  });
  page.on('response', (response) => {
    const status = response.status();
    if (status >= 400 && !isExpected(response.url(), status)) problems.push(`HTTP ${status}: ${response.request().method()} ${response.url()}`);
  });

  const folder = path.join(SCREENSHOTS, options.name);
  fs.rmSync(folder, { recursive: true, force: true });
  fs.mkdirSync(folder, { recursive: true });
  let count = 0;
  const shoot = async (name: string) => {
    count += 1;
    const file = `${String(count).padStart(2, '0')}-${name.replace(/[^a-z0-9]+/gi, '-').toLowerCase()}.png`;
    await page.screenshot({ path: path.join(folder, file), fullPage: true }).catch(() => undefined);
  };

  return {
    page,
    context,
    async step(name, action) {
      try {
        const result = await action();
        await shoot(name);
        return result;
      } catch (err) {
        await shoot(`${name}-FAILED`);
        throw err;
      }
    },
    expectHttpError(urlPart, status) {
      expected.push({ urlPart, status });
    },
    async signIn(token, user) {
      await context.addInitScript(([t, u]) => {
        localStorage.setItem('complaint-bpm.token', t);
        localStorage.setItem('complaint-bpm.user', u);
      }, [token, JSON.stringify(user)] as const);
    },
    async finish() {
      await context.close();
      if (problems.length > 0) throw new Error(`The page reported problems:\n- ${problems.join('\n- ')}`);
    },
  };
}
