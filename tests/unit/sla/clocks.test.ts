/** SLA clocks in the pure evaluator: start, stop, pause/resume, recompute, thresholds in order, breach. */
import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import { compileBpmn } from '../../../processes/compiler';
import type { ProcessModel } from '../../../processes/model';
import { initialState, openUserTasks, pendingTimers, slaClockViews, step } from '../../../processes/evaluator';
import type { Command, State, Stimulus } from '../../../processes/evaluator';

type WithoutTime<T> = T extends unknown ? Omit<T, 'time'> : never;
const HOUR = 3_600_000;
// Friday 2026-11-20 17:30 in Berlin (CET, UTC+1).
const FRIDAY_1730 = Date.UTC(2026, 10, 20, 16, 30);
const MONDAY = (h: number, m = 0) => Date.UTC(2026, 10, 23, h - 1, m);

let model: ProcessModel;
beforeAll(async () => {
  const result = await compileBpmn(readFileSync(join(__dirname, 'fixtures', 'sla-clocks.bpmn'), 'utf8'), { taskTypes: null });
  if (!result.ok || !result.document?.processes[0]) throw new Error(JSON.stringify(result.problems));
  model = result.document.processes[0];
});

class Instance {
  state: State;
  commands: Command[] = [];
  constructor(readonly m: ProcessModel) {
    this.state = initialState(m);
  }
  send(stimulus: WithoutTime<Stimulus>, time: number): Command[] {
    const result = step(this.m, this.state, { ...stimulus, time } as Stimulus);
    expect(result.accepted).toBe(true);
    expect(JSON.parse(JSON.stringify(result.state))).toStrictEqual(result.state);
    this.state = result.state;
    this.commands.push(...result.commands);
    return result.commands;
  }
  clock(key: string) {
    const view = slaClockViews(this.m, this.state).find((c) => c.clockKey === key);
    if (!view) throw new Error(`no clock ${key}`);
    return view;
  }
  slaTimer(clockKey: string) {
    const timer = pendingTimers(this.state).find((t) => t.key.startsWith(`sla:${clockKey}:`));
    if (!timer) throw new Error(`no timer for ${clockKey}`);
    return timer;
  }
  /** Fires the clock's pending timer at `time` (late, when the worker was down). */
  fire(clockKey: string, time: number): Command[] {
    return this.send({ type: 'timerFired', key: this.slaTimer(clockKey).key }, time);
  }
  complete(elementId: string, time: number, variables = {}): Command[] {
    const task = openUserTasks(this.state).find((t) => t.elementId === elementId);
    if (!task) throw new Error(`no task ${elementId}`);
    return this.send({ type: 'userTaskCompleted', key: task.key, variables }, time);
  }
}

const escalations = (commands: Command[]) =>
  commands.flatMap((c) => (c.type === 'executeJob' ? [`notify:${c.key}`] : c.type === 'reassignTasks' ? [`reassign:${c.group}`] : c.type === 'raiseTaskPriority' ? [`priority:+${c.by}`] : []));

