/**
 * The workload page and the forecast in real Chromium against the real server, Temporal and
 * FerretDB, desktop and 375 px. A year of simulated history is written as `npm run seed`
 * writes it (server/analytics/history.ts); every figure on screen is checked against the API
 * and against a count made here from the generated rollups.
 */
import fs from 'node:fs';
import type { Browser, Page } from 'playwright-core';
import { historyRollups, seedAnalyticsHistory, type HistoryOptions } from '../../../server/analytics/history';
import type { RollupRecord } from '../../../server/analytics/model';
import { sumDoc } from '../../../server/analytics/rollups';
import { deployShippedProcesses } from '../../../server/complaints/shippedProcesses';
import { seedDirectory } from '../../../server/domain/seed';
import { launchBrowser, openJourney } from '../../support/browser';
import { eventually, startStack, type Stack } from '../../support/stack';
import { fitsWidth, PHONE } from './phoneSupport';

interface Figures { open: number; intake: number; intakePerDay: number; throughputPerDay: number }
interface Workload { from: string; to: string; total: Figures; rows: Array<Figures & { key: string; name: string }>; trend: Array<{ day: string; intake: number; closed: number; open: number }> }
interface Forecast {
  method: string; forecast: Array<{ day: string; count: number }>; weekly: number[];
  holdout: { mape: number | null } | null;
  staffing: { days: Array<{ day: string; engineers: number }> };
  byCategory: Array<{ key: string; weekly: number[] }>; byRegion: Array<{ key: string }>;
}

const DAY_MS = 86_400_000;
const today = new Date().toISOString().slice(0, 10);
const history: HistoryOptions = {
  end: new Date(Date.now() - DAY_MS).toISOString().slice(0, 10),
  days: 365, perDay: 12, regions: ['Huangpu', 'Pudong', 'Xuhui'],
  engineers: [{ id: 'staff-001', outlet: 'outlet-01' }, { id: 'staff-002', outlet: 'outlet-02' }, { id: 'staff-003', outlet: 'outlet-01' }],
};
let stack: Stack;
let browser: Browser;
let docs: RollupRecord[];

/** Intake per the generated day documents of `dim` in the 30 days up to today. */
function intake(dim: string, filter: { category?: string } = {}): Map<string, number> {
  const from = new Date(Date.now() - 29 * DAY_MS).toISOString().slice(0, 10);
  const out = new Map<string, number>();
  for (const d of docs) if (d.grain === 'day' && d.dim === dim && d.period >= from && d.period <= today) out.set(d.key, (out.get(d.key) ?? 0) + sumDoc(d, filter).in);
  return new Map([...out].filter(([, n]) => n > 0));
}

async function pageAnswer<T>(page: Page, part: string, act: () => Promise<unknown>): Promise<T> {
  const [response] = await Promise.all([page.waitForResponse((r) => r.url().includes(part) && r.request().method() === 'GET'), act()]);
  return (await response.json()) as T;
}

beforeAll(async () => {
  [stack, browser] = await Promise.all([startStack(), launchBrowser()]);
  await seedDirectory(stack.mongo);
  docs = historyRollups(history);
  expect(await seedAnalyticsHistory(stack.mongo, history)).toBe(docs.length);
  // seeding again writes nothing (npm run seed may run more than once)
  expect(await seedAnalyticsHistory(stack.mongo, history)).toBe(0);
});

afterAll(async () => {
  await browser?.close();
  await stack?.stop();
});

