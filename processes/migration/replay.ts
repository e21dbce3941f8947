/**
 * The replay dry run of a migration (decision 0053), pure: the instance's recorded stimuli
 * (recorded.ts) are driven through the evaluator twice, in lockstep —
 *
 * - on the versions the instance ran (the *recorded run*), from each run's carried state: this
 *   resolves what the engine knows only by sequence (which timer fired) and checks the
 *   extraction: the recorded run must end in the instance's current state (`reproduced`);
 * - on the TARGET version from its start, each stimulus carried over by what it concerns
 *   (translate.ts): the task completed, the timer fired, the message received.
 *
 * After every stimulus the tokens of both are compared (the recorded run's mapped to target
 * ids); the first stimulus after which they differ, or that the target cannot receive, is the
 * first divergence. At the end the target's replay is compared with the migrated state (what
 * `migrate` makes of the current state): `reachable` when every stimulus carried over and the
 * tokens stand where the migration puts them; `consistent` when open tasks, timers (due
 * times), subscriptions, jobs, SLA clocks and variables correspond one to one.
 */
import { initialState, migrate, defaultMapping, pendingTimers, step, type MappingInstruction, type State, type StepResult } from '../evaluator';
import type { ProcessModel } from '../model/types';
import { firstTokenDifference, mismatches, sameJson, tokens, type Mismatch } from './compare';
import type { RecordedHistory, RecordedRun, StimulusBody } from './recorded';
import { describeStimulus, stimulusElement, translate } from './translate';

export interface Divergence {
  /** Position of the stimulus in the recorded history (0: the start). */
  stimulusIndex: number;
  /** What it was: its type and element (`userTaskCompleted at 'triage'`). */
  stimulus: string;
  elementId: string;
  message: string;
}

export interface ReplayReport {
  /** Stimuli read from the history. */
  stimuli: number;
  /** Stimuli the target's replay received. */
  applied: number;
  /** The history reaches back to the instance's start (not cut). */
  complete: boolean;
  /** The recorded stimuli, replayed on the versions the instance ran, give its current state. */
  reproduced: boolean;
  /** Where the recorded run's end differs from the current state (when not reproduced). */
  reproductionProblem: string | null;
  reachable: boolean;
  consistent: boolean;
  firstDivergence: Divergence | null;
  /** Every divergence, in order (at most 20). */
  divergences: Divergence[];
  /** Tokens where the target's replay ends, and where the migration puts them (target ids, sorted). */
  replayedTokens: string[];
  migratedTokens: string[];
  mismatches: Mismatch[];
}

const MAX_DIVERGENCES = 20;

function firstRunState(run: RecordedRun, model: ProcessModel): State {
  const state = initialState(model);
  return run.feelStrict ? { ...state, feelMode: 'strict' } : state;
}

/** Replays `history` on `target` beside the recorded run and compares with the migration of `current`. */
export function replayDryRun(
  history: RecordedHistory, current: State, source: ProcessModel, target: ProcessModel, mapping: readonly MappingInstruction[],
): ReplayReport {
  const divergences: Divergence[] = [];
  const diverge = (d: Divergence) => { if (divergences.length < MAX_DIVERGENCES) divergences.push(d); };
  const first = history.runs[0];
  let recorded: State | null = null;
  let replayed: State | null = first && !first.carried ? firstRunState(first, target) : null;
  let index = 0;
  let applied = 0;
  let skipped = !history.complete || replayed === null;
  let reproductionProblem: string | null = null;
  let tokensDiffer = false;

  for (const run of history.runs) {
    // The mapping names elements of the source version; runs of an earlier version map by id.
    const map = defaultMapping(run.model, target, run.model.hash === source.hash ? mapping : []);
    if (run.carried) recorded = run.carried;
    else recorded = firstRunState(run, run.model);
    // The run's timers by sequence: the carried state's re-armed first, then each startTimer in order.
    const timers: string[] = run.carried ? pendingTimers(run.carried).map((t) => t.key) : [];
    for (const input of run.inputs) {
      const at = index++;
      let body: StimulusBody;
      if (input.kind === 'timerFired') {
        const key = timers[input.timerSeq - 1];
        if (key === undefined) {
          reproductionProblem ??= `stimulus ${at}: timer #${input.timerSeq} of the run was not started by the recorded run`;
          continue;
        }
        body = { type: 'timerFired', key };
      } else {
        body = input.body;
      }
      const before: State = recorded;
      const translated = replayed ? translate(before, replayed, map, body) : null;
      const own: StepResult = step(run.model, before, { ...body, time: input.time } as Parameters<typeof step>[2], run.limits);
      if (!own.accepted) continue; // refused when it happened too (a stale key): nothing to carry over
      recorded = own.state;
      for (const c of own.commands) if (c.type === 'startTimer') timers.push(c.key);
      if (!replayed || !translated) continue;
      const what = describeStimulus(before, body);
      if (!('body' in translated)) {
        skipped = true;
        diverge({ stimulusIndex: at, stimulus: what, elementId: translated.elementId, message: translated.message });
        continue;
      }
      const theirs = step(target, replayed, { ...translated.body, time: input.time } as Parameters<typeof step>[2], run.limits);
      if (!theirs.accepted) {
        skipped = true;
        diverge({ stimulusIndex: at, stimulus: what, elementId: stimulusElement(before, body) ?? target.id, message: `the target refused it: ${theirs.reason ?? 'not applicable'}` });
        continue;
      }
      replayed = theirs.state;
      applied += 1;
      const difference = firstTokenDifference(tokens(recorded, map), tokens(replayed));
      if (difference && !tokensDiffer) {
        diverge({
          stimulusIndex: at, stimulus: what, elementId: difference.elementId,
          message: `after it, the recorded path has ${difference.left} token(s) at '${difference.elementId}' (mapped), the target ${difference.right}`,
        });
      }
      tokensDiffer = difference !== null;
    }
  }

  if (recorded && !sameJson(recorded, current)) reproductionProblem ??= describeDifference(recorded, current);
  const migrated = migrate(source, target, current, mapping);
  const replayedTokens = replayed ? tokens(replayed) : [];
  const migratedTokens = migrated.ok ? tokens(migrated.state) : [];
  const found = replayed && migrated.ok ? mismatches(replayed, migrated.state) : [];
  const statusSame = replayed !== null && migrated.ok && replayed.status === migrated.state.status;
  return {
    stimuli: index,
    applied,
    complete: history.complete,
    reproduced: reproductionProblem === null,
    reproductionProblem,
    reachable: !skipped && statusSame && firstTokenDifference(replayedTokens, migratedTokens) === null,
    consistent: migrated.ok && replayed !== null && found.length === 0,
    firstDivergence: divergences[0] ?? null,
    divergences,
    replayedTokens,
    migratedTokens,
    mismatches: found,
  };
}

function describeDifference(recorded: State, current: State): string {
  if (recorded.status !== current.status) return `the recorded run ends ${recorded.status}, the instance is ${current.status}`;
  const difference = firstTokenDifference(tokens(recorded), tokens(current));
  if (difference) return `the recorded run ends with ${difference.left} token(s) at '${difference.elementId}', the instance has ${difference.right}`;
  for (const part of ['waits', 'incidents', 'joins', 'sla', 'instances', 'nextKey', 'time'] as const) {
    if (!sameJson(recorded[part], current[part])) return `the recorded run ends with other ${part} than the instance has`;
  }
  return 'the recorded run ends in another state than the instance';
}
