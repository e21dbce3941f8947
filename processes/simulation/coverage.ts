/**
 * Diagram coverage: which elements and sequence flows of a process the given instances took
 * (docs/operations.md, "Diagram coverage"). Elements count when activated; flows are inferred
 * from the element events (flows.ts).
 */
import type { ProcessModel } from '../model/types';
import { elementActivations, flowsTaken, type ElementEventRow } from './flows';

export interface DiagramCoverage {
  processId: string;
  instances: number;
  elements: { total: number; taken: number; percent: number; untaken: string[] };
  flows: { total: number; taken: number; percent: number; untaken: string[] };
  /** Times each element was activated / each flow taken (ids of this model only). */
  elementCounts: Array<{ id: string; count: number }>;
  flowCounts: Array<{ id: string; count: number }>;
}

/** Accumulates instances' events, then reports against the model. */
export class CoverageCounter {
  private readonly elements = new Map<string, number>();
  private readonly flows = new Map<string, number>();
  private instances = 0;

  constructor(private readonly model: ProcessModel) {}

  /** The events of one instance (any order; sorted by index). */
  addInstance(events: readonly ElementEventRow[]): void {
    this.instances++;
    elementActivations(events, this.elements);
    flowsTaken(this.model, events, this.flows);
  }

  report(): DiagramCoverage {
    const part = (ids: string[], counts: Map<string, number>) => {
      const untaken = ids.filter((id) => !counts.has(id));
      const taken = ids.length - untaken.length;
      return { total: ids.length, taken, percent: ids.length === 0 ? 100 : Math.floor((taken / ids.length) * 1000) / 10, untaken };
    };
    const elementIds = this.model.elements.map((e) => e.id);
    const flowIds = this.model.flows.map((f) => f.id);
    return {
      processId: this.model.id,
      instances: this.instances,
      elements: part(elementIds, this.elements),
      flows: part(flowIds, this.flows),
      elementCounts: elementIds.map((id) => ({ id, count: this.elements.get(id) ?? 0 })),
      flowCounts: flowIds.map((id) => ({ id, count: this.flows.get(id) ?? 0 })),
    };
  }
}

/** `bpmn_coverage_<process>: N %` and the untaken ids, as the CI log and the command print them. */
export function formatCoverage(c: DiagramCoverage): string[] {
  const both = c.elements.total + c.flows.total;
  const percent = both === 0 ? 100 : Math.floor(((c.elements.taken + c.flows.taken) / both) * 1000) / 10;
  const lines = [
    `bpmn_coverage_${c.processId}: ${percent} %`,
    `  elements ${c.elements.taken}/${c.elements.total} (${c.elements.percent} %), flows ${c.flows.taken}/${c.flows.total} (${c.flows.percent} %), from ${c.instances} instances`,
  ];
  if (c.elements.untaken.length) lines.push(`  untaken elements: ${c.elements.untaken.join(', ')}`);
  if (c.flows.untaken.length) lines.push(`  untaken flows: ${c.flows.untaken.join(', ')}`);
  return lines;
}
