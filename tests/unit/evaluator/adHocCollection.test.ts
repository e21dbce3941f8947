/**
 * Ad-hoc subprocesses whose elements come from activeElementsCollection, as Camunda 8.7 runs
 * them (decision 0046), compiled from BPMN and driven through `step`: activation on entry, the
 * completion condition after each inner element, cancelRemainingInstances, inner sequence
 * flows, incidents; and the output collection of Camunda 8.8.
 */
import { active, model, TASKS } from './adHocModel';
import { Sim } from './harness';

describe('ad-hoc subprocess: activation', () => {
  it('enters the elements of activeElementsCollection and completes when they are done (no condition)', async () => {
    const s = new Sim(await model('', active('=todo'), TASKS));
    s.start({ todo: ['T1', 'T3'] });
    expect(s.active().sort()).toEqual(['A', 'T1', 'T3']);
    s.completeUserTask('T1', { one: 1 });
    expect(s.active().sort()).toEqual(['A', 'T3']);
    s.completeUserTask('T3');
    expect(s.trace('elementCompleted')).toEqual(['S', 'T1', 'T3', 'A', 'E', 'p']);
    expect(s.state.finalVariables).toEqual({ todo: ['T1', 'T3'], one: 1 });
    s.expectClean();
  });

  it('without a collection (or with an empty list) activates nothing and waits', async () => {
    const none = new Sim(await model('', '', TASKS));
    none.start();
    expect(none.active()).toEqual(['A']);
    expect(none.state.status).toBe('active');
    const empty = new Sim(await model('', active('=[]'), TASKS));
    empty.start();
    expect(empty.active()).toEqual(['A']);
    expect(empty.state.status).toBe('active');
  });

  it('an element named twice is activated twice', async () => {
    const s = new Sim(await model('', active('=[&quot;T1&quot;, &quot;T1&quot;]'), TASKS));
    s.start();
    expect(s.active().sort()).toEqual(['A', 'T1', 'T1']);
  });

  it('a collection naming an unknown element, an element with an incoming flow or a non-string is an incident', async () => {
    const inner = `${TASKS}<bpmn:sequenceFlow id="i1" sourceRef="T1" targetRef="T2" />`;
    for (const todo of [['T1', 'Nope'], ['T2'], [1], 'T1']) {
      const s = new Sim(await model('', active('=todo'), inner));
      s.start({ todo });
      expect(s.incidents()).toEqual([{ type: 'EXTRACT_VALUE_ERROR', elementId: 'A' }]);
      expect(s.active()).toEqual(['A']);
    }
  });

  it('resolving the collection incident after fixing the variable enters the elements', async () => {
    const s = new Sim(await model('', active('=todo'), TASKS));
    s.start({ todo: ['Nope'] });
    expect(s.incidents()).toEqual([{ type: 'EXTRACT_VALUE_ERROR', elementId: 'A' }]);
    s.send({ type: 'setVariables', variables: { todo: ['T2'] } });
    s.resolve('A');
    expect(s.active().sort()).toEqual(['A', 'T2']);
    s.completeUserTask('T2');
    s.expectClean();
  });

  it('inner sequence flows run as in any subprocess: the ad-hoc completes when the chain is done', async () => {
    const inner = `${TASKS}<bpmn:sequenceFlow id="i1" sourceRef="T1" targetRef="T2" />`;
    const s = new Sim(await model('', active('=[&quot;T1&quot;]'), inner));
    s.start();
    s.completeUserTask('T1');
    expect(s.active().sort()).toEqual(['A', 'T2']);
    s.completeUserTask('T2');
    expect(s.trace('elementCompleted')).toEqual(['S', 'T1', 'T2', 'A', 'E', 'p']);
    s.expectClean();
  });
});

