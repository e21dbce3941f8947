/**
 * The what-if simulator (README.md): synthetic instances driven through the pure evaluator on a
 * virtual clock. Arrivals are a Poisson stream with the recorded mean interval; each wait the
 * evaluator opens (job, user task, message, child) is answered after a duration sampled from the
 * recorded history of that element; timers (SLA clocks' included) fire at their due time;
 * branches follow the recorded shares (steer.ts). Deterministic for a seed: one PRNG, consumed
 * in the queue's order, and the queue orders equal times by scheduling order.
 */
import { DEFAULT_EVALUATOR_LIMITS, start, step, type EvaluatorLimits } from '../evaluator';
import type { Command, State, Stimulus, Variables } from '../evaluator/types';
import type { ElementDef, ProcessModel } from '../model/types';
import { DepartmentTally, ElementTally, percentile, round } from './figures';
import { MessagePayloads } from './messagePayloads';
import { EventQueue } from './queue';
import { seededRandom, type Random } from './random';
import { STEERING_VARIABLE, steer, type Steering } from './steer';
import type { HistoryProfile, PolicyFigures, SimulationDefaults, SimulationOptions, SimulationResult } from './types';

/**
 * The evaluator's element limits, without its FEEL limits: those add the RE2 regex functions to
 * every FEEL context, and feelin's parse cost grows with the context's names. The draft was
 * compiled (the compiler refuses straight-through loops) and the server's worker thread has a
 * time limit.
 */
const SIMULATION_LIMITS = { ...DEFAULT_EVALUATOR_LIMITS, feel: undefined } as unknown as EvaluatorLimits;

export const DEFAULT_SIMULATION_DEFAULTS: SimulationDefaults = { waitMs: 4 * 3_600_000, jobMs: 1_000, variables: {} };
const WAITING_KINDS = new Set<ElementDef['kind']>(['userTask', 'receiveTask', 'intermediateCatchEvent', 'eventBasedGateway']);

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

interface Sim {
  state: State | null;
  startedAt: number;
  stimuli: number;
  /** Keys of the waits whose answer is queued and not withdrawn. */
  live: Set<string>;
  /** Open element instances by key. */
  open: Map<string, { elementId: string; at: number; breached: boolean }>;
  tasks: Map<string, { groups: string[]; at: number }>;
  breaches: number;
  done: boolean;
}

interface QueuedEvent {
  sim: number;
  /** null = the arrival (start). */
  stimulus: Stimulus | null;
  /** The wait this answers; skipped once withdrawn. */
  waitKey: string | null;
}

interface Context {
  model: ProcessModel;
  steering: Steering;
  random: Random;
  queue: EventQueue<QueuedEvent>;
  elements: ElementTally;
  departments: DepartmentTally;
  samples: Map<string, number[]>;
  byId: Map<string, ElementDef>;
  /** Targets of event-based gateways -> the gateway. */
  gatewayOf: Map<string, string>;
  /** Activity -> its error boundary events. */
  errorBoundaries: Map<string, Array<{ id: string; errorCode: string }>>;
  defaults: SimulationDefaults;
  /** The variables each simulated message carries (messagePayloads.ts). */
  payloads: MessagePayloads;
}

function sample(ctx: Context, elementId: string): number {
  const samples = ctx.samples.get(elementId);
  if (samples && samples.length > 0) return ctx.random.pick(samples);
  const kind = ctx.byId.get(elementId)?.kind;
  return kind && WAITING_KINDS.has(kind) ? ctx.defaults.waitMs : ctx.defaults.jobMs;
}

function schedule(ctx: Context, sim: Sim, index: number, at: number, stimulus: Stimulus, waitKey: string | null): void {
  if (waitKey !== null) sim.live.add(waitKey);
  ctx.queue.push(at, { sim: index, stimulus: { ...stimulus, time: at }, waitKey });
}

function onJob(ctx: Context, sim: Sim, index: number, now: number, c: Extract<Command, { type: 'executeJob' }>): void {
  // SLA notifications are fire and forget: the evaluator accepts no completion for them.
  if (c.key.startsWith('sla:')) return;
  const at = now + sample(ctx, c.elementId);
  let u = ctx.random.next();
  for (const boundary of ctx.errorBoundaries.get(c.elementId) ?? []) {
    u -= ctx.steering.share(boundary.id);
    if (u < 0) {
      schedule(ctx, sim, index, at, { type: 'jobThrewError', key: c.key, errorCode: boundary.errorCode, time: at }, c.key);
      return;
    }
  }
  schedule(ctx, sim, index, at, { type: 'jobCompleted', key: c.key, time: at }, c.key);
}

type Subscription = Extract<Command, { type: 'openMessageSubscription' }>;

function message(ctx: Context, sub: Subscription, at: number): Stimulus {
  return ctx.payloads.message(sub, at, ctx.random);
}

function onSubscription(ctx: Context, sim: Sim, index: number, now: number, sub: Subscription): void {
  const element = ctx.byId.get(sub.elementId);
  if (!element) return;
  if (element.kind === 'boundaryEvent' || element.kind === 'startEvent') {
    if (ctx.random.next() >= ctx.steering.share(element.id)) return;
    const span = element.kind === 'boundaryEvent' ? sample(ctx, element.attachedToId) : ctx.defaults.waitMs;
    const at = now + ctx.random.next() * span;
    schedule(ctx, sim, index, at, message(ctx, sub, at), sub.key);
    return;
  }
  const at = now + sample(ctx, sub.elementId);
  schedule(ctx, sim, index, at, message(ctx, sub, at), sub.key);
}