describe('SLA clocks', () => {
  test('an 8-business-hour target from Friday 17:30 is due Monday 17:00; the timer aims at the next threshold only', () => {
    const i = new Instance(model);
    const started = i.send({ type: 'start', variables: {} }, FRIDAY_1730);
    const clock = i.clock('first-response');
    expect(clock).toMatchObject({ state: 'ok', paused: false, targetMs: 8 * HOUR, dueAt: MONDAY(17) });
    const timers = started.filter((c) => c.type === 'startTimer' && c.key.startsWith('sla:first-response:'));
    expect(timers).toEqual([expect.objectContaining({ dueAt: MONDAY(13) })]);
    expect(i.clock('resolution')).toMatchObject({ targetMs: 16 * HOUR, dueAt: Date.UTC(2026, 10, 24, 16) });
  });

  test('thresholds fire once each and in order, even all at once after the worker was down', () => {
    const i = new Instance(model);
    i.send({ type: 'start', variables: {} }, FRIDAY_1730);
    // The 50% timer is delivered only on Tuesday: 50%, 75% and the breach fire in this order, once.
    const late = i.fire('first-response', MONDAY(17) + 24 * HOUR);
    expect(escalations(late)).toEqual([
      'notify:sla:first-response:50:1',
      'notify:sla:first-response:75:1',
      'priority:+25',
      'notify:sla:first-response:100:1',
      'reassign:supervisors',
    ]);
    const clock = i.clock('first-response');
    expect(clock.warnings.map((w) => w.threshold)).toEqual([50, 75]);
    expect(clock.state).toBe('breached');
    expect(clock.breach).toMatchObject({ dueAt: MONDAY(17), escalatedTo: ['notify:webhook', 'group:supervisors'] });
    expect(pendingTimers(i.state).some((t) => t.key.startsWith('sla:first-response:'))).toBe(false);
    // The reassignment names the open first-response task.
    const reassign = late.find((c) => c.type === 'reassignTasks');
    expect(reassign).toMatchObject({ taskKeys: [openUserTasks(i.state).find((t) => t.elementId === 'Respond')?.key] });
    // Completing the task afterwards stops the clock but does not un-breach it.
    i.complete('Respond', MONDAY(18));
    expect(i.clock('first-response')).toMatchObject({ state: 'breached', elapsedMs: 8 * HOUR });
  });

  test('thresholds one by one: each timer fires its own threshold and arms the next', () => {
    const i = new Instance(model);
    i.send({ type: 'start', variables: {} }, FRIDAY_1730);
    expect(escalations(i.fire('first-response', MONDAY(13)))).toEqual(['notify:sla:first-response:50:1']);
    expect(i.clock('first-response').state).toBe('at_risk');
    expect(i.slaTimer('first-response').dueAt).toBe(MONDAY(15));
    expect(escalations(i.fire('first-response', MONDAY(15)))).toEqual(['notify:sla:first-response:75:1', 'priority:+25']);
    expect(i.slaTimer('first-response').dueAt).toBe(MONDAY(17));
  });

  test('met before the target: state met, timer cancelled, elapsed business time recorded', () => {
    const i = new Instance(model);
    i.send({ type: 'start', variables: {} }, FRIDAY_1730);
    const key = i.slaTimer('first-response').key;
    const done = i.complete('Respond', MONDAY(10));
    expect(done).toContainEqual(expect.objectContaining({ type: 'cancelTimer', key }));
    expect(i.clock('first-response')).toMatchObject({ state: 'met', metAt: MONDAY(10), elapsedMs: HOUR, dueAt: null });
  });

  test('pausing keeps the remaining business time; resuming moves the breach by the paused time', () => {
    const i = new Instance(model);
    i.send({ type: 'start', variables: {} }, MONDAY(9));
    expect(i.clock('resolution').dueAt).toBe(Date.UTC(2026, 10, 24, 16)); // Tuesday 17:00
    i.complete('Respond', MONDAY(11)); // AwaitCustomer becomes active: pause after 2 business hours
    const paused = i.clock('resolution');
    expect(paused).toMatchObject({ paused: true, dueAt: null, remainingMs: 14 * HOUR });
    expect(pendingTimers(i.state).some((t) => t.key.startsWith('sla:resolution:'))).toBe(false);
    // Three days later (Thursday 11:00) the customer answers: 14 business hours left -> Friday 17:00.
    const thursday = MONDAY(11) + 3 * 24 * HOUR;
    i.complete('AwaitCustomer', thursday);
    const resumed = i.clock('resolution');
    expect(resumed).toMatchObject({ paused: false, pausedMs: 3 * 24 * HOUR, dueAt: Date.UTC(2026, 10, 27, 16) });
    expect(resumed.dueAt).toBe(Date.UTC(2026, 10, 24, 16) + 3 * 24 * HOUR);
  });

  test('a new severity recomputes the target and re-arms the timer', () => {
    const i = new Instance(model);
    i.send({ type: 'start', variables: {} }, MONDAY(9));
    const before = i.slaTimer('first-response');
    expect(before.dueAt).toBe(MONDAY(13));
    const changed = i.send({ type: 'setVariables', variables: { severity: 'high' } }, MONDAY(10));
    expect(i.clock('first-response')).toMatchObject({ severity: 'high', targetMs: 4 * HOUR, dueAt: MONDAY(13) });
    expect(changed).toContainEqual(expect.objectContaining({ type: 'cancelTimer', key: before.key }));
    expect(i.slaTimer('first-response').dueAt).toBe(MONDAY(11));
  });

  test('a per-element clock runs for each activation of its element', () => {
    const i = new Instance(model);
    i.send({ type: 'start', variables: {} }, MONDAY(9));
    i.complete('Respond', MONDAY(9, 30));
    i.complete('AwaitCustomer', MONDAY(10));
    const clock = i.clock('resolve-task:Resolve:1');
    const task = openUserTasks(i.state).find((t) => t.elementId === 'Resolve');
    expect(clock).toMatchObject({ metric: 'element', elementId: 'Resolve', taskKey: task?.key, dueAt: MONDAY(12) });
    // Completed exactly at 50%: the due warning fires first, then the clock is met.
    i.complete('Resolve', MONDAY(11));
    const stopped = i.clock('resolve-task:Resolve:1');
    expect(stopped).toMatchObject({ state: 'met', elapsedMs: HOUR });
    expect(stopped.warnings).toEqual([{ threshold: 50, at: MONDAY(11) }]);
    expect(i.state.status).toBe('completed');
    expect(slaClockViews(model, i.state).every((c) => c.state !== 'ok')).toBe(true);
  });

  test('a model without policies keeps no SLA state (existing instances are unchanged)', async () => {
    const xml = readFileSync(join(__dirname, 'fixtures', 'sla-clocks.bpmn'), 'utf8').replace(/<sla:policies>[\s\S]*?<\/sla:policies>/g, '');
    const plain = (await compileBpmn(xml, { taskTypes: null })).document?.processes[0];
    if (!plain) throw new Error('no model');
    expect(plain.sla).toBeUndefined();
    const i = new Instance(plain);
    i.send({ type: 'start', variables: {} }, MONDAY(9));
    expect(i.state.sla).toBeUndefined();
    expect(pendingTimers(i.state)).toEqual([]);
  });
});

