/**
 * The evaluator's scenario table, end to end on Temporal through the HTTP API: deploy the
 * fixture, start an instance, drive it with the same stimuli (messages via POST /api/messages,
 * user tasks via /api/tasks, timers by moving the time-skipping server's clock, incidents via
 * PUT variables + resolve), then check the outcome through GET /api/instances/{id} and its
 * history. Expectations use the table's shape (tests/unit/evaluator/script.ts `Expectation`)
 * and copy its outcomes; each scenario names the table row it replays.
 *
 * Not here, because they cannot run end to end: every fixture whose scenario needs a job to
 * stay open, fail, or throw a BPMN error (the catalog only has `variables.set` and
 * `http.request`, which complete at once here), call-activity (needs the child deployed and
 * childFail control), message-start (the start API has no start event id), and link-send /
 * terminate / escalation / subprocess-error (no timer, message or user task worth the trip).
 */
import type { Expectation } from '../unit/evaluator/script';
import { eventually } from '../support/stack';
import { deployableFixture } from '../support/scenarioFixtures';
import { startScenarioStack, type ScenarioStack } from '../support/scenarioStack';

const HOUR = 3_600_000;

type Step =
  | { message: string; key: string; vars?: Record<string, unknown>; rejected?: true }
  | { userTask: string; vars?: Record<string, unknown> }
  | { sleep: number }
  | { set: Record<string, unknown> }
  | { resolve: string }
  | { until: (i: Instance, h: HistoryEvent[]) => boolean; what: string };

interface Run {
  /** The table row this replays (tests/unit/evaluator/scenarios.test.ts). */
  name: string;
  fixture: string;
  asUserTasks?: string[];
  variables?: Record<string, unknown>;
  temporal: 'dev' | 'timeSkipping';
  script: Step[];
  expect: Pick<Expectation, 'status' | 'variables' | 'absentVariables' | 'completed' | 'completedTimes' | 'notCompleted' | 'terminated'> & {
    /** Element ids in the order they were activated: the whole history. */
    activated?: string[];
  };
}

interface Instance {
  status: string;
  activeElements: string[];
  variables: Record<string, unknown>;
  incidents: Array<{ id: string; elementId: string; type: string }>;
  timers: Array<{ elementId: string }>;
}
interface HistoryEvent { elementId: string; event: 'activated' | 'completed' | 'terminated' }

const ids = (h: HistoryEvent[], event: HistoryEvent['event']) => h.filter((e) => e.event === event).map((e) => e.elementId);
const times = (h: HistoryEvent[], event: HistoryEvent['event'], id: string) => ids(h, event).filter((x) => x === id).length;
/** The API does not list subscriptions; an active catch element is what waits for a message. */
const waitsAt = (elementId: string) => (i: Instance) => i.activeElements.includes(elementId);

