/**
 * The visit, as engineer and customer live it (issue 14 item 4), in real Chromium against the
 * real server, Temporal and FerretDB, on a desktop and at 375 px: the engineer proposes a time
 * beside their task, the customer asks for another, the engineer proposes that one at the
 * outlet, the customer accepts, and the engineer records the visit.
 */
import type { Browser } from 'playwright-core';
import { deployShippedProcesses } from '../../../server/complaints/shippedProcesses';
import { launchBrowser, openJourney, type Journey } from '../../support/browser';
import { eventually, startStack, type Stack } from '../../support/stack';
import { complete, intake, openTask } from '../complaintSupport';
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

describe.each([
  ['desktop', { width: 1280, height: 800 }, false],
  ['phone', PHONE, true],
] as const)('the visit on a %s', (label, viewport, mobile) => {
  it('is proposed, moved at the customer\'s request, accepted and recorded', async () => {
    // given a complaint dispatched to this engineer, whose first response is open
    const staffId = `S-visit-${label}`;
    const engineerUser = await stack.createUser({ roles: ['engineer'], groups: ['after-sales'], staffId, name: `Vic ${label}` });
    const customerUser = await stack.createUser({ roles: ['customer'], customerId: `cust-visit-${label}`, name: `Cora ${label}` });
    const id = (await stack.api<{ id: string }>('POST', '/api/complaints', intake(`cust-visit-${label}`))).body.id;
    await complete(stack, stack.api, id, 'Dispatch', { assignee: staffId });
    const task = await openTask(stack, id, 'FirstResponse');

    const open = async (name: string, user: typeof engineerUser) => {
      const session = await stack.login(user.email, user.password);
      const journey = await openJourney(browser, { name: `visit-${label}-${name}`, baseUrl: stack.url, viewport, mobile });
      await journey.signIn(session.token, session.user);
      return journey;
    };
    const engineer: Journey = await open('engineer', engineerUser);
    const customer: Journey = await open('customer', customerUser);

    await engineer.step('proposes a visit at the customer\'s beside the task', async () => {
      await engineer.page.goto(`/#/inbox/${task.id}`);
      await engineer.page.locator('#visit-form').waitFor();
      await engineer.page.locator('#visit-at').fill('2030-01-07T10:00');
      await engineer.page.locator('#visit-place').selectOption('on-site');
      if (mobile) expect(await smallTargets(engineer.page, '#visit-form button, #visit-at, #visit-place')).toEqual([]);
      await engineer.page.locator('#visit-form button[type="submit"]').click();
      await engineer.page.locator('#visit-state', { hasText: 'proposed' }).waitFor();
      expect(await fitsWidth(engineer.page)).toBe(true);
    });

    await customer.step('sees the proposal and asks for another time', async () => {
      await customer.page.goto(`/#/complaints/${id}`);
      await customer.page.locator('#visit-proposal').waitFor();
      expect(await customer.page.locator('#visit-proposal').textContent()).toContain('at your place');
      await customer.page.locator('#visit summary').click();
      await customer.page.locator('#visit-preferred').fill('2030-01-08T17:30');
      await customer.page.locator('#visit-note').fill('Only after work');
      if (mobile) expect(await smallTargets(customer.page, '#visit-accept, #visit summary, #visit-other')).toEqual([]);
      await customer.page.locator('#visit-other').click();
      await customer.page.locator('#visit-declined').waitFor();
      expect(await fitsWidth(customer.page)).toBe(true);
    });

    await engineer.step('sees the time the customer prefers and proposes it at the outlet', async () => {
      await engineer.page.reload();
      await engineer.page.locator('#visit-state', { hasText: 'another time asked' }).waitFor();
      expect(await engineer.page.locator('#visit-state').textContent()).toContain('Only after work');
      // the form suggests the customer's time
      expect(await engineer.page.locator('#visit-at').inputValue()).toBe('2030-01-08T17:30');
      await engineer.page.locator('#visit-place').selectOption('outlet');
      await engineer.page.locator('#visit-form button[type="submit"]').click();
      await engineer.page.locator('#visit-state', { hasText: 'proposed' }).waitFor();
    });

    await customer.step('accepts the new time', async () => {
      await customer.page.reload();
      await customer.page.locator('#visit-proposal', { hasText: 'at our outlet' }).waitFor();
      await customer.page.locator('#visit-accept').click();
      await customer.page.locator('#visit-accepted').waitFor();
    });

    await engineer.step('records the visit at the outlet', async () => {
      await engineer.page.reload();
      await engineer.page.locator('#visit-record').click();
      await engineer.page.locator('#visit-state', { hasText: 'visited' }).waitFor();
      expect(await engineer.page.locator('#visit-form').count()).toBe(0);
    });

    await customer.step('sees that the visit took place', async () => {
      await customer.page.reload();
      await customer.page.locator('#visit-done').waitFor();
      expect(await customer.page.locator('#visit-done').textContent()).toContain('at our outlet');
    });
    await engineer.finish();
    await customer.finish();

    const detail = await eventually<{ appointment: { state: string; place: string; at: string } }>(stack, `/api/complaints/${id}`, (c) => c.appointment?.state === 'visited', 'visited');
    expect(detail.appointment.place).toBe('outlet');
  });
});
