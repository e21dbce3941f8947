/**
 * "Readable everywhere" (issue 14 item 6) in real Chromium against the real server, Temporal
 * and FerretDB, at 375 px and on a desktop: a complaint's task names the colleague who holds
 * it and wrote on it (never their staff id or user id) and the complaint by its number;
 * the timeline column lays out (time above the entry, names not broken letter by letter);
 * in 简体中文 the task, its timeline, category and severity are Chinese; and the instance viewer
 * opens fitted to its diagram with the assignee by name and, in Chinese, the diagram's
 * Chinese names.
 */
import type { Browser, Page } from 'playwright-core';
import { deployShippedProcesses } from '../../../server/complaints/shippedProcesses';
import { demoDirectory, seedDirectory } from '../../../server/domain/seed';
import { slaModels } from '../../../server/projections/slaModels';
import { launchBrowser, openJourney } from '../../support/browser';
import { eventually, startStack, type Stack } from '../../support/stack';
import { intake, openTask, statusIs } from '../complaintSupport';
import { fitsWidth, PHONE } from './phoneSupport';
import { diagramFitted } from './diagramFit';
import { seedClocks } from './slaJourneyData';

const DESKTOP = { width: 1366, height: 900 };
const CAI_STAFF_ID = 'S-readable-cai';
const ENGINEERS = demoDirectory().staff.slice(0, 2);

let stack: Stack;
let browser: Browser;
let complaintId: string;
/** The complaint's number (`C-000123`), given at intake. */
let complaintNo: string;
let instanceId: string;
let dispatchId: string;
let caiUserId: string;
let dispatchGroups: string[];

beforeAll(async () => {
  [stack, browser] = await Promise.all([startStack(), launchBrowser()]);
  await deployShippedProcesses(stack.services.definitions);
  // a complaint whose dispatch task a colleague, Cai, has claimed and commented on
  const filed = await stack.api<{ id: string; instanceId: string; number: string }>('POST', '/api/complaints', intake('cust-readable', { title: 'Washer floods the kitchen' }));
  expect(filed.status).toBe(201);
  complaintId = filed.body.id;
  instanceId = filed.body.instanceId;
  complaintNo = filed.body.number;
  expect(complaintNo).toMatch(/^C-\d{6,}$/);
  await statusIs(stack, complaintId, 'in_progress');
  const dispatch = await openTask(stack, complaintId, 'Dispatch');
  dispatchId = dispatch.id;
  dispatchGroups = dispatch.candidateGroups;
  const cai = await stack.createUser({ roles: ['agent'], groups: dispatch.candidateGroups, staffId: CAI_STAFF_ID, name: 'Cai Colleague' });
  caiUserId = cai.id;
  const caiApi = (await stack.login(cai.email, cai.password)).api;
  expect((await caiApi('POST', `/api/tasks/${dispatchId}/claim`, { assignee: CAI_STAFF_ID })).status).toBe(204);
  expect((await caiApi('POST', `/api/tasks/${dispatchId}/comments`, { text: 'Calling the customer at noon' })).status).toBe(201);
  await eventually<{ assignee: string | null }>(stack, `/api/tasks/${dispatchId}`, (t) => t.assignee === CAI_STAFF_ID, 'claimed by Cai');
  // SLA clocks of the complaint held by two directory engineers, as the SLA writer leaves them
  await seedDirectory(stack.mongo);
  const clocks = seedClocks(12, [instanceId], Date.now()).map((c, i) => ({ ...c, _id: `${instanceId}.readable-${i}`, complaintId, engineerId: ENGINEERS[i % 2]!._id, startedAt: new Date(Date.now() - (i + 1) * 3_600_000) }));
  await slaModels(stack.mongo).clocks.insertMany(clocks);
  await stack.services.sla.clocks.reload();
});

afterAll(async () => {
  await browser?.close();
  await stack?.stop();
});

