import { performance } from 'node:perf_hooks';
import { EventEmitter } from 'node:events';
import { BpmnModdle } from 'bpmn-moddle';
import { Engine } from 'bpmn-engine';
import { initialState, step } from '../processes/evaluator';
import type { Command, Stimulus } from '../processes/evaluator';
import type { ProcessModel } from '../processes/model';

export interface RunResult {
  /** Flow nodes completed (start, tasks, gateways, end; not the process itself). */
  completions: number;
  /** Stimuli fed to step() (ours) — start plus one per job. */
  steps: number;
  ms: number;
}

/**
 * Ours: the loop the Temporal adapter runs, minus Temporal. Every executeJob is answered
 * at once with jobCompleted; the work task's result is `counter + 1`.
 */
export function runOurs(model: ProcessModel): RunResult {
  const t0 = performance.now();
  let time = 1_700_000_000_000;
  let completions = 0;
  let steps = 0;
  const pending: Array<Extract<Command, { type: 'executeJob' }>> = [];
  const feed = (state: ReturnType<typeof initialState>, stimulus: Stimulus) => {
    const result = step(model, state, stimulus);
    steps += 1;
    for (const c of result.commands) {
      if (c.type === 'executeJob') pending.push(c);
      else if (c.type === 'elementCompleted' && c.elementType !== 'bpmn:Process') completions += 1;
    }
    return result.state;
  };
  let state = feed(initialState(model), { type: 'start', time, variables: { counter: 0 } });
  for (let job = pending.shift(); job; job = pending.shift()) {
    time += 1;
    const counter = Number(job.variables.counter ?? 0);
    state = feed(state, { type: 'jobCompleted', key: job.key, time, variables: { counter: counter + 1 } });
  }
  if (state.status !== 'completed') throw new Error(`our run of ${model.id} ended ${state.status}`);
  return { completions, steps, ms: performance.now() - t0 };
}

/** A bpmn-engine instance with its definitions already loaded (parsing is not timed). */
export async function prepareBpmnEngine(source: string, iterations: number): Promise<{ engine: Engine; counter: { n: number } }> {
  const counter = { n: 0 };
  const moddleContext = await new BpmnModdle().fromXML(source);
  const engine = new Engine({
    name: 'bench',
    moddleContext,
    services: {
      // Asynchronous by a microtask: a synchronous callback recurses through the
      // engine's message broker and overflows the stack on the 1,000-iteration loop.
      work(_ctx: unknown, callback: (err: Error | null) => void) {
        counter.n += 1;
        queueMicrotask(() => callback(null));
      },
      more: () => counter.n < iterations,
    },
  } as ConstructorParameters<typeof Engine>[0]);
  await engine.getDefinitions();
  return { engine, counter };
}

/** bpmn-engine 25 in the same process: execution only, from loaded definitions to `end`. */
export async function runBpmnEngine(source: string, iterations = 0): Promise<RunResult> {
  const { engine } = await prepareBpmnEngine(source, iterations);
  let completions = 0;
  const listener = new EventEmitter();
  listener.on('activity.end', () => {
    completions += 1;
  });
  const t0 = performance.now();
  const done = new Promise<void>((resolve, reject) => {
    engine.once('end', () => resolve());
    engine.once('error', (err: Error) => reject(err));
  });
  await engine.execute({ listener });
  await done;
  return { completions, steps: 0, ms: performance.now() - t0 };
}
