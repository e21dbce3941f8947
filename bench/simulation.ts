/**
 * bench:simulation — the what-if simulator (processes/simulation) on the shipped complaint
 * process: BENCH_COUNT synthetic complaints (default 10,000) through the pure evaluator on
 * virtual time, with a made-up history profile (bench/simulation/profile.ts). In process, no
 * servers. Target (issue 16): 10,000 complaints in under 10 s.
 *
 *   npm run build && npm run bench:simulation        BENCH_COUNT=200 for a smoke run
 *
 * Prints `name: value unit` lines.
 */
import { readFileSync } from 'node:fs';
import { compileBpmn } from '../processes/compiler';
import { processesDir } from '../server/complaints/shippedProcesses';
import { simulate } from '../processes/simulation';
import { shippedProfile } from './simulation/profile';

const COUNT = Number(process.env.BENCH_COUNT ?? 10_000);
if (!Number.isInteger(COUNT) || COUNT <= 0) throw new Error(`BENCH_COUNT must be a positive integer, not '${process.env.BENCH_COUNT}'`);

async function main(): Promise<void> {
  const xml = readFileSync(`${processesDir()}/complaint-handling.bpmn`);
  const compiled = await compileBpmn(xml);
  const model = compiled.document?.processes[0];
  if (!compiled.ok || !model) throw new Error(`complaint-handling.bpmn does not compile: ${JSON.stringify(compiled.problems)}`);
  const profile = shippedProfile(model);
  const options = { seed: 42, count: COUNT, startAt: Date.UTC(2026, 0, 5, 7) };
  // Warm-up (JIT, FEEL caches), not measured.
  simulate(model, profile, { ...options, count: Math.min(COUNT, 200) });
  const started = performance.now();
  const result = simulate(model, profile, options);
  const ms = performance.now() - started;
  console.log(`simulation_complaints: ${COUNT} count`);
  console.log(`simulation_ms: ${ms.toFixed(0)} ms`);
  console.log(`simulation_complaints_per_s: ${((COUNT / ms) * 1000).toFixed(0)} complaints/s`);
  console.log(`simulation_stimuli_per_s: ${((result.stimuli / ms) * 1000).toFixed(0)} stimuli/s`);
  console.log(`simulation_completed: ${result.completed} count`);
  console.log(`simulation_breach_rate: ${(result.overall.breachRate * 100).toFixed(1)} %`);
  console.log(`simulation_p90_cycle: ${((result.overall.p90Ms ?? 0) / 3_600_000).toFixed(1)} h`);
}

main().catch((err: unknown) => {
  console.error(err);
  process.exit(1);
});