describe('workload analytics and the forecast in the browser', () => {
  it('shows the workload per department and engineer, filters by category, exports CSV, then the forecast', async () => {
    const manager = await stack.createUser({ roles: ['department_head'], name: 'Dora Head' });
    const session = await stack.login(manager.email, manager.password);
    const journey = await openJourney(browser, { name: 'manager-workload-forecast', baseUrl: stack.url });
    const { page } = journey;
    await journey.signIn(session.token, session.user);
    let w!: Workload;

    await journey.step('the workload page shows the tiles and one row per department as counted from the history', async () => {
      w = await pageAnswer<Workload>(page, '/api/analytics/workload', () => page.goto('/#/analytics'));
      await page.locator('#workload-tiles').waitFor();
      await page.locator('#workload-chart[data-ready="true"] canvas').waitFor();
      const expected = intake('department');
      expect(new Map(w.rows.map((r) => [r.key, r.intake]))).toEqual(expected);
      const shown = await page.locator('#workload-table tbody tr').evaluateAll((trs) => trs.map((tr) => [tr.getAttribute('data-key') ?? '', tr.querySelectorAll('td')[2]?.textContent ?? ''] as [string, string]));
      expect(new Map(shown)).toEqual(new Map([...expected].map(([k, n]) => [k, n.toLocaleString('en-US')])));
      expect(await page.locator('[data-tile="open"] .tile-value').textContent()).toBe(w.total.open.toLocaleString('en-US'));
      expect(w.total.open).toBe(sumDoc({ c: Object.assign({}, ...docs.filter((d) => d.grain === 'now' && d.dim === 'all').map((d) => d.c)) }, {}).open);
      const trendRows = await page.locator('#workload-trend-table tbody tr').count();
      expect(trendRows).toBe(30);
    });

    await journey.step('per engineer: the seeded engineers with their outlet-free names', async () => {
      const byEngineer = await pageAnswer<Workload>(page, '/api/analytics/workload', () => page.selectOption('#workload-dim', 'engineer'));
      await page.locator('#workload-table tbody tr[data-key="staff-001"]').waitFor();
      expect(new Map(byEngineer.rows.map((r) => [r.key, r.intake]))).toEqual(intake('engineer'));
      expect(await page.locator('#workload-table tbody tr').count()).toBe(byEngineer.rows.length);
    });

    await journey.step('a category filter narrows every figure', async () => {
      await pageAnswer<Workload>(page, '/api/analytics/workload', () => page.selectOption('#workload-dim', 'department'));
      await page.fill('#workload-category', 'air-conditioning');
      const filtered = await pageAnswer<Workload>(page, '/api/analytics/workload', () => page.click('#workload-filters button[type="submit"]'));
      expect(new Map(filtered.rows.map((r) => [r.key, r.intake]))).toEqual(intake('department', { category: 'air-conditioning' }));
      expect(filtered.rows.map((r) => r.key)).toEqual(['technical']);
      // the four department rows give way to the one the filter leaves
      await page.locator('#workload-table tbody tr').nth(1).waitFor({ state: 'detached' });
      expect(await page.locator('#workload-table tbody tr').evaluateAll((trs) => trs.map((tr) => tr.getAttribute('data-key')))).toEqual(['technical']);
    });

    await journey.step('the CSV export has the rows on screen', async () => {
      const [download] = await Promise.all([page.waitForEvent('download'), page.click('#workload-export')]);
      const text = fs.readFileSync((await download.path())!, 'utf8');
      const lines = text.trim().split('\r\n');
      expect(lines[0]!.startsWith('dimension,key,name')).toBe(true);
      expect(lines.slice(1).map((l) => l.split(',')[1])).toEqual(['technical']);
      expect(download.suggestedFilename()).toMatch(/^workload-department-.*\.csv$/);
    });

    await journey.step('the forecast shows four weeks, its error on the held-back weeks and engineers per day', async () => {
      const f = await pageAnswer<Forecast>(page, '/api/analytics/forecast', () => page.click('#to-forecast'));
      await page.locator('#forecast-chart[data-ready="true"] canvas').waitFor();
      expect(f.method).toContain('yearly Fourier');
      expect(f.forecast).toHaveLength(28);
      expect(f.forecast[0]!.day).toBe(today);
      expect(f.holdout?.mape).toBeGreaterThan(0);
      expect(f.holdout!.mape!).toBeLessThan(0.6);
      const mape = await page.locator('#forecast-mape').textContent();
      expect(mape).toBe(`MAPE ${(f.holdout!.mape! * 100).toLocaleString('en-US', { maximumFractionDigits: 1 })}%`);
      const weekly = await page.locator('#forecast-weekly tbody tr td:nth-child(2)').allTextContents();
      expect(weekly).toEqual(f.weekly.map((n) => n.toLocaleString('en-US')));
      const engineers = await page.locator('#forecast-staffing-table tbody tr td:nth-child(3)').allTextContents();
      expect(engineers).toEqual(f.staffing.days.map((d) => String(d.engineers)));
      expect(f.staffing.days.some((d) => d.engineers > 0)).toBe(true);
      const categories = await page.locator('#forecast-by-category-table tbody tr').evaluateAll((trs) => trs.map((tr) => tr.getAttribute('data-key')));
      expect(categories).toEqual(f.byCategory.map((c) => c.key));
      expect(categories).toHaveLength(7);
      expect(f.byRegion.map((r) => r.key)).toEqual([...history.regions].sort());
    });

    await journey.step('a forecast for one region is smaller than the whole', async () => {
      const whole = (await stack.api<Forecast>('GET', '/api/analytics/forecast')).body;
      await page.fill('#forecast-region', 'Pudong');
      const one = await pageAnswer<Forecast>(page, '/api/analytics/forecast', () => page.click('#forecast-filters button[type="submit"]'));
      expect(one.byRegion).toEqual([]);
      expect(one.weekly[0]!).toBeLessThan(whole.weekly[0]!);
      await page.locator('#forecast-by-region').waitFor({ state: 'detached' });
    });
    await journey.finish();
  });

  it('colours the complaint process by its share of low scores in the instance viewer', async () => {
    await deployShippedProcesses(stack.services.definitions);
    const filed = await stack.api<{ id: string }>('POST', '/api/complaints', {
      channel: 'app', customer: { id: 'cust-001', tier: 'standard' }, product: 'fridge', title: 'Fridge is warm', description: 'It stopped cooling yesterday.',
    });
    expect(filed.status).toBe(201);
    const complaint = await eventually<{ instanceId: string | null }>(stack, `/api/complaints/${filed.body.id}`, (c) => c.instanceId !== null, 'the complaint process');
    // A supervisor: reads the diagram (a department head may not) and the analytics.
    const manager = await stack.createUser({ roles: ['supervisor'] });
    const session = await stack.login(manager.email, manager.password);
    const journey = await openJourney(browser, { name: 'manager-satisfaction-heatmap', baseUrl: stack.url });
    const { page } = journey;
    await journey.signIn(session.token, session.user);
    await journey.step('the viewer offers the satisfaction mode to a manager', async () => {
      await page.goto(`/#/instances/${complaint.instanceId}`);
      await page.locator('#viewer-canvas[data-ready="true"]').waitFor();
      await page.locator('#mode-satisfaction').waitFor();
    });
    await journey.step('each step is coloured by its share of low scores, as the drivers count them', async () => {
      const drivers = await pageAnswer<{ elements: Array<{ elementId: string; lowScoreShare: number; evaluations: number }> }>(page, '/api/analytics/drivers', () => page.click('#mode-satisfaction'));
      const from = new Date(Date.now() - 29 * DAY_MS).toISOString().slice(0, 10);
      const expected = new Map<string, { e: number; lo: number }>();
      for (const d of docs) {
        if (d.grain !== 'day' || d.dim !== 'element' || d.period < from) continue;
        const c = sumDoc(d, {});
        const id = d.key.split(':')[1]!;
        expected.set(id, { e: (expected.get(id)?.e ?? 0) + c.e, lo: (expected.get(id)?.lo ?? 0) + c.lo });
      }
      expect(new Map(drivers.elements.map((e) => [e.elementId, e.evaluations]))).toEqual(new Map([...expected].map(([k, v]) => [k, v.e])));
      await page.locator('#viewer-canvas .op-satisfaction').first().waitFor();
      for (const [id, v] of expected) {
        const overlay = page.locator(`#viewer-canvas .op-satisfaction[data-element="${id}"]`);
        expect(Number(await overlay.getAttribute('data-low-share'))).toBeCloseTo(v.lo / v.e, 4);
        const bucket = Math.min(4, Math.floor((v.lo / v.e) * 5));
        await page.locator(`#viewer-canvas [data-element-id="${id}"].heat-${bucket}`).waitFor({ state: 'attached' });
      }
      expect(await page.locator('#satisfaction-count').getAttribute('data-elements')).toBe(String(expected.size));
    });
    await journey.step('back to the live state', async () => {
      await page.click('#mode-state');
      await page.locator('#viewer-canvas .op-satisfaction').first().waitFor({ state: 'detached' });
    });
    await journey.finish();
    // an operator may read instances but not analytics: no satisfaction mode
    const operator = await stack.createUser({ roles: ['operator'] });
    const opSession = await stack.login(operator.email, operator.password);
    const other = await openJourney(browser, { name: 'operator-no-satisfaction', baseUrl: stack.url });
    other.expectHttpError('/api/analytics/drivers', 403);
    await other.signIn(opSession.token, opSession.user);
    await other.step('the operator sees the heat map but not the satisfaction mode', async () => {
      await other.page.goto(`/#/instances/${complaint.instanceId}`);
      await other.page.locator('#viewer-canvas[data-ready="true"]').waitFor();
      await other.page.locator('#mode-heat').waitFor();
      expect(await other.page.locator('#mode-satisfaction').isHidden()).toBe(true);
    });
    await other.finish();
  });

  it('fits both pages on a phone without sideways scrolling', async () => {
    const manager = await stack.createUser({ roles: ['supervisor'] });
    const session = await stack.login(manager.email, manager.password);
    const journey = await openJourney(browser, { name: 'manager-workload-forecast-phone', baseUrl: stack.url, viewport: PHONE, mobile: true });
    const { page } = journey;
    await journey.signIn(session.token, session.user);
    await journey.step('the workload page at 375 px', async () => {
      await page.goto('/#/analytics');
      await page.locator('#workload-table tbody tr').first().waitFor();
      await page.locator('#workload-chart[data-ready="true"]').waitFor();
      expect(await fitsWidth(page)).toBe(true);
    });
    await journey.step('the forecast at 375 px', async () => {
      await page.goto('/#/analytics/forecast');
      await page.locator('#forecast-staffing-table tbody tr').first().waitFor();
      expect(await fitsWidth(page)).toBe(true);
    });
    await journey.finish();
  });
});
