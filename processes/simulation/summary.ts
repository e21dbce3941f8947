/** The figures of a simulation run: completions, cycle times, breach rates, per element and department. */
import type { ElementDef, ProcessModel } from '../model/types';
import type { Context, Sim } from './context';
import { percentile, round } from './figures';
import type { PolicyFigures, SimulationOptions, SimulationResult } from './types';

/** Elements the simulator answers after a sampled duration. */
function waitsOutside(e: ElementDef): boolean {
  switch (e.kind) {
    case 'userTask':
    case 'receiveTask':
    case 'serviceTask':
    case 'callActivity':
    case 'eventBasedGateway':
      return true;
    case 'intermediateCatchEvent':
      return e.trigger.type === 'message';
    case 'endEvent':
    case 'intermediateThrowEvent':
      return e.result.type === 'message' && e.result.job !== undefined;
    default:
      return false;
  }
}

export function summarize(ctx: Context, model: ProcessModel, options: SimulationOptions, sims: Sim[], cycleTimes: number[], stimuli: number, last: number): SimulationResult {
  const policies = new Map<string, PolicyFigures>((model.sla?.policies ?? []).map((p) => [p.id, { policyId: p.id, clocks: 0, breached: 0, breachRate: 0 }]));
  let breachedInstances = 0;
  let completed = 0;
  for (const sim of sims) {
    if (sim.state?.status === 'completed') completed++;
    if (sim.breaches > 0) breachedInstances++;
    for (const clock of sim.state?.sla?.clocks ?? []) {
      const p = policies.get(clock.policyId);
      if (!p) continue;
      p.clocks++;
      if (clock.breach) p.breached++;
    }
  }
  for (const p of policies.values()) p.breachRate = p.clocks === 0 ? 0 : round(p.breached / p.clocks);
  const sorted = cycleTimes.sort((a, b) => a - b);
  const spanMs = last - options.startAt;
  const estimated = new Set([...ctx.steering.estimated, ...ctx.payloads.estimated]);
  for (const e of model.elements) if (waitsOutside(e) && !ctx.samples.get(e.id)?.length) estimated.add(e.id);
  return {
    processId: model.id,
    seed: options.seed,
    count: options.count,
    completed,
    stuck: sims.length - completed,
    overall: { p50Ms: percentile(sorted, 50), p90Ms: percentile(sorted, 90), breachRate: sims.length === 0 ? 0 : round(breachedInstances / sims.length) },
    policies: [...policies.values()],
    elements: ctx.elements.figures(model.elements.map((e) => e.id)),
    departments: ctx.departments.figures(spanMs, last),
    spanMs,
    estimated: model.elements.map((e) => e.id).filter((id) => estimated.has(id)),
    stimuli,
  };
}
