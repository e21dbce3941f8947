import { compileBpmn } from '../../../processes/compiler';
import { DEFAULT_EVALUATOR_LIMITS, openUserTasks, type EvaluatorLimits } from '../../../processes/evaluator';
import type { ProcessModel } from '../../../processes/model';
import { loadModel, Sim } from './harness';

const NS = 'xmlns:bpmn="http://www.omg.org/spec/BPMN/20100524/MODEL" xmlns:zeebe="http://camunda.org/schema/zeebe/1.0"';

async function model(body: string): Promise<ProcessModel> {
  const result = await compileBpmn(`<bpmn:definitions ${NS} id="D" targetNamespace="t"><bpmn:process id="p" isExecutable="true">${body}</bpmn:process></bpmn:definitions>`, { taskTypes: null });
  if (!result.ok) throw new Error(JSON.stringify(result.problems));
  return result.document!.processes[0]!;
}

const limits = (over: Partial<EvaluatorLimits>): EvaluatorLimits => ({ ...DEFAULT_EVALUATOR_LIMITS, ...over });

/** start -> script -> gateway -> (default) back to script: what issue 12 deployed before the compiler refused it. */
async function runawayLoop(): Promise<ProcessModel> {
  // The compiler refuses this loop now; a version deployed before that still runs. Built from
  // a loop through a user task whose wait is then taken away (the model a runaway had).
  const m = await model(`
    <bpmn:startEvent id="Start" />
    <bpmn:scriptTask id="Count"><bpmn:extensionElements><zeebe:script expression="=1" resultVariable="n" /></bpmn:extensionElements></bpmn:scriptTask>
    <bpmn:exclusiveGateway id="Again" default="Back" />
    <bpmn:task id="Wait" />
    <bpmn:userTask id="Held" />
    <bpmn:endEvent id="End" />
    <bpmn:sequenceFlow id="F1" sourceRef="Start" targetRef="Count" />
    <bpmn:sequenceFlow id="F2" sourceRef="Count" targetRef="Again" />
    <bpmn:sequenceFlow id="Back" sourceRef="Again" targetRef="Held" />
    <bpmn:sequenceFlow id="F3" sourceRef="Held" targetRef="Count" />
    <bpmn:sequenceFlow id="Out" sourceRef="Again" targetRef="End"><bpmn:conditionExpression>=n &gt; 1</bpmn:conditionExpression></bpmn:sequenceFlow>`);
  return { ...m, elements: m.elements.map((e) => (e.id === 'Held' ? { ...e, kind: 'task', bpmnType: 'bpmn:Task' } as typeof e : e)) };
}

