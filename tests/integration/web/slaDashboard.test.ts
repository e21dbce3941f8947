/**
 * The SLA dashboard and the heat map in real Chromium against the real server, Temporal and
 * FerretDB. Clocks and finished instances with their element events are seeded straight into
 * FerretDB (as the SLA engine's writer and the projection leave them), the API's clock index
 * re-reads them, and every figure on screen is checked against GET /api/sla/overview or
 * /api/sla/heatmap and against a count made here from the seeded documents.
 */
import fs from 'node:fs';
import path from 'node:path';
import type { Browser, Page } from 'playwright-core';
import { projectionModels } from '../../../server/projections/models';
import { slaModels, type SlaClockRecord } from '../../../server/projections/slaModels';
import { launchBrowser, openJourney } from '../../support/browser';
import { middle } from '../../support/slaSeed';
import { eventually, startStack, type Stack } from '../../support/stack';
import { fitsWidth, PHONE } from './phoneSupport';
import { DAY, seedClocks, seedFinishedInstances } from './slaJourneyData';

type Counts = { ok: number; at_risk: number; breached: number; met: number };
interface Overview {
  from: string; to: string; clocks: number; totals: Counts; byDepartment: Array<Counts & { key: string | null }>;
  breachingNext: Array<{ instanceId: string; clockKey: string; dueAt: string }>;
  trends: Array<{ day: string; started: number; breached: number; met: number }>;
}
interface Heatmap { elements: Array<{ elementId: string; count: number; medianMs: number; p90Ms: number }> }

const NOW = Date.now();
const ORDER = ['breached', 'at_risk', 'ok', 'met'] as const;
let stack: Stack;
let browser: Browser;
let liveId: string;
let clocks: SlaClockRecord[];
let acknowledge: number[];

function countStates(list: SlaClockRecord[]): Counts {
  const counts = { ok: 0, at_risk: 0, breached: 0, met: 0 };
  for (const c of list) counts[c.state] += 1;
  return counts;
}

/** The overview the page asked for, and the same query asked again of the API here. */
async function pageOverview(page: Page, open: () => Promise<unknown>): Promise<{ shown: Overview; asked: Overview; from: number; to: number }> {
  const [response] = await Promise.all([page.waitForResponse((r) => r.url().includes('/api/sla/overview')), open()]);
  const url = new URL(response.url());
  const shown = (await response.json()) as Overview;
  const asked = (await stack.api<Overview>('GET', `/api/sla/overview${url.search}`)).body;
  return { shown, asked, from: Date.parse(url.searchParams.get('from') ?? ''), to: Date.parse(url.searchParams.get('to') ?? '') };
}

beforeAll(async () => {
  [stack, browser] = await Promise.all([startStack(), launchBrowser()]);
  const bpmn = fs.readFileSync(path.join(__dirname, 'fixtures', 'operator-simple.bpmn'), 'utf8');
  const deployed = await stack.api<{ version: number }>('POST', '/api/definitions', bpmn, 'application/xml');
  if (deployed.status !== 201) throw new Error(`deploy: ${deployed.status} ${JSON.stringify(deployed.body)}`);
  const started = await stack.api<{ instanceId: string }>('POST', '/api/processes/operator-simple/instances', { businessKey: 'C-SLA-LIVE' });
  liveId = started.body.instanceId;
  await eventually<{ activeElements: string[] }>(stack, `/api/instances/${liveId}`, (d) => d.activeElements.includes('acknowledge'), 'the live instance at acknowledge');

  const finished = seedFinishedInstances(24, deployed.body.version, NOW);
  acknowledge = finished.acknowledge;
  const { instances, elementEvents } = projectionModels(stack.mongo);
  await instances.insertMany(finished.instances);
  await elementEvents.insertMany(finished.events);
  clocks = seedClocks(90, [liveId, ...finished.instances.map((i) => i._id)], NOW);
  await slaModels(stack.mongo).clocks.insertMany(clocks);
  // The overview reads the API process's clock index: have it re-read what was written behind its back.
  await stack.services.sla.clocks.reload();
});

afterAll(async () => {
  await browser?.close();
  await stack?.stop();
});

