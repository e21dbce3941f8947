/**
 * Low survey score → alert work order, with the service's default settings (no
 * TOUCHPOINT_OWNERS): the work order goes to the default customer-experience group, shows the
 * score, the low answers, the customer's words and the touchpoint, closes with a root cause
 * through its shipped form, and can be transferred and reopened. Real Temporal, FerretDB, HTTP.
 */
import fs from 'node:fs';
import path from 'node:path';
import { LOW_SCORE_MESSAGE, LOW_SCORE_PROCESS, startByMessage } from '../../server/complaints/feedback';
import { deployShippedProcesses } from '../../server/complaints/shippedProcesses';
import { DEFAULT_COMPLAINTS_SETTINGS } from '../../server/complaints/wiring';
import type { Api } from '../support/auth';
import { eventually, startStack, type Stack } from '../support/stack';

interface AlertTask {
  id: string; elementId: string; state: string; assignee: string | null; candidateGroups: string[]; businessKey: string | null;
  feedback?: { id: string; touchpoint: string; score: number; verbatim: string; lowAnswers: Array<{ question: string; score: number }>; ownerGroup: string; reopens: Array<{ reason: string }> };
}
interface Instance { status: string; activeElements: string[]; variables: Record<string, unknown>; incidents: unknown[]; tasks: Array<{ key: string; state: string }> }

