/**
 * Evaluator benchmark: our pure evaluator vs bpmn-engine 25 on the same diagrams, in one
 * process, service tasks completing immediately in both. Prints `name: value unit` lines
 * with medians of several runs. Run after a build: `node dist/bench/evaluator.js`.
 */
import { compileBpmn } from '../processes/compiler';
import { initialState, step } from '../processes/evaluator';
import type { ProcessModel } from '../processes/model';
import { fanOut, loop, sequence } from './diagrams';
import { runBpmnEngine, runOurs } from './engines';
import type { RunResult } from './engines';

const RUNS = Number(process.env.BENCH_RUNS ?? 5);

async function compile(xml: string): Promise<ProcessModel> {
  const result = await compileBpmn(xml, { taskTypes: null });
  const model = result.document?.processes[0];
  if (!result.ok || !model) throw new Error(result.problems.map((p) => JSON.stringify(p)).join('\n'));
  return model;
}

function median(values: number[]): number {
  const sorted = [...values].sort((a, b) => a - b);
  const mid = Math.floor(sorted.length / 2);
  return sorted.length % 2 === 1 ? (sorted[mid] as number) : ((sorted[mid - 1] as number) + (sorted[mid] as number)) / 2;
}

const SAMPLE_MS = Number(process.env.BENCH_SAMPLE_MS ?? 300);

/**
 * One sample = as many whole runs as fit in SAMPLE_MS (at least one), summed; so tiny
 * diagrams are not measured at timer resolution. The first sample is a discarded warm-up
 * (JIT, model index caches) for both engines alike.
 */
async function measure(run: () => RunResult | Promise<RunResult>): Promise<RunResult[]> {
  const sample = async (): Promise<RunResult> => {
    const total: RunResult = { completions: 0, steps: 0, ms: 0 };
    do {
      const r = await run();
      total.completions += r.completions;
      total.steps += r.steps;
      total.ms += r.ms;
    } while (total.ms < SAMPLE_MS);
    return total;
  };
  await sample();
  const results: RunResult[] = [];
  for (let i = 0; i < RUNS; i += 1) results.push(await sample());
  return results;
}

/** Size of the state mid-run (one job open): what every step clones, independent of the diagram. */
function stateBytes(model: ProcessModel): number {
  const started = step(model, initialState(model), { type: 'start', time: 0, variables: { counter: 0 } });
  return JSON.stringify(started.state).length;
}

function line(name: string, value: number, unit: string): void {
  const shown = value >= 100 ? Math.round(value).toString() : value.toFixed(2);
  console.log(`${name}: ${shown} ${unit}`);
}

async function compare(name: string, ours: ProcessModel, engineXml: string, iterations: number): Promise<void> {
  const a = await measure(() => runOurs(ours));
  const b = await measure(() => runBpmnEngine(engineXml, iterations));
  const oursRate = median(a.map((r) => (r.completions / r.ms) * 1000));
  const theirsRate = median(b.map((r) => (r.completions / r.ms) * 1000));
  line(`${name}.ours.completions_per_sec`, oursRate, 'nodes/s');
  line(`${name}.bpmn_engine.completions_per_sec`, theirsRate, 'nodes/s');
  line(`${name}.ratio`, oursRate / theirsRate, 'x');
  line(`${name}.ours.nodes_per_run`, runOurs(ours).completions, 'nodes');
  line(`${name}.bpmn_engine.nodes_per_run`, (await runBpmnEngine(engineXml, iterations)).completions, 'nodes');
}

async function main(): Promise<void> {
  console.log(`# medians of ${RUNS} samples of >= ${SAMPLE_MS} ms after one warm-up sample; node ${process.version}`);
  await compare('sequence10', await compile(sequence(10, 'zeebe')), sequence(10, 'engine'), 0);
  await compare('fanout4', await compile(fanOut(4, 'zeebe')), fanOut(4, 'engine'), 0);
  await compare('loop1000', await compile(loop(1000, 'zeebe')), loop(1000, 'engine'), 1000);
  // Per-step cost against diagram size: a sequence of N flow nodes, one job per step.
  for (const size of [10, 100, 1000, 5000]) {
    const model = await compile(sequence(size - 2, 'zeebe'));
    const runs = await measure(() => runOurs(model));
    line(`step_cost.elements_${size}`, median(runs.map((r) => (r.ms * 1000) / r.steps)), 'us/step');
    line(`step_cost.elements_${size}.state_bytes`, stateBytes(model), 'bytes');
  }
}

main().catch((err: unknown) => {
  console.error(err);
  process.exitCode = 1;
});