/** Every timeline entry: its time above its text, its author's name on one or two lines. */
async function timelineLaysOut(page: Page): Promise<void> {
  const entries = await page.locator('.complaint-panel .timeline li').evaluateAll((lis) => lis.map((li) => {
    const box = (sel: string) => li.querySelector(sel)!.getBoundingClientRect();
    const time = box('time');
    const what = box('span:not(.who)');
    const who = box('.who');
    const lineHeight = parseFloat(getComputedStyle(li.querySelector('.who')!).lineHeight) || 16;
    return { timeAbove: time.bottom <= what.top + 0.5, whoBelow: what.bottom <= who.top + 0.5, whoLines: Math.round(who.height / lineHeight), whoWidth: who.width };
  }));
  expect(entries.length).toBeGreaterThan(2);
  for (const e of entries) {
    expect(e).toMatchObject({ timeAbove: true, whoBelow: true });
    expect(e.whoLines).toBeLessThanOrEqual(2);
    expect(e.whoWidth).toBeGreaterThan(40);
  }
}

/** Nothing in `selector` shows an internal id of a person or the complaint. */
async function noInternalIds(page: Page, selector = 'body'): Promise<void> {
  const text = (await page.locator(selector).allInnerTexts()).join('\n');
  for (const id of [CAI_STAFF_ID, caiUserId, complaintId]) expect(text).not.toContain(id);
}

