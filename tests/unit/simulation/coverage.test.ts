import { CoverageCounter, flowsTaken, formatCoverage, type ElementEventRow } from '../../../processes/simulation';
import type { ProcessModel } from '../../../processes/model';
import { compileOne, ROUTING_XML, shippedXml } from './fixtures';

/** The events of one run through the given elements, each activated then completed. */
function run(...ids: string[]): ElementEventRow[] {
  return ids.flatMap((elementId, i) => [
    { elementId, event: 'activated', index: 2 * i },
    { elementId, event: 'completed', index: 2 * i + 1 },
  ]);
}

describe('diagram coverage', () => {
  let routing: ProcessModel;
  beforeAll(async () => {
    routing = await compileOne(ROUTING_XML);
  });

  it('infers the flows an instance took from its element events', () => {
    // when
    const taken = flowsTaken(routing, run('Start', 'Check', 'Route', 'Letter', 'Merge', 'End'));
    // then
    expect(Object.fromEntries(taken)).toEqual({ s1: 1, s2: 1, Normal: 1, s4: 1, s5: 1 });
  });

  it('reports the elements and flows no instance took', () => {
    // given
    const counter = new CoverageCounter(routing);
    // when
    counter.addInstance(run('Start', 'Check', 'Route', 'Call', 'Merge', 'End'));
    const report = counter.report();
    // then
    expect(report.elements).toEqual({ total: 7, taken: 6, percent: 85.7, untaken: ['Letter'] });
    expect(report.flows).toEqual({ total: 7, taken: 5, percent: 71.4, untaken: ['Normal', 's4'] });
    expect(formatCoverage(report)).toEqual([
      'bpmn_coverage_p: 78.5 %',
      '  elements 6/7 (85.7 %), flows 5/7 (71.4 %), from 1 instances',
      '  untaken elements: Letter',
      '  untaken flows: Normal, s4',
    ]);
  });

  it('reaches 100 % when both branches were taken', () => {
    // given
    const counter = new CoverageCounter(routing);
    // when
    counter.addInstance(run('Start', 'Check', 'Route', 'Call', 'Merge', 'End'));
    counter.addInstance(run('Start', 'Check', 'Route', 'Letter', 'Merge', 'End'));
    // then
    expect(formatCoverage(counter.report())[0]).toBe('bpmn_coverage_p: 100 %');
  });

  it('withdraws the other flows of an exclusive gateway once it passed one', async () => {
    // given: the shipped process; a boundary event's path joins the main path at CloseMerge
    const shipped = await compileOne(shippedXml('complaint-handling.bpmn'));
    const events: ElementEventRow[] = [
      ...run('Satisfied'),
      { elementId: 'ReopenMerge', event: 'activated', index: 10 },
      { elementId: 'ReopenMerge', event: 'completed', index: 11 },
      ...run('NoEvaluation', 'RecordNoEvaluation', 'CloseMerge').map((e) => ({ ...e, index: e.index + 20 })),
    ];
    // when
    const taken = flowsTaken(shipped, events);
    // then: Satisfied's other flow (SatisfiedYes to CloseMerge) was withdrawn when it passed NotSatisfied
    expect(Object.fromEntries(taken)).toEqual({ NotSatisfied: 1, f21: 1, f22: 1 });
  });
});
