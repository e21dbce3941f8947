/**
 * The workflow-side work of one BPMN instance, measured outside Temporal: the evaluator's
 * `step` for each stimulus the instance gets, the view and snapshot the adapter builds after
 * each step, and the structured clone that carries each snapshot from the workflow thread to
 * the main thread (the sink). Recorded once by running the instance against a simulated
 * world (every job completes with its `variables.set` output, every timer fires), then each
 * part is repeated on its own so that its CPU time can be read.
 */
import v8 from 'node:v8';
import { initialState, step, type Command, type State, type Stimulus } from '../../processes/evaluator';
import { buildView } from '../../workflows/processInstance/view';
import type { ElementEvent, InstanceSnapshot, ProcessInstanceInput } from '../../workflows/processInstance/types';

interface Recorded {
  steps: Array<{ before: State; stimulus: Stimulus }>;
  snapshots: InstanceSnapshot[];
}

export interface AdapterCost {
  stimuliPerInstance: number;
  snapshotsPerInstance: number;
  snapshotJsonBytesPerInstance: number;
  modelJsonBytes: number;
  /** CPU µs per instance, in this (main) thread: the sandbox adds its own overhead on top. */
  stepUs: number;
  viewUs: number;
  cloneUs: number;
  /** Sum of results, so that no measured call can be optimised away. */
  checksum: number;
}

function snapshotOf(input: ProcessInstanceInput, state: State, sequence: number, events: ElementEvent[], time: number): InstanceSnapshot {
  return {
    ...buildView({ input, state, claims: {}, groups: {}, taskOpenedAt: {}, canceled: false, model: input.model, priorities: {} }),
    instanceId: 'pi-bench',
    sequence,
    updatedAt: time,
    closedTasks: [],
    events,
  };
}

function record(input: ProcessInstanceInput): Recorded {
  const out: Recorded = { steps: [], snapshots: [] };
  const queue: Stimulus[] = [{ type: 'start', variables: input.variables ?? {}, time: 1_700_000_000_000 }];
  let state = initialState(input.model);
  let eventCount = 0;
  while (queue.length > 0) {
    const stimulus = queue.shift()!;
    const result = step(input.model, state, stimulus);
    out.steps.push({ before: state, stimulus });
    state = result.state;
    const events: ElementEvent[] = [];
    for (const c of result.commands as Command[]) {
      if (c.type === 'executeJob') {
        queue.push({ type: 'jobCompleted', key: c.key, variables: (c.variables.variables ?? {}) as Record<string, unknown>, time: stimulus.time + 10 });
      } else if (c.type === 'startTimer') {
        queue.push({ type: 'timerFired', key: c.key, time: c.dueAt });
      } else if (c.type === 'elementActivated' || c.type === 'elementCompleted' || c.type === 'elementTerminated') {
        events.push({ index: eventCount++, elementId: c.elementId, elementType: c.elementType, event: c.type === 'elementActivated' ? 'activated' : c.type === 'elementCompleted' ? 'completed' : 'terminated', time: c.time });
      }
    }
    out.snapshots.push(snapshotOf(input, state, out.snapshots.length + 1, events, stimulus.time));
  }
  if (state.status !== 'completed') throw new Error(`simulated instance ended ${state.status}`);
  return out;
}

/** CPU µs per repetition of `body`, after a warm-up. */
function cpuPerRun(runs: number, body: () => void): number {
  for (let i = 0; i < Math.min(50, runs); i += 1) body();
  const before = process.cpuUsage();
  for (let i = 0; i < runs; i += 1) body();
  const used = process.cpuUsage(before);
  return (used.user + used.system) / runs;
}

export function measureAdapterCost(input: ProcessInstanceInput, runs = 500): AdapterCost {
  const rec = record(input);
  const states = rec.steps.map((s, i) => ({ state: rec.steps[i + 1]?.before ?? step(input.model, s.before, s.stimulus).state, time: s.stimulus.time }));
  let sink = 0;
  const stepUs = cpuPerRun(runs, () => {
    for (const s of rec.steps) sink += step(input.model, s.before, s.stimulus).commands.length;
  });
  const viewUs = cpuPerRun(runs, () => {
    states.forEach((s, i) => (sink += snapshotOf(input, s.state, i + 1, [], s.time).activeElements.length));
  });
  const cloneUs = cpuPerRun(runs, () => {
    for (const s of rec.snapshots) sink += (v8.deserialize(v8.serialize(s)) as InstanceSnapshot).sequence;
  });
  return {
    stimuliPerInstance: rec.steps.length,
    snapshotsPerInstance: rec.snapshots.length,
    snapshotJsonBytesPerInstance: rec.snapshots.reduce((n, s) => n + JSON.stringify(s).length, 0),
    modelJsonBytes: JSON.stringify(input.model).length,
    stepUs,
    viewUs,
    cloneUs,
    checksum: sink,
  };
}
