import { openIncidents, openUserTasks } from '../../../processes/evaluator';
import type { Command, State, Variables } from '../../../processes/evaluator';
import { HOUR, Sim, T0, loadModel } from './harness';

/** One scripted stimulus, addressed by element id or message name instead of keys. */
export type Action =
  | { job: string; vars?: Variables }
  | { fail: string; retriesLeft: number }
  | { throwError: string; code: string; vars?: Variables }
  | { timer: string }
  | { message: string; key?: string; vars?: Variables; rejected?: true }
  | { userTask: string; assignee?: string; vars?: Variables }
  | { childDone: string; vars?: Variables }
  | { childFail: string; code?: string }
  | { resolve: string }
  | { set: Variables; local?: string }
  | { cancel: true }
  | { check: Expectation };

/** What must hold after the script (or at a `check`). Each field is optional. */
export interface Expectation {
  status?: State['status'];
  /** Process variables (subset). */
  variables?: Variables;
  /** Names that must not be process variables (local ones stay local). */
  absentVariables?: string[];
  /** Element ids completed, in this relative order. */
  completed?: string[];
  /** Exact number of completions per element. */
  completedTimes?: Record<string, number>;
  notCompleted?: string[];
  terminated?: string[];
  /** Element ids of live instances, sorted. */
  active?: string[];
  incidents?: Array<{ type: string; elementId: string }>;
  timers?: Array<{ elementId: string; dueAt: number }>;
  subscriptions?: string[];
  /** Commands that must have been issued, in this relative order (partial match). */
  commands?: Array<Partial<Command> & { type: Command['type'] }>;
  /** No instance, wait, join or incident left. */
  clean?: true;
}

export interface Scenario {
  name: string;
  fixture: string;
  variables?: Variables;
  startEventId?: string;
  /** 'strict': the pre-Camunda-8.3 rule kept for recorded histories (a FEEL warning is an incident). */
  feelMode?: 'strict';
  script: Action[];
  expect: Expectation;
}

function subsequence<T>(actual: T[], expected: T[], same: (a: T, e: T) => boolean): boolean {
  let i = 0;
  for (const a of actual) if (i < expected.length && same(a, expected[i] as T)) i += 1;
  return i === expected.length;
}

function partialMatch(actual: Command, expected: Partial<Command>): boolean {
  try {
    expect(actual).toMatchObject(expected);
    return true;
  } catch {
    return false;
  }
}

export function check(s: Sim, e: Expectation): void {
  if (e.status) expect(s.state.status).toBe(e.status);
  if (e.variables) expect(s.vars()).toMatchObject(e.variables);
  for (const name of e.absentVariables ?? []) expect(Object.keys(s.vars())).not.toContain(name);
  if (e.completed) {
    const trace = s.trace('elementCompleted');
    if (!subsequence(trace, e.completed, (a, b) => a === b)) {
      throw new Error(`completed ${JSON.stringify(trace)} does not contain ${JSON.stringify(e.completed)} in order`);
    }
  }
  for (const [id, n] of Object.entries(e.completedTimes ?? {})) {
    expect({ id, n: s.trace('elementCompleted').filter((x) => x === id).length }).toEqual({ id, n });
  }
  for (const id of e.notCompleted ?? []) expect(s.trace('elementCompleted')).not.toContain(id);
  for (const id of e.terminated ?? []) expect(s.trace('elementTerminated')).toContain(id);
  if (e.active) expect([...s.active()].sort()).toEqual([...e.active].sort());
  if (e.incidents) expect(s.incidents()).toEqual(e.incidents);
  if (e.timers) expect(s.timers()).toEqual(e.timers);
  if (e.subscriptions) expect([...s.subscriptions()].sort()).toEqual([...e.subscriptions].sort());
  if (e.commands && !subsequence(s.commands, e.commands as Command[], partialMatch)) {
    throw new Error(`commands ${JSON.stringify(s.commands, null, 1)}\ndo not contain in order ${JSON.stringify(e.commands)}`);
  }
  if (e.clean) s.expectClean(e.status ?? 'completed');
}

function apply(s: Sim, a: Action): void {
  if ('check' in a) return check(s, a.check);
  if ('job' in a) return void s.completeJob(a.job, a.vars);
  if ('fail' in a) {
    return void s.send({ type: 'jobFailed', key: s.jobKey(a.fail), message: 'boom', retriesLeft: a.retriesLeft });
  }
  if ('throwError' in a) {
    return void s.send({ type: 'jobThrewError', key: s.jobKey(a.throwError), errorCode: a.code, variables: a.vars ?? {} });
  }
  if ('timer' in a) return void s.fireTimer(a.timer);
  if ('message' in a) {
    const r = s.message(a.message, a.key, a.vars);
    expect({ message: a.message, accepted: r.accepted }).toEqual({ message: a.message, accepted: !a.rejected });
    return;
  }
  if ('userTask' in a) {
    const tasks = openUserTasks(s.state).filter((t) => t.elementId === a.userTask && (a.assignee === undefined || t.assignee === a.assignee));
    if (tasks.length !== 1) throw new Error(`expected one user task '${a.userTask}' (${a.assignee ?? 'any'}), found ${tasks.length}`);
    return void s.send({ type: 'userTaskCompleted', key: tasks[0]!.key, variables: a.vars ?? {} });
  }
  if ('childDone' in a || 'childFail' in a) {
    const id = 'childDone' in a ? a.childDone : a.childFail;
    const start = [...s.of('startChildProcess')].reverse().find((c) => c.elementId === id);
    if (!start) throw new Error(`no child started at '${id}'`);
    if ('childDone' in a) return void s.send({ type: 'childCompleted', key: start.key, variables: a.vars ?? {} });
    return void s.send({ type: 'childFailed', key: start.key, message: 'child broke', ...(a.code ? { errorCode: a.code } : {}) });
  }
  if ('resolve' in a) return void s.resolve(a.resolve);
  if ('set' in a) {
    const scope = a.local === undefined ? undefined : s.state.instances[Object.keys(s.state.instances).find((k) => s.state.instances[k]?.elementId === a.local) ?? ''];
    const r = s.send({ type: 'setVariables', variables: a.set, ...(scope ? { scopeKey: scope.key } : {}) });
    expect(r.accepted).toBe(true);
    return;
  }
  if ('cancel' in a) return void s.send({ type: 'cancel' });
}

export async function play(scenario: Scenario): Promise<Sim> {
  const s = new Sim(await loadModel(scenario.fixture));
  if (scenario.feelMode) s.state = { ...s.state, feelMode: scenario.feelMode };
  const started = s.start(scenario.variables ?? {}, scenario.startEventId);
  expect(started.accepted).toBe(true);
  for (const action of scenario.script) {
    s.time += HOUR / 60; // a minute between stimuli, so history times are distinct
    apply(s, action);
  }
  check(s, scenario.expect);
  return s;
}

/**
 * The scenario table, a file of rows a subject (scenarios*.test.ts): a fixture from scenarios/,
 * a script of stimuli, what must hold. The harness asserts JSON round-trips and input
 * immutability at every step. Each row is a test named after it.
 */
export function describeScenarios(scenarios: Scenario[]): void {
  describe('evaluator scenarios', () => {
    it.each(scenarios.map((s) => [s.name, s] as const))('%s', async (_name, scenario) => {
      await play(scenario);
    });
  });
}

/** A minute on the simulated clock. */
export const MIN = HOUR / 60;

export { T0, HOUR, openIncidents };
