/**
 * A low-score alert whose reopen window runs out (ALERT_REOPEN_WINDOW, default 7 days), on the
 * time-skipping test server: the alert closes for good and a late reopen is refused; before
 * that, a work order completed without a root cause comes back. The timer and the missing-root-
 * cause paths of low-score-alert.bpmn, so the suite's diagram coverage (docs/operations.md)
 * reaches them.
 */
import { deployShippedProcesses } from '../../server/complaints/shippedProcesses';
import { eventually } from '../support/stack';
import { startScenarioStack, type ScenarioStack } from '../support/scenarioStack';

const DAY = 24 * 3600_000;
interface Instance { status: string; activeElements: string[] }

describe('a closed low-score alert nobody reopens (time skipping)', () => {
  let stack: ScenarioStack;

  beforeAll(async () => {
    stack = await startScenarioStack({ temporal: 'timeSkipping' });
    await deployShippedProcesses(stack.services.definitions);
  });

  afterAll(async () => {
    await stack?.stop();
  });

  it('reopens a work order closed without a root cause, ends when the reopen window is over, and refuses a later reopen', async () => {
    // given an alert work order closed with its root cause
    const customer = stack.as({ roles: ['customer'], customerId: 'cust-window' });
    const fb = await customer<{ id: string; alert: { instanceId: string } | null }>('POST', '/api/feedback', { touchpoint: 'store-09', score: 2, verbatim: 'Rude' });
    expect(fb.status).toBe(201);
    const instanceId = fb.body.alert!.instanceId;
    const openOrder = async (not?: string) => {
      const page = await eventually<{ items: Array<{ id: string; elementId: string; state: string }> }>(stack, `/api/tasks?instanceId=${instanceId}`,
        (p) => p.items.some((t) => t.elementId === 'AlertWorkOrder' && t.state === 'open' && t.id !== not), 'an open work order');
      return page.items.find((t) => t.elementId === 'AlertWorkOrder' && t.state === 'open' && t.id !== not)!;
    };
    // (completed without a root cause, the work order comes back)
    const first = await openOrder();
    expect((await stack.api('POST', `/api/tasks/${first.id}/complete`, { variables: { rootCause: '', actionTaken: 'none yet' } })).status).toBe(200);
    const task = await openOrder(first.id);
    const done = await stack.api('POST', `/api/tasks/${task.id}/complete`, { variables: { rootCause: 'Staff shortage', actionTaken: 'Rota changed' } });
    expect(done.status).toBe(200);
    await eventually<Instance>(stack, `/api/instances/${instanceId}`, (i) => i.activeElements.includes('AwaitReopen'), 'waiting for a reopen');

    // when the window passes
    await stack.sleep(7 * DAY + 60_000);

    // then the alert process has ended, and a reopen is refused
    const ended = await eventually<Instance>(stack, `/api/instances/${instanceId}`, (i) => i.status === 'completed', 'the alert ended');
    expect(ended.activeElements).toEqual([]);
    const late = await stack.api<{ error: string }>('POST', `/api/feedback/${fb.body.id}/reopen`, { reason: 'too late' });
    expect(late.status).toBe(409);
  });
});
