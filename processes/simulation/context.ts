/**
 * The simulator's working set: the run's context (the model as steered, the PRNG, the event
 * queue, the tallies, the recorded durations and the lookups of the model) and each synthetic
 * instance's own (`Sim`); how a duration is sampled and how an answer is queued.
 */
import type { State, Stimulus } from '../evaluator/types';
import type { ElementDef, ProcessModel } from '../model/types';
import { DepartmentTally, ElementTally } from './figures';
import { MessagePayloads } from './messagePayloads';
import { EventQueue } from './queue';
import { seededRandom, type Random } from './random';
import { steer, type Steering } from './steer';
import type { HistoryProfile, SimulationDefaults, SimulationOptions } from './types';

export const DEFAULT_SIMULATION_DEFAULTS: SimulationDefaults = { waitMs: 4 * 3_600_000, jobMs: 1_000, variables: {} };
const WAITING_KINDS = new Set<ElementDef['kind']>(['userTask', 'receiveTask', 'intermediateCatchEvent', 'eventBasedGateway']);

export interface Sim {
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

export interface QueuedEvent {
  sim: number;
  /** null = the arrival (start). */
  stimulus: Stimulus | null;
  /** The wait this answers; skipped once withdrawn. */
  waitKey: string | null;
}

export interface Context {
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

export function sample(ctx: Context, elementId: string): number {
  const samples = ctx.samples.get(elementId);
  if (samples && samples.length > 0) return ctx.random.pick(samples);
  const kind = ctx.byId.get(elementId)?.kind;
  return kind && WAITING_KINDS.has(kind) ? ctx.defaults.waitMs : ctx.defaults.jobMs;
}

export function schedule(ctx: Context, sim: Sim, index: number, at: number, stimulus: Stimulus, waitKey: string | null): void {
  if (waitKey !== null) sim.live.add(waitKey);
  ctx.queue.push(at, { sim: index, stimulus: { ...stimulus, time: at }, waitKey });
}

export function contextFor(model: ProcessModel, profile: HistoryProfile, options: SimulationOptions): Context {
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