const runs: Run[] = [
  // ---- event-based gateway ------------------------------------------------------------
  {
    name: 'event-based gateway: the message wins and the timer is cancelled',
    fixture: 'event-gateway',
    temporal: 'timeSkipping',
    variables: { caseId: 'C-1' },
    script: [
      { until: (i) => waitsAt('race')(i) && i.timers.some((t) => t.elementId === 'timeout'), what: 'message and timer armed' },
      { message: 'customer-reply', key: 'C-2', rejected: true },
      { message: 'customer-reply', key: 'C-1', vars: { text: 'thanks' } },
    ],
    expect: {
      status: 'completed',
      completed: ['race', 'reply', 'replied', 'endReplied'],
      notCompleted: ['timeout', 'remind'],
      variables: { text: 'thanks' },
      activated: ['event-gateway', 'start', 'race', 'reply', 'replied', 'endReplied'],
    },
  },
  {
    name: 'event-based gateway: the timer wins and the subscription is closed',
    fixture: 'event-gateway',
    temporal: 'timeSkipping',
    variables: { caseId: 'C-1' },
    script: [
      { until: waitsAt('race'), what: 'gateway waiting' },
      { sleep: 47 * HOUR },
      { until: (i) => i.status === 'active' && i.activeElements.includes('race'), what: 'still racing after 47h' },
      { sleep: 1 * HOUR },
      { until: (i) => i.status === 'completed', what: 'completed after the timeout' },
      { message: 'customer-reply', key: 'C-1', rejected: true },
    ],
    expect: {
      status: 'completed',
      completed: ['race', 'timeout', 'remind', 'endTimeout'],
      notCompleted: ['reply'],
    },
  },
  // ---- timers -------------------------------------------------------------------------
  {
    name: 'intermediate timers: duration, date with offset, FEEL duration',
    fixture: 'timers',
    temporal: 'timeSkipping',
    variables: { delay: 'PT30M' },
    script: [
      { until: (i) => i.activeElements.includes('waitDuration'), what: 'first timer' },
      { sleep: 2 * HOUR },
      // waitDate is a fixed date in 2025: already past on this clock, so it fires at once.
      { until: (i) => i.activeElements.includes('waitExpr'), what: 'FEEL timer' },
      { sleep: 30 * 60_000 },
    ],
    expect: {
      status: 'completed',
      completed: ['waitDuration', 'waitDate', 'waitExpr', 'end'],
      activated: ['timers', 'start', 'waitDuration', 'waitDate', 'waitExpr', 'end'],
    },
  },
  {
    name: 'a timer expression of the wrong type is an incident until fixed',
    fixture: 'timers',
    temporal: 'timeSkipping',
    variables: { delay: 5 },
    script: [
      { sleep: 2 * HOUR },
      { until: (i) => i.incidents.some((x) => x.type === 'EXTRACT_VALUE_ERROR' && x.elementId === 'waitExpr'), what: 'incident at waitExpr' },
      { set: { delay: 'PT1M' } },
      { resolve: 'waitExpr' },
      { until: (i) => i.incidents.length === 0 && i.timers.some((t) => t.elementId === 'waitExpr'), what: 'timer armed after resolve' },
      { sleep: 60_000 },
    ],
    expect: { status: 'completed', variables: { delay: 'PT1M' }, completed: ['waitExpr', 'end'] },
  },
  // ---- messages -----------------------------------------------------------------------
  {
    name: 'message catch correlates by name and key, maps outputs; receive task waits for the next',
    fixture: 'message-catch',
    temporal: 'timeSkipping',
    variables: { caseId: 'C-7' },
    script: [
      { until: waitsAt('waitReply'), what: 'subscription' },
      { message: 'reply', key: 'C-8', rejected: true },
      { message: 'other', key: 'C-7', rejected: true },
      { message: 'reply', key: 'C-7', vars: { answer: 'ok' } },
      { until: (i) => i.activeElements.includes('ack'), what: 'receive task waiting' },
      { message: 'reply', key: 'C-7', vars: { acknowledged: true } },
    ],
    expect: {
      status: 'completed',
      completed: ['waitReply', 'ack', 'end'],
      variables: { acknowledged: true, reply: { text: 'ok' } },
      absentVariables: ['answer'],
      activated: ['message-catch', 'start', 'waitReply', 'ack', 'end'],
    },
  },
  {
    name: 'a correlation key that cannot be evaluated is an incident',
    fixture: 'message-catch',
    temporal: 'dev',
    script: [
      { until: (i) => i.incidents.some((x) => x.type === 'EXTRACT_VALUE_ERROR' && x.elementId === 'waitReply'), what: 'incident' },
      { message: 'reply', key: 'C-9', rejected: true },
      { set: { caseId: 'C-9' } },
      { resolve: 'waitReply' },
      { until: (i) => waitsAt('waitReply')(i) && i.incidents.length === 0, what: 'subscription after resolve' },
      { message: 'reply', key: 'C-9', vars: { answer: 'late' } },
      { until: (i) => i.activeElements.includes('ack'), what: 'receive task waiting' },
      { message: 'reply', key: 'C-9' },
    ],
    expect: { status: 'completed', variables: { reply: { text: 'late' }, caseId: 'C-9' }, completed: ['waitReply', 'ack', 'end'] },
  },
  // ---- boundary events ----------------------------------------------------------------
  {
    name: 'interrupting boundary timer cancels a task in one parallel branch; the other goes on',
    fixture: 'boundary-parallel',
    // The table's `work` is a job held open by the script; here it is a user task nobody completes.
    asUserTasks: ['work'],
    temporal: 'timeSkipping',
    script: [
      { until: (i) => i.activeElements.includes('work') && i.timers.some((t) => t.elementId === 'slaBreached'), what: 'SLA timer armed' },
      { sleep: HOUR },
      { until: (i) => !i.activeElements.includes('work') && i.activeElements.includes('other'), what: 'work interrupted' },
      { userTask: 'other' },
    ],
    expect: {
      status: 'completed',
      completed: ['slaBreached', 'escalate', 'endEscalated', 'other', 'endOther'],
      terminated: ['work'],
      notCompleted: ['work', 'endWork'],
    },
  },
  {
    name: 'non-interrupting timer cycle R3/PT1H sends exactly three reminders',
    fixture: 'reminders',
    temporal: 'timeSkipping',
    script: [
      { until: (i) => i.timers.some((t) => t.elementId === 'reminder'), what: 'cycle armed' },
      { sleep: HOUR },
      { until: (_i, h) => times(h, 'completed', 'remind') === 1, what: 'first reminder' },
      { sleep: HOUR },
      { until: (_i, h) => times(h, 'completed', 'remind') === 2, what: 'second reminder' },
      { sleep: HOUR },
      { until: (i, h) => times(h, 'completed', 'remind') === 3 && i.timers.length === 0, what: 'third reminder, cycle over' },
      { sleep: 5 * HOUR },
      { userTask: 'review' },
    ],
    expect: { status: 'completed', completedTimes: { reminder: 3, remind: 3, review: 1, end: 1 } },
  },
  {
    name: 'message boundaries: non-interrupting fires repeatedly, interrupting ends the task',
    fixture: 'boundary-message',
    temporal: 'dev',
    variables: { caseId: 'K1' },
    script: [
      { until: waitsAt('handle'), what: 'task open' },
      { message: 'note-added', key: 'K1' },
      { until: (_i, h) => times(h, 'completed', 'logNote') === 1, what: 'first note' },
      { message: 'note-added', key: 'K1' },
      { until: (i, h) => times(h, 'completed', 'logNote') === 2 && i.activeElements.includes('handle'), what: 'second note, task open' },
      { message: 'withdrawn', key: 'K1' },
    ],
    expect: {
      status: 'completed',
      completed: ['onWithdrawn', 'endWithdrawn'],
      completedTimes: { logNote: 2 },
      terminated: ['handle'],
      notCompleted: ['handle', 'end'],
    },
  },
  // ---- event subprocesses -------------------------------------------------------------
  {
    name: 'non-interrupting timer event subprocess runs beside; interrupting message one ends the parent',
    fixture: 'event-subprocess',
    temporal: 'timeSkipping',
    variables: { caseId: 'E1' },
    script: [
      { until: (i) => waitsAt('review')(i) && i.timers.some((t) => t.elementId === 'dailyStart'), what: 'armed' },
      { sleep: 24 * HOUR },
      { until: (_i, h) => times(h, 'completed', 'onDaily') === 1, what: 'daily digest' },
      { message: 'cancel-request', key: 'E1', vars: { why: 'resolved by phone' } },
    ],
    expect: {
      status: 'completed',
      completed: ['cancelStart', 'confirmCancel', 'cancelEnd', 'onCancel', 'event-subprocess'],
      completedTimes: { dailyDigest: 1, onDaily: 1 },
      terminated: ['review'],
      notCompleted: ['end'],
      variables: { why: 'resolved by phone' },
    },
  },
  {
    name: 'event subprocess subscriptions close when the parent completes normally',
    fixture: 'event-subprocess',
    temporal: 'dev',
    variables: { caseId: 'E2' },
    script: [{ userTask: 'review' }],
    expect: { status: 'completed', completed: ['review', 'end'], activated: ['event-subprocess', 'start', 'review', 'end'] },
  },
  // ---- user tasks ---------------------------------------------------------------------
  {
    name: 'user task: assignment, candidates, schedule and form are evaluated; outputs map the result',
    fixture: 'user-task',
    temporal: 'dev',
    variables: { owner: 'dana', backups: ['eve'], due: '2025-01-08T17:00:00+01:00' },
    script: [{ userTask: 'triage', vars: { severity: 'high' } }],
    expect: { status: 'completed', variables: { triage: { severity: 'high' } }, absentVariables: ['severity'], activated: ['user-task', 'start', 'triage', 'end'] },
  },
  {
    name: 'parallel fork runs all branches; the join fires once after the last arrives',
    fixture: 'parallel',
    temporal: 'dev',
    script: [{ userTask: 'c' }],
    expect: { status: 'completed', completed: ['c', 'join', 'end'], completedTimes: { a: 1, b: 1, c: 1, join: 1, end: 1 } },
  },
];

