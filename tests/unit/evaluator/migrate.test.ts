/**
 * Migration of an instance's state to another version (Camunda 8 semantics): same ids map by
 * default, instructions map the rest; keys of instances, tasks and timers survive; refusals
 * name the element.
 */
import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import { compileBpmn } from '../../../processes/compiler';
import type { ProcessModel } from '../../../processes/model';
import { activeElements, dryRunMigration, migrate, openUserTasks, pendingTimers, step } from '../../../processes/evaluator';
import { Sim, T0 } from './harness';

async function fixture(name: string): Promise<ProcessModel> {
  const xml = readFileSync(join(__dirname, '..', '..', 'integration', 'fixtures', `${name}.bpmn`), 'utf8');
  const compiled = await compileBpmn(xml, { taskTypes: null });
  const model = compiled.document?.processes[0];
  if (!model) throw new Error(`${name} does not compile: ${JSON.stringify(compiled.problems)}`);
  return model;
}

describe('migrate', () => {
  let v1: ProcessModel;
  let v2: ProcessModel;
  beforeAll(async () => {
    v1 = await fixture('claim-review-v1');
    v2 = await fixture('claim-review-v2');
  });

  const at = (elementId: 'triage' | 'legacyCheck' | 'cooling' | 'decide') => {
    const sim = new Sim(v1);
    sim.send({ type: 'start', variables: { claim: 7 } });
    for (const next of ['triage', 'legacyCheck']) {
      if (elementId === next) return sim;
      const task = openUserTasks(sim.state)[0];
      sim.send({ type: 'userTaskCompleted', key: task?.key ?? '' });
    }
    if (elementId === 'cooling') return sim;
    const timer = pendingTimers(sim.state)[0];
    sim.send({ type: 'timerFired', key: timer?.key ?? '', time: timer?.dueAt ?? 0 });
    return sim;
  };

  it('maps a token at an element both versions have; the new model decides where it goes next', () => {
    const sim = at('triage');
    const task = openUserTasks(sim.state)[0];
    const result = migrate(v1, v2, sim.state, []);
    if (!result.ok) throw new Error(JSON.stringify(result.refusals));
    expect(openUserTasks(result.state)).toEqual(openUserTasks(sim.state));
    // completing the same task key in v2 skips the legacy check
    const next = step(v2, result.state, { type: 'userTaskCompleted', key: task?.key ?? '', time: T0 + 10 });
    expect(activeElements(next.state).map((e) => e.elementId)).toEqual(['cooling']);
  });

  it('keeps a long timer with its key and due time', () => {
    const sim = at('cooling');
    const result = migrate(v1, v2, sim.state);
    if (!result.ok) throw new Error(JSON.stringify(result.refusals));
    expect(pendingTimers(result.state)).toEqual(pendingTimers(sim.state));
    expect(pendingTimers(result.state)[0]?.dueAt).toBe(T0 + 3 * 24 * 3600_000);
  });

  it('maps a renamed element by instruction: same task key, new element id and type checked', () => {
    const sim = at('decide');
    const before = openUserTasks(sim.state)[0];
    expect(migrate(v1, v2, sim.state).ok).toBe(false);
    const result = migrate(v1, v2, sim.state, [{ sourceElementId: 'decide', targetElementId: 'assess' }]);
    if (!result.ok) throw new Error(JSON.stringify(result.refusals));
    expect(openUserTasks(result.state)).toEqual([{ ...before, elementId: 'assess' }]);
    expect(result.mapped.find((m) => m.from === 'decide')?.to).toBe('assess');
    expect(migrate(v1, v2, sim.state, [{ sourceElementId: 'decide', targetElementId: 'cooling' }])).toEqual({
      ok: false,
      refusals: [expect.objectContaining({ elementId: 'decide', reason: expect.stringContaining('of another type (bpmn:IntermediateCatchEvent)') })],
    });
  });

  it('refuses a token in an element the target lacks and no instruction maps, naming it', () => {
    const sim = at('legacyCheck');
    const result = migrate(v1, v2, sim.state);
    expect(result.ok).toBe(false);
    if (result.ok) return;
    expect(result.refusals.map((r) => r.elementId)).toContain('legacyCheck');
    expect(result.refusals[0]?.reason).toContain("'legacyCheck' does not exist in the target version and is not mapped");
    expect(migrate(v1, v2, sim.state, [{ sourceElementId: 'legacyCheck', targetElementId: 'nope' }])).toEqual({
      ok: false, refusals: [{ elementId: 'legacyCheck', reason: "mapping: target 'nope' is not an element of the target version" }],
    });
  });

  it('refuses another process and leaves the given state untouched', () => {
    const sim = at('triage');
    const before = JSON.stringify(sim.state);
    expect(migrate(v1, { ...v2, id: 'other' }, sim.state).ok).toBe(false);
    migrate(v1, v2, sim.state, [{ sourceElementId: 'triage', targetElementId: 'triage' }]);
    expect(JSON.stringify(sim.state)).toBe(before);
  });

  describe('dry run', () => {
    const pathOf = (sim: Sim) => sim.commands
      .filter((c) => c.type === 'elementActivated' || c.type === 'elementCompleted')
      .map((c) => ({ elementId: 'elementId' in c ? c.elementId : '', event: c.type === 'elementActivated' ? 'activated' : 'completed' }));

    it('reports a migratable instance with every task and timer mapped one-to-one, and where the recorded path diverges', () => {
      // given an instance that passed triage and the legacy check and waits on the 3-day timer
      const sim = at('cooling');
      // when the migration to v2 is tried without changing anything
      const report = dryRunMigration(v1, v2, sim.state, [], pathOf(sim));
      // then it is migratable, its timer keeps key and element, and the path through legacyCheck is named
      expect(report.migratable).toBe(true);
      expect(report.consistent).toBe(true);
      expect(report.reachable).toBe(true);
      expect(report.timers).toEqual([{ key: pendingTimers(sim.state)[0]?.key, from: 'cooling', to: 'cooling' }]);
      expect(report.divergences).toEqual([{ elementId: 'legacyCheck', message: expect.stringContaining("passed 'legacyCheck', which the target lacks") }]);
      expect(JSON.stringify(sim.state)).toBe(JSON.stringify(at('cooling').state));
    });

    it('names a recorded flow the target lacks between elements both versions have', () => {
      const sim = at('decide');
      const reversed = { ...v2, flows: v2.flows.map((f) => (f.id === 'f3' ? { ...f, sourceId: 'triage' } : f)) };
      reversed.elements = v2.elements.map((e) => (e.id === 'triage' ? { ...e, outgoing: [...e.outgoing, 'f3'] } : e.id === 'cooling' ? { ...e, outgoing: [] } : e));
      const report = dryRunMigration(v1, reversed, sim.state, [{ sourceElementId: 'decide', targetElementId: 'assess' }], pathOf(sim));
      expect(report.migratable).toBe(true);
      expect(report.divergences).toContainEqual({ elementId: 'decide', message: "the recorded path took flow 'f3' from 'cooling' to 'decide'; the target has no flow from 'cooling' to 'assess'" });
    });

    it('reports a refused instance with the element, and the task it could not map', () => {
      const sim = at('legacyCheck');
      const report = dryRunMigration(v1, v2, sim.state, [], pathOf(sim));
      expect(report.migratable).toBe(false);
      expect(report.consistent).toBe(false);
      expect(report.refusals.map((r) => r.elementId)).toContain('legacyCheck');
      expect(report.tasks).toEqual([{ key: openUserTasks(sim.state)[0]?.key, from: 'legacyCheck', to: null }]);
    });
  });
});
