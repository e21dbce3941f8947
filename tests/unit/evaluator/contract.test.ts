import { activeElements, openJobs, pendingTimers, startEvents, step, variables } from '../../../processes/evaluator';
import { HOUR, loadModel, sim, T0 } from './harness';

describe('adapter contract', () => {
  it('element ids and variable names that shadow Object.prototype are plain data', async () => {
    // given
    const s = await sim('odd-ids');
    const payload = JSON.parse('{"__proto__": {"polluted": true}, "constructor": 1}') as Record<string, unknown>;
    // when
    s.start(payload);
    s.send({ type: 'jobCompleted', key: s.jobKey('__proto__'), variables: JSON.parse('{"__proto__": "job result"}') as Record<string, unknown> });
    // then
    expect(s.trace('elementCompleted')).toEqual(['constructor', 'toString', 'toLocaleString', '__proto__', '__lookupGetter__', 'prototype', 'odd-ids']);
    const vars = s.vars();
    expect(Object.prototype.hasOwnProperty.call(vars, '__proto__')).toBe(true);
    expect(vars.kept).toBe('job result');
    expect(vars.constructor).toBe(1);
    expect(({} as Record<string, unknown>).polluted).toBeUndefined();
    s.expectClean();
  });

  it('rejects stimuli once the instance has ended and a second start', async () => {
    // given
    const s = await sim('exclusive');
    s.start({ amount: 1 });
    // when
    const again = s.send({ type: 'start', variables: {} });
    const late = s.send({ type: 'cancel' });
    // then
    expect([again.accepted, again.reason]).toEqual([false, 'instance is completed']);
    expect([late.accepted, late.reason]).toEqual([false, 'instance is completed']);
    expect(variables(s.state)).toEqual({ amount: 1 });
  });

  it('queries expose active elements, jobs with their instance, timers with dueAt, scoped variables', async () => {
    // given
    const model = await loadModel('boundary-parallel');
    // when
    const { state } = step(model, (await sim('boundary-parallel')).state, { type: 'start', time: T0, variables: { a: 1 } });
    // then
    const work = activeElements(state).find((e) => e.elementId === 'work')!;
    expect(activeElements(state).map((e) => e.elementId)).toEqual(['work', 'other']);
    expect(openJobs(state)).toEqual([{ key: expect.any(String), elementId: 'work', taskType: 'dept.work', elementInstanceKey: work.key }]);
    expect(pendingTimers(state)).toEqual([{ key: expect.any(String), elementId: 'slaBreached', dueAt: T0 + HOUR }]);
    expect(variables(state, work.key)).toEqual({ a: 1 });
  });

  it('lists process-level start events with their triggers for the scheduler', async () => {
    // given
    const model = await loadModel('message-start');
    // when
    const starts = startEvents(model);
    // then
    expect(starts.map((s) => [s.id, s.trigger.type])).toEqual([
      ['manualStart', 'none'],
      ['viaMessage', 'message'],
      ['nightly', 'timer'],
    ]);
  });

  it('refuses an unknown start event id without creating an instance', async () => {
    // given
    const s = await sim('message-start');
    // when
    const r = s.start({}, 'nope');
    // then
    expect(r.accepted).toBe(false);
    expect(r.reason).toMatch(/'nope' is not a start event/);
    expect(s.state.status).toBe('ready');
  });
});
