/**
 * Token modification in the pure evaluator (Camunda 8 semantics): activate before an element
 * (with variables), terminate element instances, move = both; flow scopes created on demand;
 * a scope left empty is terminated; every refusal names its instruction and element.
 */
import { activeElements, modify, openUserTasks, pendingTimers, validateModification, variables } from '../../../processes/evaluator';
import type { Command } from '../../../processes/evaluator';
import { loadModel, Sim, T0 } from './harness';

const types = (commands: Command[]) => commands.map((c) => ('elementId' in c ? `${c.type}:${c.elementId}` : c.type));

describe('modify', () => {
  it('moves a token from one user task to another: the old task closes, the new one opens, variables land in the process scope', async () => {
    // given an instance waiting at user task 'first'
    const model = await loadModel('modify-scopes');
    const sim = new Sim(model);
    sim.send({ type: 'start', variables: { a: 1 } });
    const [task] = openUserTasks(sim.state);
    expect(task?.elementId).toBe('first');

    // when the token moves into the subprocess task 'inner' (cancel + start) with a variable
    const result = modify(model, sim.state, [
      { type: 'activate', elementId: 'inner', variables: { note: 'skipped first' } },
      { type: 'terminate', elementInstanceKey: task?.elementInstanceKey ?? '' },
    ], T0 + 1000);

    // then the subprocess was created around it (with its boundary timer) and 'first' ended
    expect(result.accepted).toBe(true);
    expect(activeElements(result.state).map((e) => e.elementId)).toEqual(['sub', 'inner']);
    expect(openUserTasks(result.state).map((t) => t.elementId)).toEqual(['inner']);
    expect(pendingTimers(result.state).map((t) => t.elementId)).toEqual(['subTimeout']);
    expect(variables(result.state)).toEqual({ a: 1, note: 'skipped first' });
    expect(types(result.commands)).toEqual(expect.arrayContaining([
      'elementActivated:sub', 'startTimer:subTimeout', 'elementActivated:inner', 'openUserTask:inner', 'closeUserTask:first', 'elementTerminated:first',
    ]));
    // and the subprocess start event was not entered
    expect(types(result.commands)).not.toContain('elementActivated:subStart');
    expect(result.state.status).toBe('active');
  });

  it('activates before a service task in the live subprocess scope and issues its job', async () => {
    const model = await loadModel('modify-scopes');
    const sim = new Sim(model);
    sim.send({ type: 'start' });
    const result = modify(model, sim.state, [{ type: 'activate', elementId: 'last' }], T0 + 5);
    expect(result.accepted).toBe(true);
    expect(result.commands.some((c) => c.type === 'executeJob' && c.elementId === 'last')).toBe(true);
    expect(activeElements(result.state).map((e) => e.elementId).sort()).toEqual(['first', 'last']);
  });

  it('terminating the last token terminates the process instance, as Zeebe does', async () => {
    const model = await loadModel('modify-scopes');
    const sim = new Sim(model);
    sim.send({ type: 'start' });
    const result = modify(model, sim.state, [{ type: 'terminate', elementId: 'first' }], T0 + 5);
    expect(result.accepted).toBe(true);
    expect(result.state.status).toBe('terminated');
    expect(result.commands.at(-1)?.type).toBe('processTerminated');
  });

  it('refuses what cannot be applied, naming each instruction and element, and changes nothing', async () => {
    const model = await loadModel('modify-scopes');
    const sim = new Sim(model);
    sim.send({ type: 'start' });
    const instructions = [
      { type: 'activate' as const, elementId: 'nowhere' },
      { type: 'activate' as const, elementId: 'subTimeout' },
      { type: 'activate' as const, elementId: 'start' },
      { type: 'terminate' as const, elementInstanceKey: '999' },
      { type: 'terminate' as const, elementId: 'inner' },
      { type: 'terminate' as const, elementInstanceKey: sim.state.rootKey ?? '' },
    ];
    const problems = validateModification(model, sim.state, instructions);
    expect(problems.map((p) => [p.path, p.elementId ?? p.elementInstanceKey])).toEqual([
      ['instructions[0]', 'nowhere'],
      ['instructions[1]', 'subTimeout'],
      ['instructions[2]', 'start'],
      ['instructions[3]', '999'],
      ['instructions[4]', 'inner'],
      ['instructions[5]', 'modify-scopes'],
    ]);
    const result = modify(model, sim.state, instructions, T0 + 5);
    expect(result.accepted).toBe(false);
    expect(result.reason).toContain("instructions[0]: 'nowhere' is not an element");
    expect(result.state).toBe(sim.state);
    expect(validateModification(model, sim.state, [])).toEqual([{ path: 'instructions', message: 'give at least one activate or terminate instruction' }]);
  });

  it('creates variable instructions in the scope they name: the activated element, its subprocess or the process', async () => {
    // given an instance waiting at 'first', and a process variable 'note'
    const model = await loadModel('modify-scopes');
    const sim = new Sim(model);
    sim.send({ type: 'start', variables: { note: 'global' } });

    // when a token starts at 'inner' (creating 'sub') with variables in each scope
    const result = modify(model, sim.state, [{
      type: 'activate', elementId: 'inner',
      variableInstructions: [
        { variables: { note: 'for the subprocess', subOnly: 1 }, scopeId: 'sub' },
        { variables: { taskOnly: true }, scopeId: 'inner' },
        { variables: { everywhere: 'x' } },
        { variables: { alsoGlobal: 2 }, scopeId: 'modify-scopes' },
      ],
    }], T0 + 10);

    // then each set is local to its scope's instance; the process scope got only the global ones
    expect(result.accepted).toBe(true);
    const instanceOf = (id: string) => Object.values(result.state.instances).find((i) => i.elementId === id);
    expect(instanceOf('sub')?.variables).toEqual({ note: 'for the subprocess', subOnly: 1 });
    expect(instanceOf('inner')?.variables).toEqual({ taskOnly: true });
    expect(variables(result.state)).toEqual({ note: 'global', everywhere: 'x', alsoGlobal: 2 });
    // and the task sees them through its scopes (the subprocess's note shadows the global one)
    expect(openUserTasks(result.state).map((t) => t.elementId)).toEqual(['first', 'inner']);
    expect(result.commands.find((c) => c.type === 'openUserTask')).toMatchObject({ variables: expect.objectContaining({ note: 'for the subprocess', taskOnly: true, subOnly: 1, everywhere: 'x' }) });
  });

  it('refuses a variable scope that is not the element, a subprocess enclosing it or the process', async () => {
    const model = await loadModel('modify-scopes');
    const sim = new Sim(model);
    sim.send({ type: 'start' });
    const instructions = [
      { type: 'activate' as const, elementId: 'last', variableInstructions: [{ variables: { a: 1 }, scopeId: 'sub' }] },
      { type: 'activate' as const, elementId: 'inner', variableInstructions: [{ variables: { a: 1 }, scopeId: 'sub' }, { variables: { b: 1 }, scopeId: 'nowhere' }] },
    ];
    const problems = validateModification(model, sim.state, instructions);
    expect(problems.map((p) => [p.path, p.elementId])).toEqual([
      ['instructions[0].variableInstructions[0].scopeId', 'sub'],
      ['instructions[1].variableInstructions[1].scopeId', 'nowhere'],
    ]);
    expect(problems[0]?.message).toContain("'sub' is neither 'last' nor a subprocess enclosing it ('modify-scopes')");
    expect(modify(model, sim.state, instructions, T0 + 5).accepted).toBe(false);
  });
});
