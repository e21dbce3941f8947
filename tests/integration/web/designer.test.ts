/**
 * The designer journey in real Chromium against the real server: a designer opens the shipped
 * complaint process, adds a service task from a catalog template (the chooser), deploys a
 * broken version and sees the server's error on the right element, fixes it and deploys a new
 * version; compares the two versions; edits a user-task form; and sees the designer in Chinese.
 */
import { readFile } from 'node:fs/promises';
import path from 'node:path';
import type { Browser, Page } from 'playwright-core';
import { launchBrowser, openJourney } from '../../support/browser';
import { startStack, type Stack } from '../../support/stack';

let stack: Stack;
let browser: Browser;

beforeAll(async () => {
  [stack, browser] = await Promise.all([startStack({ worker: false }), launchBrowser()]);
  // The server deploys its shipped processes at start; the test stack does it through the API.
  const xml = await readFile(path.resolve(__dirname, '../../../processes/complaint-handling.bpmn'), 'utf8');
  const deployed = await stack.api('POST', '/api/definitions?resourceName=complaint-handling.bpmn', xml, 'application/xml');
  expect(deployed.status).toBe(201);
});

afterAll(async () => {
  await browser?.close();
  await stack?.stop();
});

/** Creates an element from the palette at a point of the canvas (fractions of its size), names it; returns its id. */
async function createFromPalette(page: Page, entry: string, at: { x: number; y: number }, name: string): Promise<string> {
  const box = await page.locator('#designer-canvas').boundingBox();
  if (!box) throw new Error('no canvas');
  await page.click(`.djs-palette .entry.${entry}`);
  const x = box.x + box.width * at.x;
  const y = box.y + box.height * at.y;
  await page.mouse.move(x - 20, y - 20);
  await page.mouse.move(x, y, { steps: 4 });
  await page.mouse.click(x, y);
  const id = await page.locator('.djs-element.selected').first().getAttribute('data-element-id');
  if (!id) throw new Error('nothing selected after creating');
  // bpmn-js opens the label editor on a new task: type its name, Enter completes it
  await page.locator('.djs-direct-editing-parent').waitFor();
  await page.keyboard.type(name);
  await page.keyboard.press('Enter');
  await page.locator('.djs-direct-editing-parent').waitFor({ state: 'hidden' });
  return id;
}

async function chooseTemplate(page: Page, name: string): Promise<void> {
  await page.locator('#designer-properties .bio-properties-panel-select-template-button').click();
  // the chooser: bpmn-js's popup menu with a search over the templates
  const chooser = page.locator('.djs-popup');
  await chooser.locator('.djs-popup-search input').fill(name);
  await chooser.locator('.entry', { hasText: name }).first().click();
  await chooser.waitFor({ state: 'detached' });
}