describe('execution limits in the evaluator', () => {
  it('stops a runaway loop with an incident on the element once the step budget is spent', async () => {
    const sim = new Sim(await runawayLoop(), limits({ maxActivationsPerStep: 500 }));
    const result = sim.start();
    expect(result.accepted).toBe(true);
    expect(sim.incidents()).toHaveLength(1);
    const [incident] = sim.state.incidents ? Object.values(sim.state.incidents) : [];
    expect(incident).toMatchObject({ type: 'LIMIT_EXCEEDED', message: expect.stringMatching(/more than 500 element activations without waiting/) });
    expect(['Count', 'Again', 'Held']).toContain(incident!.elementId);
    expect(sim.state.status).toBe('active');
    // resolving runs it again with a fresh budget, and it stops again
    const again = sim.resolve(incident!.elementId);
    expect(again.accepted).toBe(true);
    expect(sim.incidents()).toHaveLength(1);
    expect(sim.of('raiseIncident')).toHaveLength(2);
  });

  it('leaves a long chain alone below the budget and lets it continue after an incident above it', async () => {
    const tasks = Array.from({ length: 30 }, (_, i) => `<bpmn:task id="T${i}" />`).join('');
    const flows = Array.from({ length: 29 }, (_, i) => `<bpmn:sequenceFlow id="F${i}" sourceRef="T${i}" targetRef="T${i + 1}" />`).join('');
    const m = await model(`<bpmn:startEvent id="S" />${tasks}<bpmn:endEvent id="E" />${flows}
      <bpmn:sequenceFlow id="In" sourceRef="S" targetRef="T0" /><bpmn:sequenceFlow id="Out" sourceRef="T29" targetRef="E" />`);
    const roomy = new Sim(m, limits({ maxActivationsPerStep: 100 }));
    roomy.start();
    roomy.expectClean();
    const tight = new Sim(m, limits({ maxActivationsPerStep: 20 }));
    tight.start();
    expect(tight.incidents()).toEqual([{ type: 'LIMIT_EXCEEDED', elementId: 'T19' }]);
    tight.resolve('T19');
    tight.expectClean();
  });

  it('refuses a multi-instance collection over the cardinality limit on the body', async () => {
    const sim = new Sim(await loadModel('mi-parallel'), limits({ maxMultiInstanceCardinality: 3 }));
    sim.start({ reviewers: ['a', 'b', 'c', 'd'] });
    expect(sim.incidents()).toEqual([{ type: 'LIMIT_EXCEEDED', elementId: 'vote' }]);
    expect(Object.values(sim.state.incidents)[0]!.message).toBe('input collection has 4 items; the multi-instance limit is 3');
    expect(openUserTasks(sim.state)).toEqual([]);
    // unbounded (a history recorded before the limits) it opens them all, as before
    const before = new Sim(await loadModel('mi-parallel'));
    before.start({ reviewers: ['a', 'b', 'c', 'd'] });
    expect(openUserTasks(before.state)).toHaveLength(4);
  });

  it('bounds parallel fan-out: no more live element instances than the limit', async () => {
    const sim = new Sim(await loadModel('mi-parallel'), limits({ maxLiveInstances: 10 }));
    sim.start({ reviewers: Array.from({ length: 20 }, (_, i) => `r${i}`) });
    expect(openUserTasks(sim.state).length).toBeLessThan(10);
    expect(sim.incidents().length).toBeGreaterThan(0);
    expect(new Set(sim.incidents().map((i) => `${i.type}@${i.elementId}`))).toEqual(new Set(['LIMIT_EXCEEDED@vote']));
  });

  it('turns FEEL over its limits into an incident naming the element', async () => {
    const script = (expr: string) => model(`<bpmn:startEvent id="S" />
      <bpmn:scriptTask id="Work"><bpmn:extensionElements><zeebe:script expression="${expr}" resultVariable="r" /></bpmn:extensionElements></bpmn:scriptTask>
      <bpmn:endEvent id="E" /><bpmn:sequenceFlow id="A" sourceRef="S" targetRef="Work" /><bpmn:sequenceFlow id="B" sourceRef="Work" targetRef="E" />`);
    const cases: Array<[string, Record<string, unknown>, RegExp]> = [
      ['=for x in 1..n return x', { n: 100_000_000 }, /would iterate 100000000 times; the limit is 100000/],
      ['=for x in 1..n, y in 1..n return x', { n: 1000 }, /would iterate 1000000 times/],
      ['=some x in 0..n satisfies x &lt; 0', { n: 1e9 }, /would iterate/],
      ['=string join(for x in xs return s, &quot;&quot;)', { xs: Array.from({ length: 50 }, () => 0), s: 'x'.repeat(30_000) }, /string of 1500000 characters; the limit is 1000000/],
    ];
    for (const [expr, vars, message] of cases) {
      const sim = new Sim(await script(expr), DEFAULT_EVALUATOR_LIMITS);
      sim.start(vars);
      expect(sim.incidents()).toEqual([{ type: 'EXTRACT_VALUE_ERROR', elementId: 'Work' }]);
      expect(Object.values(sim.state.incidents)[0]!.message).toMatch(message);
    }
  });
});

describe('timer frequency at run time', () => {
  it('turns a FEEL cycle shorter than the minimum into an incident on the event; a cycle above it is armed', async () => {
    const m = await model(`<bpmn:startEvent id="S" /><bpmn:userTask id="Work" name="w" />
      <bpmn:boundaryEvent id="Nag" attachedToRef="Work" cancelActivity="false"><bpmn:timerEventDefinition><bpmn:timeCycle>=nagCycle</bpmn:timeCycle></bpmn:timerEventDefinition></bpmn:boundaryEvent>
      <bpmn:endEvent id="E" /><bpmn:endEvent id="E2" />
      <bpmn:sequenceFlow id="A" sourceRef="S" targetRef="Work" /><bpmn:sequenceFlow id="B" sourceRef="Work" targetRef="E" /><bpmn:sequenceFlow id="C" sourceRef="Nag" targetRef="E2" />`);
    const sim = new Sim(m, DEFAULT_EVALUATOR_LIMITS);
    sim.start({ nagCycle: 'R/PT0.001S' });
    expect(sim.incidents()).toHaveLength(1);
    expect(Object.values(sim.state.incidents)[0]!.message).toMatch(/limit exceeded: timer cycle 'R\/PT0.001S' repeats every 1 ms; the shortest interval allowed is 1000 ms/);
    expect(sim.timers()).toEqual([]);
    const ok = new Sim(m, DEFAULT_EVALUATOR_LIMITS);
    ok.start({ nagCycle: 'R/PT5M' });
    expect(ok.incidents()).toEqual([]);
    expect(ok.timers()).toHaveLength(1);
  });
});
