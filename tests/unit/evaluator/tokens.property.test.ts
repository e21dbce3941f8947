import fc from 'fast-check';
import { openJobs } from '../../../processes/evaluator';
import type { State } from '../../../processes/evaluator';
import { Sim } from './harness';
import { buildModel } from './modelBuilder';
import type { Block } from './modelBuilder';

const blockArb: fc.Arbitrary<Block> = fc.letrec<{ block: Block }>((tie) => ({
  block: fc.oneof(
    { depthSize: 'small', withCrossShrink: true },
    fc.constant<Block>({ t: 'task' }),
    fc.record({ t: fc.constant('seq' as const), items: fc.array(tie('block'), { minLength: 2, maxLength: 3 }) }),
    fc.record({ t: fc.constant('par' as const), branches: fc.array(tie('block'), { minLength: 2, maxLength: 4 }) }),
    fc
      .array(fc.record({ take: fc.boolean(), block: tie('block') }), { minLength: 2, maxLength: 3 })
      // At least one branch must be taken: these models have no default flow.
      .map((branches) => ({ t: 'incl' as const, branches: branches.map((b, i) => (i === 0 ? { ...b, take: true } : b)) })),
    fc.record({ t: fc.constant('sub' as const), body: tie('block') }),
  ),
})).block;

/** Structural invariants that must hold after every step. */
function assertConsistent(state: State): void {
  const keys = new Set(Object.keys(state.instances));
  for (const inst of Object.values(state.instances)) {
    if (inst.parentKey !== null) expect(keys.has(inst.parentKey)).toBe(true);
  }
  for (const wait of Object.values(state.waits)) expect(keys.has(wait.ownerKey)).toBe(true);
  for (const join of state.joins) {
    expect(keys.has(join.scopeKey)).toBe(true);
    expect(join.arrived.length).toBeGreaterThan(0);
  }
  const owners = openJobs(state).map((j) => j.elementInstanceKey);
  expect(new Set(owners).size).toBe(owners.length);
  // Every live service task holds exactly one job: no token stuck without work.
  for (const inst of Object.values(state.instances)) {
    if (inst.elementType === 'bpmn:serviceTask') expect(owners).toContain(inst.key);
  }
}

describe('token conservation on random parallel models', () => {
  it('never loses or duplicates a token, whatever order jobs complete in', () => {
    fc.assert(
      fc.property(blockArb, fc.array(fc.nat(), { minLength: 1, maxLength: 64 }), (root, choices) => {
        // given
        const { model, expected } = buildModel(root);
        const sim = new Sim(model);
        sim.start();
        // when: complete a randomly chosen open job until none is left
        let i = 0;
        for (let jobs = openJobs(sim.state); jobs.length > 0; jobs = openJobs(sim.state)) {
          const pick = jobs[(choices[i % choices.length] ?? 0) % jobs.length]!;
          i += 1;
          expect(sim.send({ type: 'jobCompleted', key: pick.key, variables: { [`v${i}`]: i } }).accepted).toBe(true);
          assertConsistent(sim.state);
        }
        // then
        sim.expectClean('completed');
        const done = sim.trace('elementCompleted');
        for (const [task, times] of expected) expect([task, done.filter((x) => x === task).length]).toEqual([task, times]);
        expect(sim.of('processCompleted')).toHaveLength(1);
        const activated = sim.trace('elementActivated').length;
        expect(done.length).toBe(activated);
      }),
      { numRuns: 300 },
    );
  });
});