describe('designer journey', () => {
  it('opens the complaint process, adds a templated task, sees a refused deploy on the element, fixes it and deploys', async () => {
    const user = await stack.createUser({ roles: ['designer'], name: 'Dana Designer' });
    const session = await stack.login(user.email, user.password);
    const journey = await openJourney(browser, { name: 'designer', baseUrl: stack.url, viewport: { width: 1440, height: 900 } });
    const { page } = journey;
    await journey.signIn(session.token, session.user);

    await journey.step('opens the shipped complaint process', async () => {
      await page.goto('/#/designer/complaint-handling');
      await page.locator('#designer-title', { hasText: 'version 1' }).waitFor();
      await page.locator('.djs-element[data-element-id]').first().waitFor();
      await page.locator('#version-list li[data-version="1"]').waitFor();
      // our lint rules run in the editor: the toggle shows the count
      await page.locator('.bjsl-button').waitFor();
    });

    let templated = '';
    await journey.step('adds a task and makes it "Send e-mail" with the template chooser', async () => {
      templated = await createFromPalette(page, 'bpmn-icon-task', { x: 0.3, y: 0.75 }, 'Tell the customer');
      await chooseTemplate(page, 'Send e-mail');
      await page.locator('#designer-properties').getByText('Send e-mail').first().waitFor();
      // typed fields of the template, in the library's Input group
      await page.locator('#designer-properties .bio-properties-panel-group-header', { hasText: 'Input' }).first().click();
      const panel = page.locator('#designer-properties');
      await panel.getByLabel('To', { exact: true }).fill('=customerEmail');
      await panel.getByLabel('Subject', { exact: true }).fill('Your complaint');
      await panel.getByLabel('Text', { exact: true }).fill('We are on it.');
      expect(await page.locator(`g[data-element-id="${templated}"]`).count()).toBe(1);
    });

    let broken = '';
    await journey.step('adds a service task without a task type and deploys: refused', async () => {
      broken = await createFromPalette(page, 'bpmn-icon-task', { x: 0.6, y: 0.75 }, 'Tell the outlet');
      await page.locator('.djs-context-pad .entry[data-action="replace"]').click();
      await page.locator('.djs-popup [data-id="replace-with-service-task"]').click();
      await page.locator(`g[data-element-id="${broken}"]`).waitFor();
      journey.expectHttpError('/api/definitions', 422);
      await page.click('#designer-deploy');
      await page.locator('#designer-status.error').waitFor();
    });

    await journey.step('sees the error overlay and marker on that element', async () => {
      const current = (await page.locator('.djs-element.server-problem-error').first().getAttribute('data-element-id')) ?? '';
      await page.locator(`.djs-overlays[data-container-id="${current}"] .djs-overlay .server-problem.error`).waitFor();
      const marked = await page.locator('.djs-element.server-problem-error').evaluateAll((els) => els.map((e) => e.getAttribute('data-element-id')));
      expect(marked).toContain(broken);
      await page.locator(`#designer-problems button[data-element="${broken}"]`).first().click();
      expect(await page.locator('.djs-element.selected').first().getAttribute('data-element-id')).toBe(broken);
    });

    await journey.step('fixes it with a template and proposes version 2 (a shipped process: four-eyes)', async () => {
      await chooseTemplate(page, 'Call a webhook');
      await page.locator('#designer-properties').getByLabel('Text', { exact: true }).fill('A complaint for your outlet');
      await page.click('#designer-deploy');
      await page.locator('#designer-status.ok', { hasText: 'another designer or admin must approve it' }).waitFor();
      expect(await page.locator('.server-problem').count()).toBe(0);
    });

    await journey.step('a second designer approves it: version 2 is deployed', async () => {
      const pending = await stack.api<{ items: Array<{ id: string; status: string }> }>('GET', '/api/definition-proposals');
      const proposal = pending.body.items.find((p) => p.status === 'pending')!;
      expect((await stack.as({ roles: ['designer'] })('POST', `/api/definition-proposals/${proposal.id}/approve`)).status).toBe(201);
      await page.reload();
      await page.locator('#version-list li[data-version="2"]').waitFor();
    });

    await journey.step('compares version 1 with version 2', async () => {
      await page.locator('#version-list li[data-version="1"] input[type=checkbox]').check();
      await page.locator('#version-list li[data-version="2"] input[type=checkbox]').check();
      await page.click('#compare-versions');
      await page.locator(`#diff-changes li.diff-added[data-change="${templated}"]`).waitFor();
      await page.locator(`#diff-new g.diff-added[data-element-id="${broken}"]`).waitFor();
      // only what really changed: no gateway listed as moved because the modeler rewrote its DI
      expect(await page.locator('#diff-changes li.diff-layout').count()).toBe(0);
    });

    await journey.step('closes the comparison', async () => {
      await page.click('#diff-close');
      await page.locator('#diff-dialog').waitFor({ state: 'detached' });
    });

    await journey.step('opens deployed version 1 from the list', async () => {
      await page.locator('#version-list li[data-version="1"] button', { hasText: 'Open' }).click();
      await page.locator('#designer-title', { hasText: 'complaint-handling · version 1' }).waitFor();
      await page.locator('#version-list li.active[data-version="1"]').waitFor();
      expect(await page.locator(`g[data-element-id="${templated}"]`).count()).toBe(0);
    });

    let userTask = '';
    await journey.step('designs the form of a new user task with form-js', async () => {
      userTask = await createFromPalette(page, 'bpmn-icon-task', { x: 0.45, y: 0.9 }, 'Call the customer');
      await page.locator('.djs-context-pad .entry[data-action="replace"]').click();
      await page.locator('.djs-popup [data-id="replace-with-user-task"]').click();
      await page.locator('#designer-edit-form:not([disabled])').click();
      const dialog = page.locator('#form-dialog');
      await dialog.locator('.fjs-editor-container').waitFor();
      await dialog.locator('.fjs-palette-field[data-field-type="textfield"]').dragTo(dialog.locator('.fjs-form'));
      await dialog.locator('.fjs-form-field-textfield').first().waitFor();
    });

    await journey.step('saves the form into the diagram the Camunda 8 way', async () => {
      await page.click('#form-save');
      await page.locator('#form-dialog').waitFor({ state: 'detached' });
      const [download] = await Promise.all([page.waitForEvent('download'), page.click('#designer-save')]);
      const xml = await readFile(await download.path(), 'utf8');
      expect(download.suggestedFilename()).toBe('complaint-handling.bpmn');
      const formId = `UserTaskForm_${userTask}`;
      expect(xml).toContain(`<zeebe:formDefinition formKey="camunda-forms:bpmn:${formId}" />`);
      const body = new RegExp(`<zeebe:userTaskForm id="${formId}">([^<]*)</zeebe:userTaskForm>`).exec(xml)?.[1] ?? '';
      const form = JSON.parse(body.replace(/&quot;/g, '"').replace(/&lt;/g, '<').replace(/&gt;/g, '>').replace(/&amp;/g, '&')) as { components: Array<{ type: string }> };
      expect(form.components.map((c) => c.type)).toContain('textfield');
      // the server takes it as a proposal; a second designer approves it: version 3 with the form
      await page.click('#designer-deploy');
      await page.locator('#designer-status.ok', { hasText: 'another designer or admin must approve it' }).waitFor();
      const pending = await stack.api<{ items: Array<{ id: string; status: string }> }>('GET', '/api/definition-proposals');
      const proposal = pending.body.items.find((p) => p.status === 'pending')!;
      expect((await stack.as({ roles: ['designer'] })('POST', `/api/definition-proposals/${proposal.id}/approve`)).status).toBe(201);
      // a fresh load: the page keeps an undeployed draft across in-app navigation
      await page.goto('/#/designer/complaint-handling');
      await page.reload();
      await page.locator('#designer-title', { hasText: 'version 3' }).waitFor();
    });

    await journey.step('shows the designer chrome in Chinese', async () => {
      await page.selectOption('#language', 'zh-CN');
      await page.locator('#designer-deploy', { hasText: '部署' }).waitFor();
      expect(await page.locator('.djs-palette .entry[data-action="create.task"]').getAttribute('aria-label')).toBe('创建任务');
      await page.locator('#designer-properties').getByText('常规').waitFor();
      await page.locator('#designer-title', { hasText: '版本 3' }).waitFor();
    });

    await journey.finish();
  });

  it('opens a .bpmn file from disk as a new, undeployed diagram', async () => {
    const user = await stack.createUser({ roles: ['designer'] });
    const session = await stack.login(user.email, user.password);
    const journey = await openJourney(browser, { name: 'designer-open-file', baseUrl: stack.url });
    const { page } = journey;
    await journey.signIn(session.token, session.user);
    await journey.step('opens the designer and reads a file', async () => {
      await page.goto('/#/designer');
      await page.locator('.djs-palette').waitFor();
      await page.setInputFiles('#designer-file', path.resolve(__dirname, '../../../processes/low-score-alert.bpmn'));
      await page.locator('#designer-title', { hasText: 'low-score-alert · Not deployed yet' }).waitFor();
      await page.locator('.djs-element[data-element-id]').nth(3).waitFor();
    });
    await journey.finish();
  });

  it('works on a phone: the canvas first, nothing wider than the screen', async () => {
    const user = await stack.createUser({ roles: ['designer'] });
    const session = await stack.login(user.email, user.password);
    const journey = await openJourney(browser, { name: 'designer-phone', baseUrl: stack.url, viewport: { width: 375, height: 812 }, mobile: true });
    const { page } = journey;
    await journey.signIn(session.token, session.user);
    await journey.step('opens the complaint process on a phone', async () => {
      await page.goto('/#/designer/complaint-handling');
      await page.locator('#designer-title', { hasText: 'complaint-handling' }).waitFor();
      await page.locator('.djs-element[data-element-id]').first().waitFor();
      const canvas = await page.locator('#designer-canvas').boundingBox();
      expect(canvas?.width).toBeGreaterThan(300);
      expect(canvas?.height).toBeGreaterThan(300);
      // nothing wider than the screen
      expect(await page.evaluate(() => document.documentElement.scrollWidth)).toBeLessThanOrEqual(375);
    });
    await journey.finish();
  });
});