describe('low-score alert work orders with default settings', () => {
  let stack: Stack;
  let cx: Api;
  let cxStaffId: string;
  let oldInstance: string;
  let customer: Api;

  beforeAll(async () => {
    // the complaints settings are the defaults: no touchpoint has an owner
    stack = await startStack();
    // the version shipped before (work order assigned to =touchpointOwner), with one instance running on it
    await stack.services.definitions.deploy({ bytes: fs.readFileSync(path.join(__dirname, 'fixtures/low-score-alert-v1.bpmn')), resourceName: 'low-score-alert.bpmn' });
    oldInstance = (await startByMessage(stack.services, LOW_SCORE_PROCESS, LOW_SCORE_MESSAGE, {
      feedbackId: 'fb-00000000-0000-4000-8000-000000000001', touchpoint: 'store-42', touchpointOwner: 'manager-42', score: 3, verbatim: 'old', rootCause: null,
    })).instanceId;
    await deployShippedProcesses(stack.services.definitions);
    const user = await stack.createUser({ roles: ['agent'], groups: ['customer-experience'], staffId: 'cx-1' });
    cxStaffId = user.staffId ?? 'cx-1';
    cx = (await stack.login(user.email, user.password)).api;
    // customers give feedback as themselves
    customer = stack.as({ roles: ['customer'], customerId: 'cust-alert' });
  });

  afterAll(async () => {
    await stack?.stop();
  });

  /** The open alert task of this feedback in `who`'s inbox, once it is there. */
  const inboxTask = async (who: Api, feedbackId: string, what = 'the alert work order in the inbox') => {
    let found: AlertTask | undefined;
    for (let i = 0; i < 200 && !found; i += 1) {
      const page = await who<{ items: AlertTask[] }>('GET', '/api/tasks?state=open,claimed&pageSize=200');
      found = page.body.items.find((t) => t.businessKey === feedbackId && t.elementId === 'AlertWorkOrder');
      if (!found) await new Promise((r) => setTimeout(r, 100));
    }
    if (!found) throw new Error(`no ${what} for ${feedbackId}`);
    return found;
  };

  const submit = async (body: Record<string, unknown>) => {
    const res = await customer<{ id: string; alert: { instanceId: string; ownerGroup: string } | null }>('POST', '/api/feedback', body);
    expect(res.status).toBe(201);
    return res.body;
  };

  it('opens an alert work order for the default customer-experience group, never an incident', async () => {
    expect(DEFAULT_COMPLAINTS_SETTINGS.touchpointOwners).toEqual({});
    // when a customer scores a touchpoint nobody owns 2 of 10, with a survey of three questions
    const fb = await submit({
      touchpoint: 'store-07', score: 2, verbatim: 'Waited forty minutes and nobody said sorry',
      answers: [{ question: 'Waiting time', score: 1 }, { question: 'Friendliness', score: 4 }, { question: 'Cleanliness', score: 9 }],
    });

    // then the alert went to the default group
    expect(fb.alert?.ownerGroup).toBe('customer-experience');
    // and the customer-experience agent sees it with the score, the low answers, the words and the touchpoint
    const task = await inboxTask(cx, fb.id);
    expect(task.candidateGroups).toEqual(['customer-experience']);
    expect(task.feedback).toMatchObject({
      id: fb.id, touchpoint: 'store-07', score: 2, verbatim: 'Waited forty minutes and nobody said sorry', ownerGroup: 'customer-experience',
      lowAnswers: [{ question: 'Waiting time', score: 1 }, { question: 'Friendliness', score: 4 }],
    });
    // and the instance runs without incident, the customer's words out of its variables
    const instance = await stack.api<Instance>('GET', `/api/instances/${fb.alert!.instanceId}`);
    expect(instance.body.incidents).toEqual([]);
    expect(instance.body.status).toBe('active');
    expect(JSON.stringify(instance.body.variables)).not.toContain('forty minutes');
    // and with no contacts configured the notification branch sends nothing and ends quietly
    const notified = await eventually<Instance>(stack, `/api/instances/${fb.alert!.instanceId}`, (i) => i.variables.ownerNotice !== undefined, 'the owner notice');
    expect(notified.variables.ownerNotice).toEqual({ sms: { sent: 0, failed: 0 }, email: { sent: 0, failed: 0 } });
    expect(notified.incidents).toEqual([]);
  });

  it('deploys the changed diagram as a new version; the running instance stays on its own', async () => {
    const fb = await submit({ touchpoint: 'store-42', score: 4, verbatim: 'Slow' });
    const fresh = await stack.api<{ definition: { version: number } }>('GET', `/api/instances/${fb.alert!.instanceId}`);
    expect(fresh.body.definition.version).toBe(2);
    const old = await eventually<Instance & { definition: { version: number } }>(stack, `/api/instances/${oldInstance}`, (i) => i.tasks.length > 0, 'old work order');
    expect(old.definition.version).toBe(1);
    expect(old.tasks[0]).toMatchObject({ assignee: 'manager-42', candidateGroups: ['customer-experience'] });
    expect(old.incidents).toEqual([]);
  });

  it('closes with the root cause through the shipped form, and a reopen opens a new work order', async () => {
    const fb = await submit({ touchpoint: 'hotline', score: 3, verbatim: 'Hung up on me' });
    const task = await inboxTask(cx, fb.id);

    // the form of the work order asks for what the process needs to close it
    const form = await cx<{ schema: { components: Array<{ key?: string; validate?: { required?: boolean } }> } }>('GET', `/api/tasks/${task.id}/form`);
    expect(form.status).toBe(200);
    const fields = form.body.schema.components.filter((c) => c.key);
    expect(fields.map((c) => c.key)).toEqual(['rootCause', 'actionTaken']);
    expect(fields[0]!.validate?.required).toBe(true);

    // reopening an open work order is refused and changes nothing
    const early = await cx<{ error: string }>('POST', `/api/feedback/${fb.id}/reopen`, { reason: 'too soon' });
    expect(early.status).toBe(409);
    expect(early.body.error).toBe('alert_not_closed');

    // when the agent claims it and completes it with the form's fields
    expect((await cx('POST', `/api/tasks/${task.id}/claim`, { assignee: cxStaffId })).status).toBe(204);
    await eventually<{ items: AlertTask[] }>(stack, `/api/tasks?instanceId=${fb.alert!.instanceId}`, (p) => p.items.some((t) => t.id === task.id && t.state === 'claimed'), 'claimed');
    const done = await cx('POST', `/api/tasks/${task.id}/complete`, { variables: { rootCause: 'Queue overflow at lunch time', actionTaken: 'Second agent at noon' } });
    expect(done.status).toBe(200);

    // then the work order is closed and no new one opens: the instance waits only for a reopen
    const closed = await eventually<Instance>(stack, `/api/instances/${fb.alert!.instanceId}`,
      (i) => i.activeElements.includes('AwaitReopen') || i.activeElements.includes('AlertReopened'), 'waiting for a reopen');
    expect(closed.activeElements).not.toContain('AlertWorkOrder');
    expect(closed.variables).toMatchObject({ rootCause: 'Queue overflow at lunch time' });
    expect(closed.tasks.filter((t) => t.state === 'open' || t.state === 'claimed')).toEqual([]);

    // when a supervisor reopens it
    let reopened = await stack.api<{ reopened: boolean }>('POST', `/api/feedback/${fb.id}/reopen`, { reason: 'Root cause does not explain the hang-up' });
    for (let i = 0; reopened.status === 409 && i < 50; i += 1) {
      // the subscription is projected a moment after the completion
      await new Promise((r) => setTimeout(r, 100));
      reopened = await stack.api<{ reopened: boolean }>('POST', `/api/feedback/${fb.id}/reopen`, { reason: 'Root cause does not explain the hang-up' });
    }
    expect(reopened.status).toBe(202);

    // then a new work order for the same group shows the reopen reason
    const again = await inboxTask(cx, fb.id, 'the reopened work order');
    expect(again.id).not.toBe(task.id);
    expect(again.candidateGroups).toEqual(['customer-experience']);
    expect(again.feedback?.reopens.map((r) => r.reason)).toEqual(['Root cause does not explain the hang-up']);
    const instance = await stack.api<Instance>('GET', `/api/instances/${fb.alert!.instanceId}`);
    expect(instance.body.variables.rootCause).toBeNull();
  });

  it('transfers a work order to another group', async () => {
    const fb = await submit({ touchpoint: 'store-11', score: 1, verbatim: 'Broken on arrival' });
    const task = await inboxTask(cx, fb.id);
    const other = await stack.createUser({ roles: ['agent'], groups: ['logistics'] });
    const logistics = (await stack.login(other.email, other.password)).api;

    // when the CX agent hands it to logistics with a reason
    expect((await cx('POST', `/api/tasks/${task.id}/transfer`, { toGroup: 'logistics', reason: 'Damaged in delivery' })).status).toBe(204);

    // then logistics has it (still showing the feedback) and CX no longer does
    const moved = await inboxTask(logistics, fb.id, 'the transferred work order');
    expect(moved.candidateGroups).toEqual(['logistics']);
    expect(moved.feedback?.score).toBe(1);
    let stillThere = true;
    for (let i = 0; i < 100 && stillThere; i += 1) {
      const page = await cx<{ items: AlertTask[] }>('GET', '/api/tasks?state=open,claimed&pageSize=200');
      stillThere = page.body.items.some((t) => t.id === task.id);
      if (stillThere) await new Promise((r) => setTimeout(r, 100));
    }
    expect(stillThere).toBe(false);
  });

  it('refuses bad feedback and bad reopens with field paths, and stores nothing', async () => {
    const before = await stack.mongo.collection('feedback').countDocuments();
    const bad = await customer<{ fields: Array<{ path: string }> }>('POST', '/api/feedback', {
      touchpoint: 'store 1', score: 11, verbatim: 'x', answers: [{ question: 'Waiting time', score: -1 }],
    });
    expect(bad.status).toBe(400);
    expect(bad.body.fields.map((f) => f.path).sort()).toEqual(['answers.0.score', 'score', 'touchpoint']);
    expect(await stack.mongo.collection('feedback').countDocuments()).toBe(before);

    const badId = await stack.api<{ fields: Array<{ path: string }> }>('POST', '/api/feedback/not-an-id/reopen', { reason: 'x' });
    expect(badId.status).toBe(400);
    expect(badId.body.fields.map((f) => f.path)).toEqual(['id']);
    const unknown = await stack.api<{ error: string }>('POST', '/api/feedback/fb-00000000-0000-4000-8000-000000000000/reopen', { reason: 'x' });
    expect(unknown.status).toBe(404);
    const high = await submit({ touchpoint: 'store-07', score: 9, verbatim: 'Great' });
    expect(high.alert).toBeNull();
    const noAlert = await stack.api<{ error: string }>('POST', `/api/feedback/${high.id}/reopen`, { reason: 'x' });
    expect(noAlert.status).toBe(409);
    expect(noAlert.body.error).toBe('no_alert');
  });
});
