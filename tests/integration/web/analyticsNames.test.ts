/**
 * The workload page names the steps and the element drivers (element ids in the rollups) by
 * the diagram's names, and in 简体中文 by its zh-CN names: real Chromium, desktop and 375 px,
 * against a year of seeded history (as `npm run seed` writes it) and the shipped processes.
 */
import type { Browser, Page } from 'playwright-core';
import { seedAnalyticsHistory, type HistoryOptions } from '../../../server/analytics/history';
import { deployShippedProcesses } from '../../../server/complaints/shippedProcesses';
import { seedDirectory } from '../../../server/domain/seed';
import { launchBrowser, openJourney } from '../../support/browser';
import { startStack, type Stack } from '../../support/stack';
import { fitsWidth, PHONE } from './phoneSupport';

const DAY_MS = 86_400_000;
const history: HistoryOptions = {
  end: new Date(Date.now() - DAY_MS).toISOString().slice(0, 10),
  days: 60, perDay: 12, regions: ['Huangpu', 'Pudong'],
  engineers: [{ id: 'staff-001', outlet: 'outlet-01' }, { id: 'staff-002', outlet: 'outlet-02' }],
};
/** The steps the seeded history measures (server/analytics/history.ts) and their names in the shipped diagram. */
const STEP_NAMES = { en: ['Dispatch to the recommended engineer', 'First response to the customer', 'Write resolution summary'], 'zh-CN': ['派工给推荐的工程师', '首次响应客户', '撰写解决总结'] };
const STEP_IDS = ['DispatchRecommended', 'FirstResponse', 'ResolutionSummary'];

let stack: Stack;
let browser: Browser;

beforeAll(async () => {
  [stack, browser] = await Promise.all([startStack(), launchBrowser()]);
  await seedDirectory(stack.mongo);
  await seedAnalyticsHistory(stack.mongo, history);
  await deployShippedProcesses(stack.services.definitions);
});

afterAll(async () => {
  await browser?.close();
  await stack?.stop();
});

const cells = (page: Page, table: string) => page.locator(`#${table} tbody tr td:first-child`).allInnerTexts();

describe('analytics by name', () => {
  for (const [device, viewport] of [['phone', PHONE], ['desktop', { width: 1366, height: 900 }]] as const) {
    for (const lang of ['en', 'zh-CN'] as const) {
      it(`names the steps and element drivers (${device}, ${lang})`, async () => {
        const manager = await stack.createUser({ roles: ['supervisor'], name: 'Sam Supervisor' });
        const session = await stack.login(manager.email, manager.password);
        const journey = await openJourney(browser, { name: `analytics-names-${device}-${lang}`, baseUrl: stack.url, viewport, mobile: device === 'phone', locale: lang === 'en' ? 'en-US' : 'zh-CN' });
        const { page } = journey;
        await journey.signIn(session.token, session.user);
        await journey.step('the steps by their names', async () => {
          await page.goto('/#/analytics');
          await page.locator('#workload-steps-table tbody tr').first().waitFor();
          const steps = await cells(page, 'workload-steps-table');
          expect(steps).toEqual(expect.arrayContaining(STEP_NAMES[lang]));
          expect(steps.filter((s) => STEP_IDS.includes(s))).toEqual([]);
          expect(await fitsWidth(page)).toBe(true);
        });
        await journey.step('the element drivers by their names', async () => {
          const elements = await cells(page, 'drivers-elements');
          expect(elements.length).toBeGreaterThan(0);
          expect(elements.filter((s) => /^[A-Z][A-Za-z]+$/.test(s))).toEqual([]);
          expect(elements.some((s) => STEP_NAMES[lang].includes(s))).toBe(true);
        });
        await journey.finish();
      });
    }
  }
});
