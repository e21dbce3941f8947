/**
 * A low survey score as the customer-experience team lives it, in real Chromium against the
 * real server, Temporal and FerretDB, on a desktop and at 375 px: the feedback arrives with the
 * default settings, the alert work order shows up in the team's inbox with the score and the
 * touchpoint, its page shows the low answers and the customer's words, and the shipped form
 * closes it with the root cause (the process then waits only for a reopen: no new work order).
 */
import type { Browser } from 'playwright-core';
import { deployShippedProcesses } from '../../../server/complaints/shippedProcesses';
import { launchBrowser, openJourney } from '../../support/browser';
import { eventually, startStack, type Stack } from '../../support/stack';
import { fitsWidth, PHONE, smallTargets } from './phoneSupport';

interface InstanceDetail { activeElements: string[]; variables: Record<string, unknown>; tasks: Array<{ state: string }>; incidents: unknown[] }

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

const TARGETS = '.task-row, .back-link, #claim-task, #unclaim-task, #complete-task';

describe.each([
  ['desktop', { width: 1280, height: 800 }, false],
  ['phone', PHONE, true],
] as const)('alert work order on a %s', (label, viewport, mobile) => {
  it('shows score, low answers, words and touchpoint, and closes with the root cause', async () => {
    // given a CX agent and a customer's 2 of 10 for a touchpoint nobody owns (default settings)
    const agent = await stack.createUser({ roles: ['agent'], groups: ['customer-experience'], staffId: `S-cx-${label}`, name: `Casey ${label}` });
    const session = await stack.login(agent.email, agent.password);
    const touchpoint = `store-${label}`;
    const fb = await stack.as({ roles: ['customer'], customerId: `cust-alert-${label}` })<{ id: string; alert: { instanceId: string } }>('POST', '/api/feedback', {
      touchpoint, score: 2, verbatim: 'Waited forty minutes at the counter and nobody apologised',
      answers: [{ question: 'Waiting time', score: 1 }, { question: 'Staff friendliness', score: 3 }, { question: 'Store cleanliness', score: 9 }],
    });
    expect(fb.status).toBe(201);
    const taskId = (await eventually<{ items: Array<{ id: string; elementId: string }> }>(stack, `/api/tasks?instanceId=${fb.body.alert.instanceId}&state=open`,
      (p) => p.items.some((t) => t.elementId === 'AlertWorkOrder'), 'the work order')).items.find((t) => t.elementId === 'AlertWorkOrder')!.id;

    const journey = await openJourney(browser, { name: `alert-work-order-${label}`, baseUrl: stack.url, viewport, mobile });
    const { page } = journey;
    await journey.signIn(session.token, session.user);
    const row = page.locator(`[data-task="${taskId}"]`);

    await journey.step('sees the alert in the inbox with its score and touchpoint', async () => {
      await page.goto('/#/inbox');
      await row.waitFor();
      expect(await row.locator('.task-row-name').textContent()).toBe('Alert work order');
      expect(await row.locator('.task-ref').textContent()).toBe(touchpoint);
      expect(await row.locator('.feedback-score').textContent()).toBe('Score 2/10');
      expect(await fitsWidth(page)).toBe(true);
      if (mobile) expect(await smallTargets(page, TARGETS)).toEqual([]);
    });

    await journey.step('opens it: the low answers, the words and the form', async () => {
      await row.click();
      await page.locator('#feedback').waitFor();
      expect(await page.locator('#feedback-score').textContent()).toBe('Score 2/10');
      expect(await page.locator('#feedback-touchpoint').textContent()).toBe(`Touchpoint ${touchpoint}`);
      expect(await page.locator('#feedback-verbatim').textContent()).toBe('Waited forty minutes at the counter and nobody apologised');
      expect(await page.locator('#feedback-low-answers li').allTextContents()).toEqual(['Waiting time: 1/10', 'Staff friendliness: 3/10']);
      await page.getByLabel('Root cause').waitFor();
      expect(await fitsWidth(page)).toBe(true);
    });

    await journey.step('claims it; an empty root cause is refused in the form', async () => {
      await page.locator('#claim-task').click();
      await page.locator('#unclaim-task').waitFor();
      await page.locator('#complete-task').click();
      await page.getByText('Please correct the marked fields first.').waitFor();
      if (mobile) expect(await smallTargets(page, TARGETS)).toEqual([]);
    });

    await journey.step('gives the root cause and closes it', async () => {
      await page.getByLabel('Root cause').fill('One agent on the counter during the lunch peak');
      await page.getByLabel('What was done about it').fill('A second agent from 12:00 to 14:00');
      await page.locator('#complete-task').click();
      await page.waitForURL(/#\/inbox$/);
      await page.getByText('Completed “Alert work order”.').waitFor();
      await row.waitFor({ state: 'detached', timeout: 20_000 });
    });

    // then the process has the root cause and waits only for a reopen: no new work order opened
    const instance = await eventually<InstanceDetail>(stack, `/api/instances/${fb.body.alert.instanceId}`,
      (i) => i.activeElements.includes('AwaitReopen') || i.activeElements.includes('AlertReopened'), 'closed, reopen window open');
    expect(instance.variables).toMatchObject({ rootCause: 'One agent on the counter during the lunch peak', actionTaken: 'A second agent from 12:00 to 14:00' });
    expect(instance.tasks.filter((t) => t.state === 'open' || t.state === 'claimed')).toEqual([]);
    expect(instance.incidents).toEqual([]);
    await journey.finish();
  });
});
