/**
 * The inbox on a phone (375x812) in real Chromium against the real server, Temporal and
 * FerretDB: an agent sees a task of a running instance, claims it, completes it with its
 * form-js form (the instance moves on with the form's values), and a task started while the
 * inbox is open appears without a reload. A second journey works a complaint's task: comment,
 * photo with location, a commitment, transfer.
 */
import fs from 'node:fs';
import path from 'node:path';
import type { Browser } from 'playwright-core';
import { deployShippedProcesses } from '../../../server/complaints/shippedProcesses';
import { launchBrowser, openJourney } from '../../support/browser';
import { eventually, startStack, type Stack } from '../../support/stack';
import { fitsWidth, PHONE, PNG, smallTargets } from './phoneSupport';
import { intake, openTask, statusIs, type ComplaintDetail } from '../complaintSupport';

const fixture = (name: string) => fs.readFileSync(path.join(__dirname, '..', 'fixtures', name), 'utf8');
interface TaskPage { items: Array<{ id: string; elementId: string; state: string }> }
interface InstanceDetail { status: string; activeElements: string[]; variables: Record<string, unknown> }

let stack: Stack;
let browser: Browser;

beforeAll(async () => {
  [stack, browser] = await Promise.all([startStack(), launchBrowser()]);
  await deployShippedProcesses(stack.services.definitions);
  expect((await stack.api('POST', '/api/definitions', fixture('inbox-call-back.bpmn'), 'application/xml')).status).toBe(201);
});

afterAll(async () => {
  await browser?.close();
  await stack?.stop();
});

const TARGETS = '.task-row, .chip, .back-link, #claim-task, #unclaim-task, #complete-task, .icon-button, summary, .button-like, .stack-form button';

async function startCallBack(businessKey: string): Promise<{ instanceId: string; taskId: string }> {
  const started = await stack.api<{ instanceId: string }>('POST', '/api/processes/inbox-call-back/instances', { businessKey, variables: {} });
  expect(started.status).toBe(201);
  const page = await eventually<TaskPage>(stack, `/api/tasks?instanceId=${started.body.instanceId}`, (p) => p.items.length === 1, 'call-back task');
  return { instanceId: started.body.instanceId, taskId: page.items[0]!.id };
}

