/**
 * Every department at once, as staff live it (issue 14 item 1), in real Chromium against the
 * real server, Temporal and FerretDB, on a desktop and at 375 px: beside a task the complaint
 * shows every department with its role and tasks (the diagram's rule: billing → after-sales and
 * finance must act), the agent brings technical in from the task, and a technical engineer finds
 * the new task in their inbox with the reason. And from intake (decision 0052): a finance agent
 * finds the compensation task of a complaint nobody has dispatched yet.
 */
import type { Browser, Page } from 'playwright-core';
import { deployShippedProcesses } from '../../../server/complaints/shippedProcesses';
import { launchBrowser, openJourney } from '../../support/browser';
import { eventually, startStack, type Stack } from '../../support/stack';
import { intake, openTask } from '../complaintSupport';
import { fitsWidth, PHONE, smallTargets } from './phoneSupport';

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

const TARGETS = '.task-row, .back-link, #claim-task, #bring-in > summary, #bring-in-form button, #bring-in-department, #bring-in-reason';
const rolesShown = (page: Page) => page.$$eval('#departments li', (lis) => lis.map((li) => [li.getAttribute('data-department'), li.getAttribute('data-role')]));

describe.each([
  ['desktop', { width: 1280, height: 800 }, false],
  ['phone', PHONE, true],
] as const)('departments on a %s', (label, viewport, mobile) => {
  it('shows every department beside a task and brings technical in from it', async () => {
    // given a billing complaint dispatched to an after-sales agent, whose first response is open
    const agent = await stack.createUser({ roles: ['agent'], groups: ['after-sales'], staffId: `S-as-${label}`, name: `Alex ${label}` });
    const tech = await stack.createUser({ roles: ['engineer'], groups: ['technical'], staffId: `S-tech-${label}`, name: `Tao ${label}` });
    const filed = await stack.api<{ id: string }>('POST', '/api/complaints', intake(`cust-dept-web-${label}`, { title: 'Charged twice', description: 'My invoice shows the same payment twice' }));
    expect(filed.status).toBe(201);
    const id = filed.body.id;
    const dispatch = await openTask(stack, id, 'Dispatch');
    expect((await stack.api('POST', `/api/tasks/${dispatch.id}/complete`, { variables: { assignee: `S-as-${label}` } })).status).toBe(200);
    const first = await openTask(stack, id, 'FirstResponse');

    const journey = await openJourney(browser, { name: `departments-${label}`, baseUrl: stack.url, viewport, mobile });
    const { page } = journey;
    const session = await stack.login(agent.email, agent.password);
    await journey.signIn(session.token, session.user);

    await journey.step('opens the first response: every department is there, two must act', async () => {
      await page.goto(`/#/inbox/${first.id}`);
      await page.locator('#departments li').first().waitFor();
      expect(await rolesShown(page)).toEqual([['after-sales', 'must-act'], ['technical', 'informed'], ['finance', 'must-act'], ['logistics', 'informed']]);
      expect(await page.locator('#departments [data-department="after-sales"] .department-tasks').textContent()).toContain('First response to the customer · claimed');
      expect(await fitsWidth(page)).toBe(true);
    });

    await journey.step('brings technical in with a reason', async () => {
      await page.locator('#bring-in > summary').click();
      // only departments not yet involved are offered
      expect(await page.locator('#bring-in-department option').evaluateAll((os) => os.map((o) => (o as HTMLOptionElement).value))).toEqual(['technical', 'logistics']);
      await page.locator('#bring-in-department').selectOption('technical');
      await page.locator('#bring-in-reason').fill('Check the smart meter reading');
      if (mobile) expect(await smallTargets(page, TARGETS)).toEqual([]);
      await page.locator('#bring-in-form button[type="submit"]').click();
      await page.locator('#departments [data-department="technical"][data-role="brought-in"]').waitFor();
      expect(await page.locator('#departments [data-department="technical"]').textContent()).toContain('Why: Check the smart meter reading');
      expect(await fitsWidth(page)).toBe(true);
    });

    await journey.step('sees the technical task open beside the complaint', async () => {
      // the task opens in the running instance; the card shows it once the projection has it
      await openTask(stack, id, 'BroughtInWork');
      await page.reload();
      await page.locator('#departments [data-department="technical"] .department-tasks', { hasText: 'Work as the department brought in · open' }).waitFor();
      // technical is involved now: nothing left to offer but logistics
      expect(await page.locator('#bring-in-department option').evaluateAll((os) => os.map((o) => (o as HTMLOptionElement).value))).toEqual(['logistics']);
    });

    await journey.finish();

    // the technical engineer, in a browser of their own
    const techJourney = await openJourney(browser, { name: `departments-${label}-technical`, baseUrl: stack.url, viewport, mobile });
    const techSession = await stack.login(tech.email, tech.password);
    await techJourney.signIn(techSession.token, techSession.user);
    const techPage = techJourney.page;
    await techJourney.step('the technical engineer finds the task in their inbox, with the reason', async () => {
      await techPage.goto('/#/inbox');
      const row = techPage.locator('.task-row', { hasText: 'Work as the department brought in' });
      await row.first().waitFor({ timeout: 20_000 });
      await row.first().click();
      await techPage.locator('#departments [data-department="technical"][data-role="brought-in"]').waitFor();
      expect(await techPage.locator('#departments [data-department="technical"]').textContent()).toContain('Why: Check the smart meter reading');
      expect(await fitsWidth(techPage)).toBe(true);
      if (mobile) expect(await smallTargets(techPage, TARGETS)).toEqual([]);
    });

    const complaint = await eventually<{ timeline: Array<{ what: string; who: string }> }>(stack, `/api/complaints/${id}`,
      (c) => c.timeline.some((e) => e.what === 'technical brought in: Check the smart meter reading'), 'on the timeline');
    expect(complaint.timeline.find((e) => e.what.startsWith('technical brought in'))!.who).toBe(`staff:${agent.id}`);
    await techJourney.finish();
  });
});

