/**
 * The evaluator's scenario table, end to end on Temporal through the HTTP API (the rows:
 * scenariosTimeSkipping, scenariosDev): deploy the fixture, start an instance, drive it with the
 * same stimuli (messages via POST /api/messages, user tasks via /api/tasks, timers by moving the
 * time-skipping server's clock, incidents via PUT variables + resolve), then check the outcome
 * through GET /api/instances/{id} and its history. Expectations use the table's shape
 * (tests/unit/evaluator/script.ts `Expectation`) and copy its outcomes.
 *
 * Not in the table, because they cannot run end to end: every fixture whose scenario needs a job to
 * stay open, fail, or throw a BPMN error (the catalog only has `variables.set` and
 * `http.request`, which complete at once here), call-activity (needs the child deployed and
 * childFail control), message-start (the start API has no start event id), and link-send /
 * terminate / escalation / subprocess-error (no timer, message or user task worth the trip).
 */
import type { Expectation } from '../unit/evaluator/script';
import { deployableFixture } from './scenarioFixtures';
import { startScenarioStack, type ScenarioStack } from './scenarioStack';
import { eventually } from './stack';

export const HOUR = 3_600_000;

export type Step =
  | { message: string; key: string; vars?: Record<string, unknown>; rejected?: true }
  | { userTask: string; vars?: Record<string, unknown> }
  | { sleep: number }
  | { set: Record<string, unknown> }
  | { resolve: string }
  | { until: (i: Instance, h: HistoryEvent[]) => boolean; what: string };

export interface Run {
  /** The table row this replays (tests/unit/evaluator/scenarios*.test.ts). */
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

export interface Instance {
  status: string;
  activeElements: string[];
  variables: Record<string, unknown>;
  incidents: Array<{ id: string; elementId: string; type: string }>;
  timers: Array<{ elementId: string }>;
}
export interface HistoryEvent { elementId: string; event: 'activated' | 'completed' | 'terminated' }

export const ids = (h: HistoryEvent[], event: HistoryEvent['event']) => h.filter((e) => e.event === event).map((e) => e.elementId);
export const times = (h: HistoryEvent[], event: HistoryEvent['event'], id: string) => ids(h, event).filter((x) => x === id).length;
/** The API does not list subscriptions; an active catch element is what waits for a message. */
export const waitsAt = (elementId: string) => (i: Instance) => i.activeElements.includes(elementId);

/** One describe of the `runs` for the Temporal server `temporal`: a stack of its own, each fixture deployed once. */
export function describeScenarioTable(temporal: Run['temporal'], runs: Run[]): void {
  describe(`scenario table on Temporal (${temporal})`, () => {
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
}