/** An event-based gateway's subscriptions and timers: the drawn event happens, the others are left to the timers. */
function onEventGateway(ctx: Context, sim: Sim, index: number, now: number, gatewayId: string, subs: Subscription[], timerDue: number | null): void {
  const chosen = ctx.steering.eventChoice(gatewayId, ctx.random);
  const sub = subs.find((s) => s.elementId === chosen);
  if (!sub) return;
  let at = now + sample(ctx, gatewayId);
  if (timerDue !== null) at = Math.max(now, Math.min(at, timerDue - 1));
  schedule(ctx, sim, index, at, message(ctx, sub, at), sub.key);
}

function handle(ctx: Context, sim: Sim, index: number, now: number, commands: Command[]): void {
  const gateways = new Map<string, { subs: Subscription[]; timerDue: number | null }>();
  const gatewayEntry = (id: string) => {
    let g = gateways.get(id);
    if (!g) gateways.set(id, (g = { subs: [], timerDue: null }));
    return g;
  };
  for (const c of commands) {
    switch (c.type) {
      case 'elementActivated':
        if (c.elementId === ctx.model.id) break;
        ctx.elements.activated(c.elementId);
        sim.open.set(c.key, { elementId: c.elementId, at: c.time, breached: false });
        break;
      case 'elementCompleted':
      case 'elementTerminated': {
        const open = sim.open.get(c.key);
        if (!open) break;
        sim.open.delete(c.key);
        ctx.elements.ended(open.elementId, c.type === 'elementCompleted' ? c.time - open.at : null, open.breached);
        break;
      }
      case 'executeJob':
        onJob(ctx, sim, index, now, c);
        break;
      case 'startTimer': {
        schedule(ctx, sim, index, Math.max(now, c.dueAt), { type: 'timerFired', key: c.key, time: c.dueAt }, c.key);
        const gw = ctx.gatewayOf.get(c.elementId);
        if (gw) {
          const g = gatewayEntry(gw);
          g.timerDue = g.timerDue === null ? c.dueAt : Math.min(g.timerDue, c.dueAt);
        }
        break;
      }
      case 'openUserTask': {
        const at = now + sample(ctx, c.elementId);
        schedule(ctx, sim, index, at, { type: 'userTaskCompleted', key: c.key, time: at }, c.key);
        const groups = c.candidateGroups.length > 0 ? c.candidateGroups : ['(no group)'];
        sim.tasks.set(c.key, { groups, at: now });
        ctx.departments.opened(groups, now);
        break;
      }
      case 'closeUserTask': {
        sim.live.delete(c.key);
        const task = sim.tasks.get(c.key);
        if (!task) break;
        sim.tasks.delete(c.key);
        ctx.departments.closed(task.groups, task.at, now);
        break;
      }
      case 'reassignTasks':
        if (c.group === null) break;
        for (const key of c.taskKeys) {
          const task = sim.tasks.get(key);
          if (!task) continue;
          ctx.departments.closed(task.groups, task.at, now);
          task.groups = [c.group];
          task.at = now;
          ctx.departments.opened(task.groups, now);
        }
        break;
      case 'openMessageSubscription': {
        const gw = ctx.gatewayOf.get(c.elementId);
        if (gw) gatewayEntry(gw).subs.push(c);
        else onSubscription(ctx, sim, index, now, c);
        break;
      }
      case 'startChildProcess': {
        const at = now + sample(ctx, c.elementId);
        schedule(ctx, sim, index, at, { type: 'childCompleted', key: c.key, time: at }, c.key);
        break;
      }
      case 'cancelJob':
      case 'cancelTimer':
      case 'closeMessageSubscription':
      case 'cancelChildProcess':
        sim.live.delete(c.key);
        break;
      case 'raiseIncident':
        ctx.elements.incident(c.incident.elementId, c.incident.message);
        break;
      case 'processCompleted':
      case 'processTerminated':
        sim.done = true;
        break;
      default:
        break;
    }
  }
  for (const [gatewayId, g] of gateways) onEventGateway(ctx, sim, index, now, gatewayId, g.subs, g.timerDue);
}

function contextFor(model: ProcessModel, profile: HistoryProfile, options: SimulationOptions): Context {
  const steering = steer(model, profile);
  const byId = new Map(model.elements.map((e) => [e.id, e]));
  const gatewayOf = new Map<string, string>();
  for (const flow of model.flows) if (byId.get(flow.sourceId)?.kind === 'eventBasedGateway') gatewayOf.set(flow.targetId, flow.sourceId);
  const errorBoundaries = new Map<string, Array<{ id: string; errorCode: string }>>();
  for (const e of model.elements) {
    if (e.kind !== 'boundaryEvent' || e.trigger.type !== 'error') continue;
    errorBoundaries.set(e.attachedToId, [...(errorBoundaries.get(e.attachedToId) ?? []), { id: e.id, errorCode: e.trigger.errorCode ?? 'SIMULATED_ERROR' }]);
  }
  const defaults = { ...DEFAULT_SIMULATION_DEFAULTS, ...options.defaults };
  return {
    model: steering.model,
    steering,
    random: seededRandom(options.seed),
    queue: new EventQueue<QueuedEvent>(),
    elements: new ElementTally(),
    departments: new DepartmentTally(),
    samples: new Map(profile.durations.map((d) => [d.elementId, d.samplesMs])),
    byId,
    gatewayOf,
    errorBoundaries,
    defaults,
    payloads: new MessagePayloads(model, profile, defaults.variables),
  };
}

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

function summarize(ctx: Context, model: ProcessModel, options: SimulationOptions, sims: Sim[], cycleTimes: number[], stimuli: number, last: number): SimulationResult {
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