describe('department work from intake (decision 0052)', () => {
  it("shows a finance agent the new complaint's task right after intake, before anyone dispatched it", async () => {
    // given a finance agent signed in to the inbox
    const finance = await stack.createUser({ roles: ['agent'], groups: ['finance'], staffId: 'S-fin-intake', name: 'Fang Finance' });
    const journey = await openJourney(browser, { name: 'departments-from-intake', baseUrl: stack.url, viewport: { width: 1280, height: 800 }, mobile: false });
    const { page } = journey;
    const session = await stack.login(finance.email, finance.password);
    await journey.signIn(session.token, session.user);
    await page.goto('/#/inbox');

    // when a billing complaint is filed (the rule: after-sales and finance must act)
    const filed = await stack.api<{ id: string }>('POST', '/api/complaints', intake('cust-dept-web-intake', { title: 'Charged twice for the blender', description: 'My invoice shows the same payment twice' }));
    expect(filed.status).toBe(201);
    const id = filed.body.id;
    const compensation = await openTask(stack, id, 'FinanceCompensation');

    await journey.step('the new complaint\'s compensation task appears in the inbox and opens with the departments beside it', async () => {
      const row = page.locator(`.task-row[data-task="${compensation.id}"]`);
      await row.waitFor({ timeout: 20_000 });
      expect(await row.locator('.task-row-name').textContent()).toBe('Propose compensation');
      await row.click();
      await page.locator('#departments [data-department="finance"][data-role="must-act"]').waitFor();
      expect(await rolesShown(page)).toEqual([['after-sales', 'must-act'], ['technical', 'informed'], ['finance', 'must-act'], ['logistics', 'informed']]);
      expect(await page.locator('#departments [data-department="finance"] .department-tasks').textContent()).toContain('Propose compensation · open');
      expect(await page.locator('#departments [data-department="after-sales"] .department-tasks').textContent()).toContain('After-sales contact · open');
    });
    await journey.finish();

    // then nobody had dispatched the complaint yet: the department did not wait for it
    const detail = await stack.api<{ tasks: Array<{ elementId: string; state: string }> }>('GET', `/api/complaints/${id}`);
    expect(detail.body.tasks.filter((t) => t.elementId === 'Dispatch' || t.elementId === 'DispatchRecommended').map((t) => t.state)).not.toContain('completed');
    expect(detail.body.tasks.some((t) => t.elementId === 'FirstResponse')).toBe(false);
  });
});