describe('inbox on a phone', () => {
  it('claims and completes a task with its form, and shows a new task without reloading', async () => {
    // given an agent of after-sales and a running call-back instance
    const agent = await stack.createUser({ roles: ['agent'], groups: ['after-sales'], staffId: 'S-inbox-ann', name: 'Ann Agent' });
    const session = await stack.login(agent.email, agent.password);
    const first = await startCallBack('CB-PHONE-1');
    const journey = await openJourney(browser, { name: 'inbox-phone-form', baseUrl: stack.url, viewport: PHONE, mobile: true });
    const { page } = journey;
    await journey.signIn(session.token, session.user);

    await journey.step('opens the inbox and sees the task', async () => {
      await page.goto('/#/inbox');
      await page.locator(`[data-task="${first.taskId}"]`).waitFor();
      await page.locator('#inbox-updated', { hasText: /Updated \d\d:\d\d:\d\d/ }).waitFor();
      expect(await page.locator(`[data-task="${first.taskId}"] .task-ref`).textContent()).toBe('CB-PHONE-1');
      expect(await fitsWidth(page)).toBe(true);
      expect(await smallTargets(page, TARGETS)).toEqual([]);
    });

    const second = await journey.step('a task started while the inbox is open appears by itself', async () => {
      const started = await startCallBack('CB-PHONE-2');
      await page.locator(`[data-task="${started.taskId}"]`).waitFor({ timeout: 20_000 });
      return started;
    });

    await journey.step('opens the task: its form, claim first', async () => {
      await page.locator(`[data-task="${first.taskId}"]`).click();
      await page.waitForURL(new RegExp(`#/inbox/${first.taskId.replace('.', '\\.')}$`));
      await page.getByLabel('What was agreed').waitFor();
      expect(await page.locator('#complete-task').isDisabled()).toBe(true);
      expect(await page.locator('.task-list').isVisible()).toBe(false);
      expect(await fitsWidth(page)).toBe(true);
    });

    await journey.step('claims it, gives it back, claims it again', async () => {
      await page.locator('#claim-task').click();
      await page.locator('#unclaim-task').waitFor();
      await page.locator('#unclaim-task').click();
      await page.locator('#claim-task').waitFor();
      expect(await page.locator('#complete-task').isDisabled()).toBe(true);
      await page.locator('#claim-task').click();
      await page.locator('#unclaim-task').waitFor();
      expect(await page.locator('#complete-task').isDisabled()).toBe(false);
      expect(await smallTargets(page, TARGETS)).toEqual([]);
    });

    await journey.step('a required field left empty is shown, nothing is sent', async () => {
      await page.locator('#complete-task').click();
      await page.getByText('Please correct the marked fields first.').waitFor();
      await page.locator('.fjs-form-field-error').first().waitFor();
    });

    await journey.step('fills the form', async () => {
      await page.getByLabel('What was agreed').fill('Engineer visits on Monday morning');
      await page.locator('.fjs-form-field-select').click();
      await page.locator('.fjs-dropdownlist-item', { hasText: 'Engineer visit needed' }).click();
      await page.getByLabel('The customer agreed to be called again').check();
      expect(await fitsWidth(page)).toBe(true);
    });

    await journey.step('completes it and is back in the list', async () => {
      await page.locator('#complete-task').click();
      await page.waitForURL(/#\/inbox$/);
      await page.getByText('Completed “Call the customer back”.').waitFor();
      await page.locator(`[data-task="${second.taskId}"]`).waitFor();
      // gone from the list once the read model has it completed (the next poll at the latest)
      await page.locator(`[data-task="${first.taskId}"]`).waitFor({ state: 'detached', timeout: 20_000 });
    });

    // then the instance moved on to the review, with the form's values as variables
    const instance = await eventually<InstanceDetail>(stack, `/api/instances/${first.instanceId}`, (i) => i.activeElements.includes('Review'), 'review active');
    expect(instance.variables).toMatchObject({ callSummary: 'Engineer visits on Monday morning', outcome: 'visit', customerConsented: true });
    await journey.finish();
  });

  it("works a complaint's task: timeline beside it, comment, photo with location, commitment, transfer", async () => {
    // given a filed complaint whose dispatch waits for after-sales
    const filed = await stack.api<{ id: string }>('POST', '/api/complaints', intake('cust-inbox-desk', { title: 'Dishwasher leaks on the floor' }));
    expect(filed.status).toBe(201);
    const id = filed.body.id;
    await statusIs(stack, id, 'in_progress');
    const dispatch = await openTask(stack, id, 'Dispatch');
    const agent = await stack.createUser({ roles: ['agent'], groups: dispatch.candidateGroups, staffId: 'S-inbox-bea', name: 'Bea Agent' });
    const session = await stack.login(agent.email, agent.password);
    const journey = await openJourney(browser, { name: 'inbox-phone-complaint', baseUrl: stack.url, viewport: PHONE, mobile: true });
    const { page } = journey;
    await journey.signIn(session.token, session.user);

    await journey.step('opens the complaint task with its timeline', async () => {
      await page.goto(`/#/inbox/${dispatch.id}`);
      await page.getByText('Dishwasher leaks on the floor').waitFor();
      await page.locator('.timeline li', { hasText: 'complaint received via app' }).waitFor();
      expect(await fitsWidth(page)).toBe(true);
    });

    await journey.step('comments', async () => {
      await page.locator('#comment-text').fill('Customer prefers a visit after 5 pm');
      await page.locator('#comment-form button[type=submit]').click();
      await page.locator('#comments li', { hasText: 'Customer prefers a visit after 5 pm' }).waitFor();
    });

    await journey.step('adds a photo from the camera with its location', async () => {
      await page.locator('#task-photo').setInputFiles({ name: 'leak.png', mimeType: 'image/png', buffer: PNG });
      await page.getByText('Photo saved with its location.').waitFor();
    });

    await journey.step('promises a call-back', async () => {
      await page.locator('#commitments summary').click();
      await page.locator('#commitment-description').fill('We call you back tomorrow');
      await page.locator('#commitment-form button[type=submit]').click();
      await page.locator('#commitments li', { hasText: 'We call you back tomorrow' }).waitFor();
      expect(await fitsWidth(page)).toBe(true);
    });

    await journey.step('transfers the task to technical with a reason', async () => {
      await page.locator('#transfer summary').click();
      await page.locator('#transfer-target').fill('technical');
      await page.locator('#transfer-reason').fill('Needs a technician first');
      await page.locator('#transfer-form button[type=submit]').click();
      await page.waitForURL(/#\/inbox$/);
      await page.getByText('Transferred “Dispatch to an engineer” to technical.').waitFor();
    });

    // then the API has all of it
    const detail = await eventually<Omit<ComplaintDetail, 'tasks'> & { attachments: Array<{ geo: unknown; takenAt: string | null }>; tasks: Array<{ id: string; candidateGroups: string[]; comments: Array<{ text: string }> }> }>(
      stack, `/api/complaints/${id}`, (c) => c.tasks.some((t) => t.id === dispatch.id && t.candidateGroups.includes('technical')), 'transferred');
    expect(detail.tasks.find((t) => t.id === dispatch.id)?.comments.map((c) => c.text)).toEqual(['Customer prefers a visit after 5 pm']);
    expect(detail.attachments).toEqual([expect.objectContaining({ geo: { lat: 31.2304, lon: 121.4737 }, takenAt: expect.any(String) })]);
    expect(detail.commitments).toEqual([expect.objectContaining({ kind: 'call-back', status: 'open' })]);
    await journey.finish();
  });

  it('on a desktop shows the list and the task side by side', async () => {
    // given a complaint task with a promise already made
    const filed = await stack.api<{ id: string }>('POST', '/api/complaints', intake('cust-inbox-wide', { title: 'Oven door does not close' }));
    const id = filed.body.id;
    await statusIs(stack, id, 'in_progress');
    const dispatch = await openTask(stack, id, 'Dispatch');
    await stack.api('POST', `/api/complaints/${id}/commitments`, { kind: 'gift', description: 'A voucher for the delay', dueAt: '2030-01-07T09:00:00+01:00', ownerDepartment: 'after-sales' });
    const supervisor = await stack.createUser({ roles: ['supervisor'], name: 'Sam Supervisor' });
    const session = await stack.login(supervisor.email, supervisor.password);
    const journey = await openJourney(browser, { name: 'inbox-desktop', baseUrl: stack.url, viewport: { width: 1366, height: 900 } });
    const { page } = journey;
    await journey.signIn(session.token, session.user);

    await journey.step('list and task side by side, the complaint beside the task', async () => {
      await page.goto(`/#/inbox/${dispatch.id}`);
      await page.locator('#commitments li', { hasText: 'A voucher for the delay' }).waitFor();
      await page.locator(`[data-task="${dispatch.id}"][aria-current="true"]`).waitFor();
      const list = await page.locator('.inbox-list').boundingBox();
      const task = await page.locator('.task-main').boundingBox();
      const complaint = await page.locator('.complaint-panel').boundingBox();
      expect(list!.x + list!.width).toBeLessThanOrEqual(task!.x);
      expect(task!.x + task!.width).toBeLessThanOrEqual(complaint!.x);
      expect(await page.locator('.back-link').isVisible()).toBe(false);
    });
    await journey.finish();
  });
});