describe.each(['timeSkipping', 'dev'] as const)('scenario table on Temporal (%s)', (temporal) => {
  const mine = runs.filter((r) => r.temporal === temporal);
  let stack: ScenarioStack;
  const deployed = new Set<string>();

  beforeAll(async () => {
    stack = await startScenarioStack({ temporal });
  });

  afterAll(async () => {
    await stack?.stop();
  });

  const instance = (id: string) => eventually<Instance>(stack, `/api/instances/${id}`, () => true, 'instance');
  // The history comes from the projection, written a moment after each step (decision 0003):
  // right after the start it may not be there yet (404), which counts as no events so far.
  const history = async (id: string) => {
    const res = await stack.api<HistoryEvent[]>('GET', `/api/instances/${id}/history`);
    if (res.status === 404) return [];
    if (res.status !== 200) throw new Error(`GET /api/instances/${id}/history answered ${res.status}: ${JSON.stringify(res.body)}`);
    return res.body;
  };

  async function act(id: string, step: Step): Promise<void> {
    if ('sleep' in step) return stack.sleep(step.sleep);
    if ('until' in step) {
      let last: unknown;
      const deadline = Date.now() + 20_000;
      for (;;) {
        // (the history is the read model's here: an instance it has not written yet is a 404, not an answer)
        const [i, h] = [await instance(id), await history(id).catch((err: unknown) => {
          if (err instanceof Error && err.message.includes('answered 404') && Date.now() < deadline) return [];
          throw err;
        })];
        last = { instance: i, history: h.map((e) => `${e.event}:${e.elementId}`) };
        if (step.until(i, h)) return;
        if (Date.now() > deadline) throw new Error(`timed out waiting for ${step.what}; last: ${JSON.stringify(last)}`);
        await new Promise((r) => setTimeout(r, 100));
      }
    }
    if ('message' in step) {
      const body = { name: step.message, correlationKey: step.key, variables: step.vars ?? {} };
      if (step.rejected) {
        expect((await stack.api('POST', '/api/messages', body)).status).toBe(404);
        return;
      }
      // 404 until the projection shows the subscription; a 200 delivered it exactly once.
      type Published = { instanceId: string; correlated: Array<{ instanceId: string; processKey: string }> };
      let res = await stack.api<Published>('POST', '/api/messages', body);
      for (let i = 0; res.status === 404 && i < 100; i += 1) {
        await new Promise((r) => setTimeout(r, 100));
        res = await stack.api<Published>('POST', '/api/messages', body);
      }
      expect({ status: res.status, instanceId: res.body.instanceId, correlated: res.body.correlated }).toEqual({ status: 200, instanceId: id, correlated: [{ instanceId: id, processKey: expect.any(String) }] });
      return;
    }
    if ('userTask' in step) {
      const page = await eventually<{ items: Array<{ id: string; elementId: string }> }>(stack, `/api/tasks?instanceId=${id}`,
        (p) => p.items.some((t) => t.elementId === step.userTask), `user task ${step.userTask}`);
      const task = page.items.find((t) => t.elementId === step.userTask)!;
      const res = await stack.api('POST', `/api/tasks/${task.id}/complete`, { variables: step.vars ?? {} });
      expect(res.status).toBe(200);
      return;
    }
    if ('set' in step) {
      expect((await stack.api('PUT', `/api/instances/${id}/variables`, { variables: step.set })).status).toBe(204);
      return;
    }
    const live = await instance(id);
    const incident = live.incidents.find((x) => x.elementId === step.resolve);
    if (!incident) throw new Error(`no incident at ${step.resolve}: ${JSON.stringify(live.incidents)}`);
    expect((await stack.api('POST', `/api/instances/${id}/incidents/${incident.id}/resolve`)).status).toBe(204);
  }

  it.each(mine.map((r) => [r.name, r] as const))('%s', async (_name, run) => {
    // given the fixture, deployed once per stack
    if (!deployed.has(run.fixture + (run.asUserTasks?.join() ?? ''))) {
      const res = await stack.api('POST', '/api/definitions', deployableFixture(run.fixture, { asUserTasks: run.asUserTasks }), 'application/xml');
      expect([200, 201]).toContain(res.status);
      deployed.add(run.fixture + (run.asUserTasks?.join() ?? ''));
    }
    const started = await stack.api<{ instanceId: string }>('POST', `/api/processes/${run.fixture}/instances`, { variables: run.variables ?? {} });
    expect(started.status).toBe(201);
    const id = started.body.instanceId;

    // when the script's stimuli arrive through the API
    for (const step of run.script) await act(id, step);

    // then the instance ended as the table says, and its history shows the path it took
    const e = run.expect;
    const done = await eventually<Instance>(stack, `/api/instances/${id}`, (i) => i.status === (e.status ?? 'completed'), `status ${e.status ?? 'completed'}`);
    if (e.variables) expect(done.variables).toMatchObject(e.variables);
    for (const name of e.absentVariables ?? []) expect(Object.keys(done.variables)).not.toContain(name);
    const h = await eventually<HistoryEvent[]>(stack, `/api/instances/${id}/history`,
      (events) => events.some((x) => x.elementId === run.fixture && x.event === 'completed') || done.status !== 'completed', 'complete history');
    const completed = ids(h, 'completed');
    if (e.completed) expect(completed.filter((x) => e.completed!.includes(x))).toEqual(expect.arrayContaining(e.completed));
    if (e.completed) {
      let at = 0;
      for (const x of completed) if (x === e.completed[at]) at += 1;
      expect({ completedInOrder: e.completed.slice(0, at), history: completed }).toEqual({ completedInOrder: e.completed, history: completed });
    }
    for (const [el, n] of Object.entries(e.completedTimes ?? {})) expect({ el, n: times(h, 'completed', el) }).toEqual({ el, n });
    for (const el of e.notCompleted ?? []) expect(completed).not.toContain(el);
    for (const el of e.terminated ?? []) expect(ids(h, 'terminated')).toContain(el);
    if (e.activated) expect(ids(h, 'activated')).toEqual(e.activated);
  });
});
