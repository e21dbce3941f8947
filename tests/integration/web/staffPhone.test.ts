/**
 * Staff on a phone (issue 14 item 5), in real Chromium against the real server, Temporal and
 * FerretDB, on a desktop and at 375 px: searching work orders server-side, the raised-priority
 * badge and the named SLA clock, a video clip recorded in the page (MediaRecorder) uploaded with
 * the poster frame the page draws, shown with its picture and played in place, and a completion
 * note that reaches the complaint's timeline with the completer's name.
 */
import { readFileSync } from 'node:fs';
import { join } from 'node:path';
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
  await stack.services.definitions.deploy({ bytes: readFileSync(join(__dirname, '..', 'fixtures', 'raised-priority.bpmn')), resourceName: 'raised-priority.bpmn' });
});

afterAll(async () => {
  await browser?.close();
  await stack?.stop();
});

const TARGETS = '#search > summary, #search-text, #search-status, #search-department, #search-from, #search-to, #search-form button, .task-row, label[for="task-video"], .evidence-play';

/** A two-second WebM clip of a moving square, recorded by Chromium itself (there is no video tool on the machine). */
async function recordClip(page: Page): Promise<Buffer> {
  const base64 = await page.evaluate(async () => {
    const canvas = document.createElement('canvas');
    canvas.width = 320;
    canvas.height = 240;
    const context = canvas.getContext('2d')!;
    const stream = canvas.captureStream(15);
    const recorder = new MediaRecorder(stream, { mimeType: 'video/webm' });
    const parts: Blob[] = [];
    recorder.ondataavailable = (e) => parts.push(e.data);
    const stopped = new Promise((resolve) => { recorder.onstop = resolve; });
    recorder.start(100);
    const started = performance.now();
    await new Promise<void>((resolve) => {
      const frame = () => {
        const t = performance.now() - started;
        context.fillStyle = '#1565c0';
        context.fillRect(0, 0, 320, 240);
        context.fillStyle = '#ffca28';
        context.fillRect((t / 10) % 260, 90, 60, 60);
        if (t < 2000) requestAnimationFrame(frame); else resolve();
      };
      frame();
    });
    recorder.stop();
    await stopped;
    const bytes = new Uint8Array(await new Blob(parts, { type: 'video/webm' }).arrayBuffer());
    let text = '';
    for (const b of bytes) text += String.fromCharCode(b);
    return btoa(text);
  });
  return Buffer.from(base64, 'base64');
}

