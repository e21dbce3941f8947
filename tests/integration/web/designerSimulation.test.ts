/**
 * The designer's what-if simulation and coverage overlay in real Chromium against the real
 * server: the commitment process deployed through the API, its recorded history (six
 * instances: the commitment fulfilled in two hours, then stuck at "Mark fulfilled") seeded
 * into FerretDB; a designer shows the coverage on the diagram and simulates the draft next to
 * the deployed version.
 */
import { readFile } from 'node:fs/promises';
import path from 'node:path';
import { trusted } from 'mongoose';
import type { Browser } from 'playwright-core';
import { projectionModels, type ElementEventRecord } from '../../../server/projections/models';
import { launchBrowser, openJourney } from '../../support/browser';
import { startStack, type Stack } from '../../support/stack';

const HOUR = 3_600_000;
let stack: Stack;
let browser: Browser;

beforeAll(async () => {
  [stack, browser] = await Promise.all([startStack({ worker: false }), launchBrowser()]);
  const xml = await readFile(path.resolve(__dirname, '../../../processes/commitment-fulfilment.bpmn'), 'utf8');
  expect((await stack.api('POST', '/api/definitions?resourceName=commitment-fulfilment.bpmn', xml, 'application/xml')).status).toBe(201);
  const { instances, elementEvents } = projectionModels(stack.mongo);
  const events: ElementEventRecord[] = [];
  for (let i = 0; i < 6; i++) {
    const id = `pi-sim-web-${i}`;
    let t = Date.now() - (i + 1) * 5 * HOUR;
    await instances.create({
      _id: id, definitionKey: 'commitment-fulfilment', definitionVersion: 1, businessKey: null, status: 'active', activeElements: ['MarkFulfilled'],
      variables: { ownerDepartment: 'finance', dueAt: '2026-12-31T00:00:00Z' }, incidents: [], timers: [], subscriptionKeys: [], openTaskCount: 0, sequence: 1,
      startedAt: new Date(t), updatedAt: new Date(),
    });
    let index = 0;
    const add = (elementId: string, event: ElementEventRecord['event']) =>
      events.push({ _id: `${id}:${index}`, instanceId: id, index: index++, elementId, elementType: 'x', event, time: new Date(t) });
    add('CommitmentMade', 'activated');
    add('CommitmentMade', 'completed');
    add('FulfilCommitment', 'activated');
    t += 2 * HOUR;
    add('FulfilCommitment', 'completed');
    add('MarkFulfilled', 'activated');
  }
  // complaint-handling: four complaints that each had a department brought in by message (three legal, one warehouse),
  // recorded as the message's department mapped to broughtIn
  const shipped = await readFile(path.resolve(__dirname, '../../../processes/complaint-handling.bpmn'), 'utf8');
  expect((await stack.api('POST', '/api/definitions?resourceName=complaint-handling.bpmn', shipped, 'application/xml')).status).toBe(201);
  for (let i = 0; i < 4; i++) {
    const id = `pi-sim-web-dept-${i}`;
    const t = Date.now() - (i + 1) * 5 * HOUR;
    await instances.create({
      _id: id, definitionKey: 'complaint-handling', definitionVersion: 1, businessKey: null, status: 'active', activeElements: ['BroughtInWork'],
      variables: { complaintId: `c-${i}`, severity: 'high', customerTier: 'standard', broughtIn: i < 3 ? 'legal' : 'warehouse' },
      incidents: [], timers: [], subscriptionKeys: [], openTaskCount: 1, sequence: 1, startedAt: new Date(t), updatedAt: new Date(),
    });
    events.push(
      { _id: `${id}:0`, instanceId: id, index: 0, elementId: 'ComplaintReceived', elementType: 'bpmn:StartEvent', event: 'activated', time: new Date(t) },
      { _id: `${id}:1`, instanceId: id, index: 1, elementId: 'DepartmentRequested', elementType: 'bpmn:StartEvent', event: 'activated', time: new Date(t + HOUR) },
      { _id: `${id}:2`, instanceId: id, index: 2, elementId: 'DepartmentRequested', elementType: 'bpmn:StartEvent', event: 'completed', time: new Date(t + HOUR) },
    );
  }
  await elementEvents.insertMany(events);
});

afterAll(async () => {
  // The seeded complaint-handling history is not a run of the suite: out of the suite's coverage figure (decision 0043).
  if (stack) {
    const { instances, elementEvents } = projectionModels(stack.mongo);
    const seeded = Array.from({ length: 4 }, (_, i) => `pi-sim-web-dept-${i}`);
    await elementEvents.deleteMany({ instanceId: trusted({ $in: seeded }) });
    await instances.deleteMany({ _id: trusted({ $in: seeded }) as never });
  }
  await browser?.close();
  await stack?.stop();
});