describe('ad-hoc subprocess: completion condition', () => {
  it('true after an inner element completes terminates the rest (cancelRemainingInstances default true)', async () => {
    const s = new Sim(await model('', active('=todo'), TASKS, '=done = true'));
    s.start({ todo: ['T1', 'T2', 'T3'] });
    s.completeUserTask('T1', { done: false });
    expect(s.active().sort()).toEqual(['A', 'T2', 'T3']);
    s.completeUserTask('T2', { done: true });
    expect(s.trace('elementTerminated')).toEqual(['T3']);
    expect(s.trace('elementCompleted')).toEqual(['S', 'T1', 'T2', 'A', 'E', 'p']);
    s.expectClean();
  });

  it('with cancelRemainingInstances=false it waits for the active elements, then completes', async () => {
    const s = new Sim(await model('cancelRemainingInstances="false"', active('=todo'), TASKS, '=done = true'));
    s.start({ todo: ['T1', 'T2'] });
    s.completeUserTask('T1', { done: true });
    expect(s.active().sort()).toEqual(['A', 'T2']);
    s.completeUserTask('T2', { done: false });
    expect(s.trace('elementTerminated')).toEqual([]);
    expect(s.trace('elementCompleted')).toEqual(['S', 'T1', 'T2', 'A', 'E', 'p']);
    s.expectClean();
  });

  it('false when nothing is left: the subprocess stays active', async () => {
    const s = new Sim(await model('', active('=todo'), TASKS, '=done = true'));
    s.start({ todo: ['T1'] });
    s.completeUserTask('T1', { done: false });
    expect(s.active()).toEqual(['A']);
    expect(s.state.status).toBe('active');
  });

  it('a condition that is not a boolean is an incident at the completing element; resolving re-evaluates it', async () => {
    const s = new Sim(await model('', active('=todo'), TASKS, '=done'));
    s.start({ todo: ['T1', 'T2'] });
    s.completeUserTask('T1', { other: 1 });
    expect(s.incidents()).toEqual([{ type: 'CONDITION_ERROR', elementId: 'T1' }]);
    expect(s.active().sort()).toEqual(['A', 'T1', 'T2']);
    s.send({ type: 'setVariables', variables: { done: true } });
    s.resolve('T1');
    expect(s.trace('elementTerminated')).toEqual(['T2']);
    expect(s.trace('elementCompleted')).toEqual(['S', 'T1', 'A', 'E', 'p']);
    s.expectClean();
  });
});

describe('ad-hoc output collection (Camunda 8.8)', () => {
  const OUT = '<zeebe:adHoc activeElementsCollection="=todo" outputCollection="results" outputElement="={task: taskName, said: said}" />';
  const inner = '<bpmn:userTask id="T1"><bpmn:extensionElements><zeebe:ioMapping><zeebe:input source="=&quot;one&quot;" target="taskName" /></zeebe:ioMapping></bpmn:extensionElements></bpmn:userTask>'
    + '<bpmn:userTask id="T2"><bpmn:extensionElements><zeebe:ioMapping><zeebe:input source="=&quot;two&quot;" target="taskName" /></zeebe:ioMapping></bpmn:extensionElements></bpmn:userTask>';

  it('appends outputElement, evaluated at the element whose path ends, and hands the list to the parent on completion', async () => {
    const s = new Sim(await model('', OUT, inner));
    s.start({ todo: ['T1', 'T2'] });
    const adHocKey = Object.values(s.state.instances).find((i) => i.elementId === 'A')!.key;
    expect(s.vars(adHocKey)).toMatchObject({ results: [] });
    s.completeUserTask('T2', { said: 'b' });
    s.completeUserTask('T1', { said: 'a' });
    expect(s.state.finalVariables).toMatchObject({ results: [{ task: 'two', said: 'b' }, { task: 'one', said: 'a' }] });
    s.expectClean();
  });

  it('an outputElement that fails is an incident at the completing element; resolving appends once', async () => {
    const s = new Sim(await model('', '<zeebe:adHoc activeElementsCollection="=todo" outputCollection="results" outputElement="=assert(said, said != null)" />', TASKS, '=count(results) >= 0 and false'));
    s.start({ todo: ['T1'] });
    s.completeUserTask('T1');
    expect(s.incidents()).toEqual([{ type: 'IO_MAPPING_ERROR', elementId: 'T1' }]);
    s.send({ type: 'setVariables', variables: { said: 'x' } });
    s.resolve('T1');
    const adHocKey = Object.values(s.state.instances).find((i) => i.elementId === 'A')!.key;
    expect(s.vars(adHocKey)).toMatchObject({ results: ['x'] });
  });
});