describe.each([
  ['desktop', { width: 1280, height: 800 }, false],
  ['phone', PHONE, true],
] as const)('staff on a %s', (label, viewport, mobile) => {
  it('searches work orders, sees raised priority and the named clock, adds a video and a completion note', async () => {
    // given an after-sales agent who also dispatches, with a complaint's first response and an escalating work order
    const agent = await stack.createUser({ roles: ['agent'], groups: ['after-sales', 'dispatch'], staffId: `S-phone-${label}`, name: `Pat ${label}` });
    const filed = await stack.api<{ id: string; number: string }>('POST', '/api/complaints', intake(`cust-phone-web-${label}`, { title: 'Dishwasher leaks', description: 'Water under the dishwasher' }));
    const id = filed.body.id;
    const dispatch = await openTask(stack, id, 'Dispatch');
    expect((await stack.api('POST', `/api/tasks/${dispatch.id}/complete`, { variables: { assignee: `S-phone-${label}` } })).status).toBe(200);
    const first = await openTask(stack, id, 'FirstResponse');
    await stack.services.instances.start('raised-priority', { businessKey: `WO-escalates-${label}` });
    // the complaint's number as the inbox shows it (C-000123)
    const number = filed.body.number;

    const journey = await openJourney(browser, { name: `staff-phone-${label}`, baseUrl: stack.url, viewport, mobile });
    const { page } = journey;
    const session = await stack.login(agent.email, agent.password);
    await journey.signIn(session.token, session.user);

    await journey.step('the escalated work order carries its raised priority in the list', async () => {
      await page.goto('/#/inbox');
      const row = page.locator('.task-row', { hasText: `WO-escalates-${label}` });
      await row.waitFor({ timeout: 20_000 });
      // the breach (1 s) raises 50 to 80; the list polls every 5 s
      await row.locator('.badge.priority', { hasText: 'Priority 80' }).waitFor({ timeout: 30_000 });
      expect(await fitsWidth(page)).toBe(true);
    });

    await journey.step('its page names the SLA clock and shows the priority', async () => {
      await page.locator('.task-row', { hasText: `WO-escalates-${label}` }).click();
      await page.locator('#task-sla-clock').waitFor();
      expect(await page.locator('#task-sla-clock').textContent()).toBe('Breached · fast-answer');
      expect(await page.locator('.task-header .badge.priority').textContent()).toContain('Priority 80');
      await page.goto('/#/inbox');
    });

    await journey.step("searches by the complaint number: the server finds its after-sales work orders (the first response, and the department's task open since intake)", async () => {
      if (!(await page.locator('#search').evaluate((d) => (d as HTMLDetailsElement).open))) await page.locator('#search > summary').click();
      await page.locator('#search-text').fill(number.toLowerCase());
      await page.locator('#search-department').selectOption('after-sales');
      const today = new Date();
      const day = `${today.getFullYear()}-${String(today.getMonth() + 1).padStart(2, '0')}-${String(today.getDate()).padStart(2, '0')}`;
      await page.locator('#search-from').fill(day);
      await page.locator('#search-to').fill(day);
      if (mobile) expect(await smallTargets(page, TARGETS)).toEqual([]);
      const searched = page.waitForResponse((r) => r.url().includes('/api/tasks?') && r.url().includes(`q=${number.toLowerCase()}`));
      await page.locator('#search-form button[type="submit"]').click();
      const url = new URL((await searched).url());
      expect(Object.fromEntries(url.searchParams)).toMatchObject({ state: 'open,claimed', department: 'after-sales', sort: '-createdAt', page: '1', pageSize: '20' });
      await page.locator('#search-count', { hasText: '2 of 2' }).waitFor();
      const rows = await page.locator('.task-row').allTextContents();
      expect(rows).toHaveLength(2);
      expect(rows.every((row) => row.includes(number))).toBe(true);
      expect(rows.some((row) => row.includes('First response to the customer'))).toBe(true);
      expect(rows.some((row) => row.includes('After-sales contact'))).toBe(true);
      expect(await fitsWidth(page)).toBe(true);
    });

    await journey.step('finds the completed dispatch among the completed work orders', async () => {
      await page.locator('#search-department').selectOption('');
      await page.locator('#search-status').selectOption('completed');
      await page.locator('#search-form button[type="submit"]').click();
      await page.locator('.task-row', { hasText: 'Dispatch to an engineer' }).waitFor();
      expect(await page.locator('.task-row').count()).toBe(1);
      await page.locator('#search-clear').click();
      await page.locator('.task-row', { hasText: `WO-escalates-${label}` }).waitFor();
    });

    const clip = await recordClip(page);
    await journey.step('opens the first response and adds a video clip: saved with a picture taken from it', async () => {
      await page.goto(`/#/inbox/${first.id}`);
      await page.locator('#task-sla').waitFor();
      expect(await page.locator('#task-sla').textContent()).toContain('First response');
      const thumbnail = page.waitForResponse((r) => r.url().endsWith('/thumbnail') && r.request().method() === 'POST');
      await page.locator('#task-video').setInputFiles({ name: 'leak.webm', mimeType: 'video/webm', buffer: clip });
      expect((await thumbnail).status()).toBe(201);
      const item = page.locator('#evidence .evidence-item[data-kind="video"]');
      await item.waitFor();
      expect(await item.textContent()).toContain(`by Pat ${label}`);
      // the poster frame is a real picture: drawn from the clip, decoded by the browser
      await page.waitForFunction(() => {
        const img = document.querySelector<HTMLImageElement>('#evidence .evidence-play img');
        return img !== null && img.complete && img.naturalWidth === 320;
      });
      expect(await fitsWidth(page)).toBe(true);
      if (mobile) expect(await smallTargets(page, TARGETS)).toEqual([]);
    });

    await journey.step('plays the clip in place', async () => {
      await page.locator('#evidence .evidence-play').click();
      await page.waitForFunction(() => {
        const video = document.querySelector<HTMLVideoElement>('#evidence video.evidence-video');
        return video !== null && video.readyState >= 2 && video.videoWidth === 320;
      });
      expect(await fitsWidth(page)).toBe(true);
    });

    await journey.step('completes with a note: it reaches the timeline with the name', async () => {
      await page.locator('#task-note').fill('Told the customer a technician comes Monday');
      await page.locator('#complete-task').click();
      await page.waitForURL(/#\/inbox$/);
    });
    const complaint = await eventually<{ timeline: Array<{ what: string; name?: string }> }>(stack, `/api/complaints/${id}`,
      (c) => c.timeline.some((e) => e.what.startsWith("completed 'First response")), 'the note on the timeline');
    expect(complaint.timeline.find((e) => e.what.startsWith("completed 'First response"))).toMatchObject({
      what: "completed 'First response to the customer': Told the customer a technician comes Monday", name: `Pat ${label}`,
    });
    await journey.step('the timeline beside the next task says who completed it and what they noted', async () => {
      const next = await eventually<{ tasks: Array<{ id: string; state: string; candidateGroups: string[] }> }>(stack, `/api/complaints/${id}`,
        (c) => c.tasks.some((t) => t.state === 'open' && t.candidateGroups.includes('after-sales')), 'an after-sales task');
      await page.goto(`/#/inbox/${next.tasks.find((t) => t.state === 'open' && t.candidateGroups.includes('after-sales'))!.id}`);
      const entry = page.locator('.timeline li', { hasText: 'Told the customer a technician comes Monday' });
      await entry.waitFor();
      expect(await entry.locator('.who').textContent()).toBe(`Pat ${label}`);
    });
    await journey.finish();
  });
  it('finds a closed alert work order by searching the completed ones and reopens it with a reason', async () => {
    // given a closed alert work order of the customer-experience group
    const agent = await stack.createUser({ roles: ['agent'], groups: ['customer-experience'], staffId: `S-cx-phone-${label}`, name: `Robin ${label}` });
    const fb = await stack.as({ roles: ['customer'], customerId: `cust-phone-alert-${label}` })<{ id: string; alert: { instanceId: string } }>('POST', '/api/feedback', {
      touchpoint: `kiosk-${label}`, score: 1, verbatim: 'The kiosk ate my card',
    });
    expect(fb.status).toBe(201);
    const open = await eventually<{ items: Array<{ id: string; elementId: string }> }>(stack, `/api/tasks?instanceId=${fb.body.alert.instanceId}&state=open`,
      (p) => p.items.some((t) => t.elementId === 'AlertWorkOrder'), 'the work order');
    const taskId = open.items.find((t) => t.elementId === 'AlertWorkOrder')!.id;
    expect((await stack.api('POST', `/api/tasks/${taskId}/claim`, { assignee: `S-cx-phone-${label}` })).status).toBe(204);
    expect((await stack.api('POST', `/api/tasks/${taskId}/complete`, { variables: { rootCause: 'Card reader firmware' } })).status).toBe(200);
    await eventually<{ activeElements: string[] }>(stack, `/api/instances/${fb.body.alert.instanceId}`, (i) => i.activeElements.includes('AwaitReopen'), 'closed');
    await eventually<{ items: unknown[] }>(stack, `/api/tasks?instanceId=${fb.body.alert.instanceId}&state=completed`, (p) => p.items.length === 1, 'completed in the read model');

    const journey = await openJourney(browser, { name: `staff-phone-reopen-${label}`, baseUrl: stack.url, viewport, mobile });
    const { page } = journey;
    const session = await stack.login(agent.email, agent.password);
    await journey.signIn(session.token, session.user);

    await journey.step('searches the completed work orders and opens the closed alert', async () => {
      await page.goto('/#/inbox');
      if (!(await page.locator('#search').evaluate((d) => (d as HTMLDetailsElement).open))) await page.locator('#search > summary').click();
      await page.locator('#search-text').fill('alert');
      await page.locator('#search-status').selectOption('completed');
      await page.locator('#search-form button[type="submit"]').click();
      const row = page.locator(`[data-task="${taskId}"]`);
      await row.waitFor();
      expect(await row.locator('.task-ref').textContent()).toBe(`kiosk-${label}`);
      await row.click();
      await page.locator('#alert-reopen').waitFor();
      expect(await fitsWidth(page)).toBe(true);
      if (mobile) expect(await smallTargets(page, '#alert-reopen-form button, .task-row')).toEqual([]);
    });

    await journey.step('reopens it with a reason: a new work order opens with the reason on its card', async () => {
      await page.locator('#alert-reopen-reason').fill('The customer wrote again: still no card back');
      await page.locator('#alert-reopen-form button[type="submit"]').click();
      await page.waitForURL(/#\/inbox$/);
      await page.getByText('Work order reopened: a new one opens for customer-experience.').waitFor();
      await page.locator('#search-clear').click();
      const fresh = page.locator('.task-row', { hasText: `kiosk-${label}` });
      await fresh.first().waitFor({ timeout: 20_000 });
      await fresh.first().click();
      await page.locator('#feedback .reopened', { hasText: 'The customer wrote again: still no card back' }).waitFor();
      expect(await fitsWidth(page)).toBe(true);
    });
    await journey.finish();
  });
});