describe('readable everywhere', () => {
  for (const [device, viewport] of [['phone', PHONE], ['desktop', DESKTOP]] as const) {
    it(`the task page names people and the complaint, and its timeline lays out (${device})`, async () => {
      const bea = await stack.createUser({ roles: ['agent'], groups: dispatchGroups, staffId: `S-readable-bea-${device}`, name: 'Bea Agent' });
      const session = await stack.login(bea.email, bea.password);
      const journey = await openJourney(browser, { name: `readable-task-${device}`, baseUrl: stack.url, viewport, mobile: device === 'phone' });
      const { page } = journey;
      await journey.signIn(session.token, session.user);

      await journey.step('the task names who holds it and who commented', async () => {
        await page.goto(`/#/inbox/${dispatchId}`);
        await page.getByText('Washer floods the kitchen').waitFor();
        await page.locator('.task-header .badge', { hasText: 'Claimed by Cai Colleague' }).waitFor();
        await page.locator('#comments li', { hasText: 'Calling the customer at noon' }).getByText(/^Cai Colleague · /).waitFor();
        // the complaint by the number it got at intake, in the task's header and the complaint panel
        await page.locator('.task-header .task-ref', { hasText: `Complaint ${complaintNo}` }).waitFor();
        await page.locator('.complaint-panel h2', { hasText: `Complaint ${complaintNo}` }).waitFor();
        if (device === 'desktop') await page.locator(`[data-task="${dispatchId}"]`, { hasText: complaintNo }).waitFor();
        await noInternalIds(page);
      });

      await journey.step('the timeline: time above each entry, the colleague by name', async () => {
        await page.locator('.complaint-panel .timeline li', { hasText: "commented on 'Dispatch to an engineer'" }).locator('.who', { hasText: 'Cai Colleague' }).waitFor();
        await page.locator('.complaint-panel .timeline').scrollIntoViewIfNeeded();
        await timelineLaysOut(page);
        expect(await fitsWidth(page)).toBe(true);
      });
      await journey.finish();
    });

    it(`in 简体中文 the task, its timeline, category and severity are Chinese (${device})`, async () => {
      const bea = await stack.createUser({ roles: ['agent'], groups: dispatchGroups, staffId: `S-readable-zh-${device}`, name: 'Bea Agent' });
      const session = await stack.login(bea.email, bea.password);
      const journey = await openJourney(browser, { name: `readable-task-zh-${device}`, baseUrl: stack.url, viewport, mobile: device === 'phone', locale: 'zh-CN' });
      const { page } = journey;
      await journey.signIn(session.token, session.user);

      await journey.step('the list and the task are named in Chinese', async () => {
        await page.goto(`/#/inbox/${dispatchId}`);
        await page.locator('.task-header h1', { hasText: '派工给工程师' }).waitFor();
        if (device === 'desktop') await page.locator(`[data-task="${dispatchId}"] .task-row-name`, { hasText: '派工给工程师' }).waitFor();
        await page.locator('.task-header .badge', { hasText: 'Cai Colleague' }).waitFor();
      });

      await journey.step('the timeline, category and severity in Chinese', async () => {
        const timeline = page.locator('.complaint-panel .timeline');
        await timeline.locator('li', { hasText: '通过应用收到投诉' }).waitFor();
        await timeline.locator('li', { hasText: '评论了“派工给工程师”' }).waitFor();
        await timeline.locator('li', { hasText: /^.*归类为.*严重程度.*$/ }).waitFor();
        await timeline.locator('li', { hasText: '需要处理的部门：' }).waitFor();
        const facts = await page.locator('.complaint-panel .card').first().innerText();
        expect(facts).toMatch(/产品缺陷 · 严重程度 ?(低|中|高)/);
        expect(await timeline.innerText()).not.toMatch(/received via|classified as|commented on/);
        await timelineLaysOut(page);
        expect(await fitsWidth(page)).toBe(true);
      });
      await journey.finish();
    });

    it(`the SLA dashboard names engineers and the complaint by its number (${device})`, async () => {
      const supervisor = await stack.createUser({ roles: ['supervisor'], name: 'Sam Supervisor' });
      const session = await stack.login(supervisor.email, supervisor.password);
      const journey = await openJourney(browser, { name: `readable-sla-${device}`, baseUrl: stack.url, viewport, mobile: device === 'phone' });
      const { page } = journey;
      await journey.signIn(session.token, session.user);
      await journey.step('engineers by name, the complaint by its number', async () => {
        await page.goto('/#/sla');
        await page.locator('#sla-by-engineer tbody tr').first().waitFor();
        const keys = await page.locator('#sla-by-engineer td.key').allInnerTexts();
        // the complaint's own clocks (written by the running process) have no engineer yet
        expect(keys.filter((k) => k !== 'Unassigned').sort()).toEqual(ENGINEERS.map((e) => e.name).sort());
        // SLA clocks do not carry the number: the complaint by the 8 hex digits of its id (the fallback)
        const number = complaintId.replace(/^cmp-/, '').slice(0, 8).toUpperCase();
        await page.locator('#sla-next li').first().waitFor();
        expect(await page.locator('#sla-next li a').allInnerTexts()).toContain(`Complaint #${number}`);
        for (const e of ENGINEERS) expect(await page.locator('body').innerText()).not.toContain(e._id);
        expect(await page.locator('body').innerText()).not.toContain(complaintId);
        expect(await fitsWidth(page)).toBe(true);
      });
      await journey.finish();
    });

    it(`the instance viewer opens fitted, with the assignee by name, and in Chinese with Chinese names (${device})`, async () => {
      const operator = await stack.createUser({ roles: ['operator', 'supervisor'], name: 'Olga Operator' });
      const session = await stack.login(operator.email, operator.password);
      for (const lang of ['en-US', 'zh-CN'] as const) {
        const journey = await openJourney(browser, { name: `readable-viewer-${device}-${lang}`, baseUrl: stack.url, viewport, mobile: device === 'phone', locale: lang });
        const { page } = journey;
        await journey.signIn(session.token, session.user);
        await journey.step('the viewer opens fitted to the diagram', async () => {
          await page.goto(`/#/instances/${instanceId}`);
          await page.locator('#viewer-canvas[data-ready="true"]').waitFor();
          await page.locator('#viewer-canvas .op-token').first().waitFor();
          expect(await diagramFitted(page, '#viewer-canvas')).toEqual({ inside: true, fills: true });
        });
        await journey.step('the complaint by its number, the task by its holder\'s name', async () => {
          // the process carries the complaint's number (`complaintNumber`)
          await page.locator('h1', { hasText: complaintNo }).waitFor();
          const tasks = page.locator('#panel-tasks');
          if (lang === 'zh-CN') {
            await tasks.getByText('派工给工程师').waitFor();
            await tasks.getByText('处理人 Cai Colleague').waitFor();
            await page.locator('#viewer-canvas .djs-label, #viewer-canvas text', { hasText: '派工给工程师' }).first().waitFor();
            // the SLA timers count down in Chinese units
            expect(await page.locator('#panel-timers').innerText()).toMatch(/\d+ 天 \d+ 小时 ?后触发/);
          } else {
            await tasks.getByText('Dispatch to an engineer').waitFor();
            await tasks.getByText('assigned to Cai Colleague').waitFor();
            expect(await page.locator('#panel-timers').innerText()).toMatch(/\d+d \d+h/);
          }
          // the variables panel is the engine's data for operators: ids are what it is about
          await noInternalIds(page, '.page-head, #panel-tasks');
          expect(await fitsWidth(page)).toBe(true);
        });
        await journey.finish();
      }
    });
  }
});