describe('SLA clocks stopped in the step that starts them', () => {
  test('a first response given at once is met against its real target, and escalates nothing', async () => {
    // Respond as a plain task: the first-response clock starts and stops within the start step.
    const xml = readFileSync(join(__dirname, 'fixtures', 'sla-clocks.bpmn'), 'utf8')
      .replace(/<bpmn:userTask id="Respond" name="Respond">[\s\S]*?<\/bpmn:userTask>/, '<bpmn:task id="Respond" name="Respond" />');
    const result = await compileBpmn(xml, { taskTypes: null });
    if (!result.ok || !result.document?.processes[0]) throw new Error(JSON.stringify(result.problems));
    const i = new Instance(result.document.processes[0]);
    const started = i.send({ type: 'start', variables: { severity: 'high' } }, FRIDAY_1730);
    expect(i.clock('first-response')).toMatchObject({ state: 'met', severity: 'high', targetMs: 4 * HOUR, breach: null, warnings: [] });
    expect(escalations(started)).toEqual([]);
  });
});

describe('SLA clocks when the instance is cancelled', () => {
  test('stop without escalating thresholds that came due meanwhile', () => {
    const i = new Instance(model);
    i.send({ type: 'start', variables: {} }, FRIDAY_1730);
    const cancelled = i.send({ type: 'cancel' }, MONDAY(18));
    expect(escalations(cancelled)).toEqual([]);
    // The missed target is still recorded as a breach, without escalation.
    expect(i.clock('first-response')).toMatchObject({ state: 'breached', warnings: [], breach: { dueAt: MONDAY(17), at: MONDAY(18), escalatedTo: [] } });
    expect(pendingTimers(i.state)).toEqual([]);
  });
});