describe('designer: simulation and coverage', () => {
  it('shows which elements production took, and simulates the draft next to the deployed version', async () => {
    const user = await stack.createUser({ roles: ['designer'], name: 'Sam Simulator' });
    const session = await stack.login(user.email, user.password);
    const journey = await openJourney(browser, { name: 'designer-simulation', baseUrl: stack.url, viewport: { width: 1440, height: 900 } });
    const { page } = journey;
    await journey.signIn(session.token, session.user);

    await journey.step('opens the commitment process', async () => {
      await page.goto('/#/designer/commitment-fulfilment');
      await page.locator('#designer-title', { hasText: 'version 1' }).waitFor();
      await page.locator('.djs-element[data-element-id="FulfilCommitment"]').waitFor();
    });

    await journey.step('shows the coverage overlay: taken elements green with their counts, the untaken end red', async () => {
      await page.click('#designer-coverage');
      await page.locator('#designer-status', { hasText: 'elements 75 %, flows 66.6 % (6 instance(s))' }).waitFor();
      await page.locator('.djs-element.coverage-taken[data-element-id="FulfilCommitment"]').waitFor();
      await page.locator('.djs-element.coverage-untaken[data-element-id="CommitmentFulfilled"]').waitFor();
      await page.locator('.djs-connection.coverage-untaken[data-element-id="c3"]').waitFor({ state: 'attached' });
      await page.locator('.djs-connection.coverage-taken[data-element-id="c2"]').waitFor({ state: 'attached' });
      expect(await page.locator('[data-coverage-for="FulfilCommitment"]').textContent()).toBe('6');
      expect(await page.locator('[data-coverage-for="CommitmentFulfilled"]').textContent()).toBe('0');
    });

    await journey.step('hides the overlay again', async () => {
      await page.click('#designer-coverage');
      await page.locator('.coverage-untaken').first().waitFor({ state: 'detached' });
      expect(await page.locator('[data-coverage-for]').count()).toBe(0);
    });

    await journey.step('simulates 200 complaints: the draft and version 1 side by side', async () => {
      await page.click('#designer-simulate');
      await page.fill('#sim-count', '200');
      await page.fill('#sim-seed', '5');
      await page.click('#sim-run');
      await page.locator('#sim-results').waitFor();
      await page.locator('#sim-status', { hasText: 'History: 6 instance(s) of version 1' }).waitFor();
      const row = page.locator('#sim-elements tr[data-element="FulfilCommitment"]');
      expect(await row.locator('td.draft').textContent()).toBe('2.0 h · 0.0 %');
      expect(await row.locator('td.current').textContent()).toBe('2.0 h · 0.0 %');
      expect(await page.locator('#sim-overall th', { hasText: 'Version 1' }).count()).toBe(1);
      const finance = page.locator('#sim-departments tr', { hasText: 'finance' });
      expect(await finance.locator('td.draft').textContent()).toBe('200 / 400');
      expect(await finance.locator('td.current').textContent()).toBe('200 / 400');
    });
    await journey.finish();
  });

  it('simulates a department brought in by message with the departments the recorded messages named', async () => {
    const user = await stack.createUser({ roles: ['designer'], name: 'Dee Departments' });
    const session = await stack.login(user.email, user.password);
    const journey = await openJourney(browser, { name: 'designer-simulation-messages', baseUrl: stack.url, viewport: { width: 1440, height: 900 } });
    const { page } = journey;
    await journey.signIn(session.token, session.user);
    await journey.step('simulates the complaint process: the brought-in tasks go to legal and warehouse, not to no group', async () => {
      await page.goto('/#/designer/complaint-handling');
      await page.locator('.djs-element[data-element-id="DepartmentRequested"]').waitFor();
      await page.click('#designer-simulate');
      await page.fill('#sim-count', '40');
      await page.fill('#sim-seed', '3');
      await page.click('#sim-run');
      await page.locator('#sim-status', { hasText: 'History: 4 instance(s) of version 1' }).waitFor();
      await page.locator('#sim-departments tr', { hasText: 'legal' }).waitFor();
      await page.locator('#sim-departments tr', { hasText: 'warehouse' }).waitFor();
      expect(await page.locator('#sim-departments tr', { hasText: 'simulated-department' }).count()).toBe(0);
      expect(await page.locator('#sim-departments tr', { hasText: '(no group)' }).count()).toBe(0);
    });
    await journey.finish();
  });
});
