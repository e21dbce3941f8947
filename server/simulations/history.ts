/**
 * The recorded history the simulator and the coverage report read: the instances of one
 * definition (version) started in a period, from the `instances` and `element_events`
 * projections (decision 0011). Bounded: the newest `maxInstances`, read in chunks of ids.
 */
import { trusted } from 'mongoose';
import type { ProcessModel } from '../../processes/model';
import { CoverageCounter, elementActivations, flowsTaken, payloadNames, type DiagramCoverage, type ElementEventRow, type HistoryProfile } from '../../processes/simulation';
import type { Variables } from '../../processes/evaluator';
import type { ElementEventRecord, ProjectionModels } from '../projections/models';
import { elementDurations } from '../sla/heatmap';

export interface HistoryQuery {
  definitionKey: string;
  /** Absent: every version. */
  version?: number;
  from: Date;
  to: Date;
}

type EventRow = Pick<ElementEventRecord, 'instanceId' | 'index' | 'elementId' | 'elementType' | 'event' | 'time'>;
interface InstanceRow { _id: string; startedAt?: Date; variables?: Variables }

const CHUNK = 2000;
const SAMPLES_PER_ELEMENT = 1000;
const START_VARIABLE_SETS = 200;

/** Calls `each` with every instance's events (and the instance), newest instances first. */
async function eachInstance(models: ProjectionModels, q: HistoryQuery, maxInstances: number, withVariables: boolean,
  each: (instance: InstanceRow, events: EventRow[]) => void): Promise<InstanceRow[]> {
  const filter = {
    definitionKey: q.definitionKey,
    ...(q.version !== undefined ? { definitionVersion: q.version } : {}),
    startedAt: trusted({ $gte: q.from, $lt: q.to }),
  };
  const projection = withVariables ? { _id: 1, startedAt: 1, variables: 1 } : { _id: 1, startedAt: 1 };
  const found = await models.instances.find(filter, projection).sort({ startedAt: -1, _id: 1 }).limit(maxInstances).lean<InstanceRow[]>();
  for (let i = 0; i < found.length; i += CHUNK) {
    const chunk = found.slice(i, i + CHUNK);
    const events = await models.elementEvents
      .find({ instanceId: trusted({ $in: chunk.map((c) => c._id) }) }, { instanceId: 1, index: 1, elementId: 1, elementType: 1, event: 1, time: 1 })
      .lean<EventRow[]>();
    const perInstance = new Map<string, EventRow[]>();
    for (const e of events) {
      const list = perInstance.get(e.instanceId);
      if (list) list.push(e);
      else perInstance.set(e.instanceId, [e]);
    }
    for (const instance of chunk) each(instance, perInstance.get(instance._id) ?? []);
  }
  return found;
}

/** Scalars only: what timers and SLA targets read (severity, tier, timeouts, ids); no nested personal records. */
function scalarVariables(variables: Variables | undefined): Variables {
  const out: Variables = {};
  for (const [name, value] of Object.entries(variables ?? {})) {
    if (value === null || ['string', 'number', 'boolean'].includes(typeof value)) Object.defineProperty(out, name, { value, enumerable: true, writable: true, configurable: true });
  }
  return out;
}

/**
 * A message's recorded payload, recovered from the variables its element's output mappings
 * wrote (`=department` -> `broughtIn`: the instance's `broughtIn` was the message's
 * `department`). Scalars only, as for start variables; null when nothing was recovered.
 */
function messagePayload(names: ReturnType<typeof payloadNames>, variables: Variables | undefined): Variables | null {
  const payload: Variables = {};
  let found = false;
  for (const { name, target } of names) {
    const value = variables && Object.hasOwn(variables, target) ? variables[target] : undefined;
    if (value === undefined || (value !== null && !['string', 'number', 'boolean'].includes(typeof value))) continue;
    Object.defineProperty(payload, name, { value, enumerable: true, writable: true, configurable: true });
    found = true;
  }
  return found ? payload : null;
}

/** Durations, activations, flow counts, arrival rate, start variables and message payloads of the recorded instances. */
export async function historyProfile(models: ProjectionModels, model: ProcessModel, q: HistoryQuery, maxInstances: number): Promise<HistoryProfile> {
  const durations = new Map<string, { type: string; durations: number[] }>();
  const activations = new Map<string, number>();
  const flows = new Map<string, number>();
  const startVariables: Variables[] = [];
  const messageElements = model.elements.map((e) => ({ id: e.id, names: payloadNames(e) })).filter((m) => m.names.length > 0);
  const messages = new Map<string, Variables[]>();
  const found = await eachInstance(models, q, maxInstances, true, (instance, events) => {
    for (const m of messageElements) {
      const samples = messages.get(m.id) ?? [];
      if (samples.length >= START_VARIABLE_SETS || !events.some((e) => e.elementId === m.id && e.event === 'activated')) continue;
      const payload = messagePayload(m.names, instance.variables);
      if (payload) messages.set(m.id, [...samples, payload]);
    }
    elementDurations(events, durations);
    elementActivations(events as ElementEventRow[], activations);
    flowsTaken(model, events as ElementEventRow[], flows);
    if (startVariables.length < START_VARIABLE_SETS) startVariables.push(scalarVariables(instance.variables));
  });
  const starts = found.map((i) => (i.startedAt ? new Date(i.startedAt).getTime() : NaN)).filter(Number.isFinite).sort((a, b) => a - b);
  const meanArrivalIntervalMs = starts.length >= 2 ? (starts[starts.length - 1]! - starts[0]!) / (starts.length - 1) : 3_600_000;
  return {
    instances: found.length,
    durations: [...durations].map(([elementId, d]) => ({ elementId, samplesMs: d.durations.slice(-SAMPLES_PER_ELEMENT) })),
    activations: [...activations].map(([elementId, count]) => ({ elementId, count })),
    flows: [...flows].map(([flowId, count]) => ({ flowId, count })),
    meanArrivalIntervalMs: Math.max(1000, meanArrivalIntervalMs),
    startVariables,
    messages: [...messages].map(([elementId, samples]) => ({ elementId, samples })),
  };
}

/** Which elements and flows of `model` the instances of the query took. */
export async function historyCoverage(models: ProjectionModels, model: ProcessModel, q: HistoryQuery, maxInstances: number): Promise<DiagramCoverage> {
  const counter = new CoverageCounter(model);
  await eachInstance(models, q, maxInstances, false, (_instance, events) => counter.addInstance(events as ElementEventRow[]));
  return counter.report();
}
