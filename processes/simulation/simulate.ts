/**
 * The what-if simulator (README.md): synthetic instances driven through the pure evaluator on a
 * virtual clock. Arrivals are a Poisson stream with the recorded mean interval; each wait the
 * evaluator opens (job, user task, message, child) is answered after a duration sampled from the
 * recorded history of that element; timers (SLA clocks' included) fire at their due time;
 * branches follow the recorded shares (steer.ts). Deterministic for a seed: one PRNG, consumed
 * in the queue's order, and the queue orders equal times by scheduling order.
 */
import { DEFAULT_EVALUATOR_LIMITS, start, step, type EvaluatorLimits } from '../evaluator';
import type { Variables } from '../evaluator/types';
import type { ProcessModel } from '../model/types';
import { contextFor, type Sim } from './context';
import { handle } from './outside';
import { STEERING_VARIABLE } from './steer';
import { summarize } from './summary';
import type { HistoryProfile, SimulationOptions, SimulationResult } from './types';

export { DEFAULT_SIMULATION_DEFAULTS } from './context';

/**
 * The evaluator's element limits, without its FEEL limits: those add the RE2 regex functions to
 * every FEEL context, and feelin's parse cost grows with the context's names. The draft was
 * compiled (the compiler refuses straight-through loops) and the server's worker thread has a
 * time limit.
 */
const SIMULATION_LIMITS = { ...DEFAULT_EVALUATOR_LIMITS, feel: undefined } as unknown as EvaluatorLimits;

/** Runs `options.count` synthetic instances of `model` with the shares and durations of `profile`. */
export function simulate(model: ProcessModel, profile: HistoryProfile, options: SimulationOptions): SimulationResult {
  const ctx = contextFor(model, profile, options);
  const maxStimuli = options.maxStimuliPerInstance ?? 500;
  const sims: Sim[] = [];
  let t = options.startAt;
  const interval = Math.max(1, profile.meanArrivalIntervalMs);
  for (let i = 0; i < options.count; i++) {
    sims.push({ state: null, startedAt: t, stimuli: 0, live: new Set(), open: new Map(), tasks: new Map(), breaches: 0, done: false });
    ctx.queue.push(t, { sim: i, stimulus: null, waitKey: null });
    t += ctx.random.exponential(interval);
  }
  const cycleTimes: number[] = [];
  let stimuli = 0;
  let last = options.startAt;
  for (let event = ctx.queue.pop(); event; event = ctx.queue.pop()) {
    const { sim: index, stimulus, waitKey } = event.item;
    const sim = sims[index]!;
    const now = event.time;
    let result;
    if (stimulus === null) {
      const base = profile.startVariables.length > 0 ? ctx.random.pick(profile.startVariables) : {};
      const variables: Variables = { ...ctx.defaults.variables, ...base, [STEERING_VARIABLE]: ctx.steering.draw(ctx.random) };
      result = start(ctx.model, { time: now, variables }, SIMULATION_LIMITS);
    } else {
      if (sim.done || !sim.state || (waitKey !== null && !sim.live.has(waitKey))) continue;
      if (waitKey !== null) sim.live.delete(waitKey);
      if (sim.stimuli >= maxStimuli) {
        sim.done = true;
        continue;
      }
      const root = sim.state.rootKey === null ? undefined : sim.state.instances[sim.state.rootKey];
      if (root) root.variables[STEERING_VARIABLE] = ctx.steering.draw(ctx.random);
      // The simulator keeps only the latest state: handed over, not copied (the copy was a third of the time).
      result = step(ctx.model, sim.state, stimulus, SIMULATION_LIMITS, true);
    }
    stimuli++;
    sim.stimuli++;
    last = now;
    if (!result.accepted) continue;
    sim.state = result.state;
    handle(ctx, sim, index, now, result.commands);
    const clocks = result.state.sla?.clocks;
    if (clocks) {
      let breached = 0;
      for (const clock of clocks) if (clock.breach) breached++;
      if (breached > sim.breaches) {
        sim.breaches = breached;
        for (const open of sim.open.values()) open.breached = true;
      }
    }
    if (sim.done && result.state.status === 'completed') cycleTimes.push(now - sim.startedAt);
  }
  return summarize(ctx, model, options, sims, cycleTimes, stimuli, last);
}