describe('SLA dashboard', () => {
  it('shows the seeded clocks as the overview counts them, in English and Chinese, then the heat map on the diagram', async () => {
    const operator = await stack.createUser({ roles: ['operator'], name: 'Olga Operator' });
    const session = await stack.login(operator.email, operator.password);
    const journey = await openJourney(browser, { name: 'operator-sla-dashboard', baseUrl: stack.url });
    const { page } = journey;
    await journey.signIn(session.token, session.user);
    let overview!: Awaited<ReturnType<typeof pageOverview>>;
    let inPeriod: SlaClockRecord[] = [];

    await journey.step('the tiles show the totals of the overview and of the seeded clocks', async () => {
      overview = await pageOverview(page, () => page.goto('/#/sla'));
      await page.locator('#sla-tiles').waitFor();
      expect(overview.to - overview.from).toBe(30 * DAY);
      inPeriod = clocks.filter((c) => c.startedAt.getTime() >= overview.from && c.startedAt.getTime() < overview.to);
      expect(inPeriod.length).toBeLessThan(clocks.length); // some started before the period
      expect(overview.shown.totals).toEqual(overview.asked.totals);
      expect(overview.shown.totals).toEqual(countStates(inPeriod));
      const tiles = await page.locator('#sla-tiles .tile').evaluateAll((els) => els.map((e) => [e.getAttribute('data-state'), e.querySelector('.tile-value')?.textContent]));
      expect(Object.fromEntries(tiles)).toEqual(Object.fromEntries(ORDER.map((s) => [s, String(overview.asked.totals[s])])));
      await page.locator('#sla-scope').getByText(`${inPeriod.length} clocks started`).waitFor();
    });

    await journey.step('the by-department table has one row per department with its counts', async () => {
      const rows = await page.locator('#sla-by-department tbody tr').evaluateAll((trs) =>
        trs.map((tr) => [tr.getAttribute('data-key'), Array.from(tr.querySelectorAll('td.num')).map((td) => Number(td.textContent))] as const));
      const fromApi = overview.asked.byDepartment.map((g) => [g.key ?? '', ORDER.map((s) => g[s])] as const);
      expect(new Map(rows)).toEqual(new Map(fromApi));
      expect(rows).toHaveLength(fromApi.length);
      const seeded = new Map<string, number[]>();
      for (const d of new Set(inPeriod.map((c) => c.department))) {
        const counts = countStates(inPeriod.filter((c) => c.department === d));
        seeded.set(d ?? '', ORDER.map((s) => counts[s]));
      }
      expect(new Map(rows)).toEqual(seeded);
      await page.locator('#sla-by-department tr[data-key=""]').getByText('Not set').waitFor();
    });

    await journey.step('what breaches next is in due order and links to the instance viewer', async () => {
      const items = await page.locator('#sla-next li').evaluateAll((lis) => lis.map((li) => ({
        due: li.getAttribute('data-due') ?? '', instance: li.getAttribute('data-instance'), href: li.querySelector('a')?.getAttribute('href'),
      })));
      const running = clocks.filter((c) => (c.state === 'ok' || c.state === 'at_risk') && !c.paused && c.dueAt !== null)
        .sort((a, b) => a.dueAt!.getTime() - b.dueAt!.getTime() || (a._id < b._id ? -1 : 1)).slice(0, 20);
      expect(items.map((i) => i.due)).toEqual(running.map((c) => c.dueAt!.toISOString()));
      expect(items.map((i) => i.due)).toEqual(overview.asked.breachingNext.map((b) => b.dueAt));
      expect(items.every((i) => i.href === `#/instances/${i.instance}`)).toBe(true);
      expect(items.some((i) => Date.parse(i.due) < NOW)).toBe(true); // an overdue one comes first, marked as over
      await page.locator('#sla-next li').first().getByText(/ over$/).waitFor();
      await page.locator(`#sla-next li[data-instance="${liveId}"]`).getByText('Complaint C-SLA-LIVE').waitFor();
    });

    await journey.step('the trend chart has a bar per day, as tall as the clocks started that day', async () => {
      const bars = await page.locator('#sla-trends rect.trend-bar').evaluateAll((rs) => rs.map((r) => [r.getAttribute('data-day'), Number(r.getAttribute('data-started'))] as const));
      expect(bars).toHaveLength(30);
      expect(bars).toEqual(overview.asked.trends.map((d) => [d.day, d.started]));
      for (const [day, started] of bars) expect(started).toBe(inPeriod.filter((c) => c.startedAt.toISOString().startsWith(day ?? '?')).length);
      expect(bars.filter(([, started]) => started > 0).length).toBeGreaterThan(10);
      await page.locator('#sla-trends path.trend-rate').waitFor();
      const breached = overview.asked.trends.reduce((n, d) => n + d.breached, 0);
      const ended = breached + overview.asked.trends.reduce((n, d) => n + d.met, 0);
      await page.locator('#sla-breach-rate strong').getByText(`${(Math.round((breached / ended) * 1000) / 10).toString()}%`).waitFor();
    });

    await journey.step('in Chinese, the same figures under Chinese labels', async () => {
      await pageOverview(page, () => page.selectOption('#language', 'zh-CN'));
      await page.getByRole('heading', { name: 'SLA 监控' }).waitFor();
      await page.locator('#sla-tiles .tile-breached').getByText('已违约').waitFor();
      expect(await page.locator('#sla-tiles .tile-breached .tile-value').textContent()).toBe(String(overview.asked.totals.breached));
      await page.locator('#sla-by-department tr[data-key=""]').getByText('未设置').waitFor();
    });
    await journey.step('back in English', async () => {
      await pageOverview(page, () => page.selectOption('#language', 'en'));
      await page.getByRole('heading', { name: 'SLA monitoring' }).waitFor();
    });

    let heat!: Heatmap;
    await journey.step('the live complaint opens in the instance viewer', async () => {
      await page.click(`#sla-next li[data-instance="${liveId}"] a`);
      await page.waitForURL(new RegExp(`#/instances/${liveId}$`));
      await page.locator('#viewer-canvas .op-token[data-element="acknowledge"]').waitFor();
      await page.locator('#viewer-modes').waitFor();
    });

    await journey.step('the heat map colours the elements and its legend gives the medians of the API', async () => {
      const [response] = await Promise.all([page.waitForResponse((r) => r.url().includes('/api/sla/heatmap')), page.click('#mode-heat')]);
      heat = (await response.json()) as Heatmap;
      const onDiagram = heat.elements.filter((e) => ['received', 'acknowledge', 'acknowledged'].includes(e.elementId));
      expect(onDiagram.map((e) => e.elementId).sort()).toEqual(['acknowledge', 'acknowledged', 'received']);
      const ack = heat.elements.find((e) => e.elementId === 'acknowledge');
      expect(ack).toMatchObject({ count: acknowledge.length, medianMs: middle(acknowledge) });
      await page.locator('#viewer-canvas [data-element-id="acknowledge"].heat-4').waitFor({ state: 'attached' });
      for (const e of onDiagram) {
        expect(await page.locator(`#viewer-canvas .op-heat[data-element="${e.elementId}"]`).getAttribute('data-median-ms')).toBe(String(e.medianMs));
      }
      const medians = onDiagram.map((e) => e.medianMs);
      expect(await page.locator('#heat-min').getAttribute('data-ms')).toBe(String(Math.min(...medians)));
      expect(await page.locator('#heat-max').getAttribute('data-ms')).toBe(String(Math.max(...medians)));
      expect(await page.locator('#viewer-canvas .op-token').count()).toBe(0);
    });

    await journey.step('back to the live state', async () => {
      await page.click('#mode-state');
      await page.locator('#viewer-canvas .op-token[data-element="acknowledge"]').waitFor();
      expect(await page.locator('#viewer-canvas .op-heat').count()).toBe(0);
    });
    await journey.finish();
  });

  it('fits the dashboard on a phone without sideways scrolling', async () => {
    const operator = await stack.createUser({ roles: ['supervisor'] });
    const session = await stack.login(operator.email, operator.password);
    const journey = await openJourney(browser, { name: 'operator-sla-dashboard-phone', baseUrl: stack.url, viewport: PHONE, mobile: true });
    const { page } = journey;
    await journey.signIn(session.token, session.user);
    await journey.step('the dashboard at 375 px', async () => {
      await page.goto('/#/sla');
      await page.locator('#sla-tiles').waitFor();
      await page.locator('#sla-next li').first().waitFor();
      expect(await fitsWidth(page)).toBe(true);
    });
    await journey.finish();
  });
});
