/**
 * The replay dry run (decision 0053), pure: recorded stimuli of an instance of claim-review v1
 * replayed on v2 (legacyCheck removed, decide renamed assess) beside the recorded run.
 */
import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import { compileBpmn } from '../../../processes/compiler';
import { initialState, openUserTasks, step, type State } from '../../../processes/evaluator';
import { replayDryRun, type RecordedInput, type RecordedHistory, type StimulusBody } from '../../../processes/migration';
import type { ProcessModel } from '../../../processes/model';

const DAY = 24 * 3600_000;
const T0 = Date.UTC(2026, 2, 2, 9);

async function fixture(name: string): Promise<ProcessModel> {
  const result = await compileBpmn(readFileSync(join(__dirname, '../../integration/fixtures', name), 'utf8'), { taskTypes: null });
  const model = result.document?.processes[0];
  if (!result.ok || !model) throw new Error(name);
  return model;
}

/** Drives v1 as the workflow did and records what its inbox applied (timers by their sequence in the run). */
class Recorder {
  state: State;
  inputs: RecordedInput[] = [];
  private timers: string[] = [];
  constructor(private readonly model: ProcessModel) { this.state = initialState(model); }
  send(body: StimulusBody, time: number): void {
    const result = step(this.model, this.state, { ...body, time } as Parameters<typeof step>[2]);
    expect(result.accepted).toBe(true);
    this.state = result.state;
    for (const c of result.commands) if (c.type === 'startTimer') this.timers.push(c.key);
    this.inputs.push(body.type === 'timerFired'
      ? { kind: 'timerFired', time, timerSeq: this.timers.indexOf(body.key) + 1 }
      : { kind: 'stimulus', time, body });
  }
  completeTask(elementId: string, time: number, variables: Record<string, unknown> = {}): void {
    const task = openUserTasks(this.state).find((t) => t.elementId === elementId);
    if (!task) throw new Error(`no task at ${elementId}`);
    this.send({ type: 'userTaskCompleted', key: task.key, variables }, time);
  }
  fireTimer(time: number): void {
    const wait = Object.values(this.state.waits).find((w) => w.type === 'timer');
    if (!wait) throw new Error('no timer');
    this.send({ type: 'timerFired', key: wait.key }, time);
  }
  history(): RecordedHistory {
    return { complete: true, runs: [{ model: this.model, version: 1, carried: null, limits: null, inputs: this.inputs }] };
  }
}

describe('replay dry run', () => {
  let v1: ProcessModel;
  let v2: ProcessModel;
  const toAssess = [{ sourceElementId: 'decide', targetElementId: 'assess' }];
  beforeAll(async () => {
    v1 = await fixture('claim-review-v1.bpmn');
    v2 = await fixture('claim-review-v2.bpmn');
  });

  it('reaches the migrated state of an instance still in triage, with everything one to one', () => {
    // given
    const r = new Recorder(v1);
    r.send({ type: 'start', variables: { claim: 'C-1' } }, T0);
    // when
    const report = replayDryRun(r.history(), r.state, v1, v2, toAssess);
    // then
    expect(report).toMatchObject({
      stimuli: 1, applied: 1, complete: true, reproduced: true, reachable: true, consistent: true,
      firstDivergence: null, replayedTokens: ['triage'], migratedTokens: ['triage'], mismatches: [],
    });
  });

  it('names the stimulus and element where the target departs from the recorded path, and what it cannot replay', () => {
    // given an instance that went triage -> legacyCheck -> three days -> decide
    const r = new Recorder(v1);
    r.send({ type: 'start', variables: { claim: 'C-2' } }, T0);
    r.completeTask('triage', T0 + 1000, { valid: true });
    r.completeTask('legacyCheck', T0 + DAY);
    r.fireTimer(T0 + 4 * DAY);
    // when
    const report = replayDryRun(r.history(), r.state, v1, v2, toAssess);
    // then: after triage, v2 waits at cooling where the instance went to legacyCheck
    expect(report.firstDivergence).toEqual({
      stimulusIndex: 1, stimulus: "userTaskCompleted at 'triage'", elementId: 'cooling',
      message: "after it, the recorded path has 0 token(s) at 'cooling' (mapped), the target 1",
    });
    // and legacyCheck's completion has nothing to complete in v2
    expect(report.divergences[1]).toMatchObject({ stimulusIndex: 2, stimulus: "userTaskCompleted at 'legacyCheck'", elementId: 'legacyCheck' });
    expect(report.divergences[1]?.message).toContain("no counterpart at 'legacyCheck' in the target");
    // and the timer (found by its sequence) brings both to assess: the same tokens, but not reached by the same stimuli
    expect(report).toMatchObject({ stimuli: 4, applied: 3, reproduced: true, reachable: false, consistent: true, replayedTokens: ['assess'], migratedTokens: ['assess'] });
  });

  it('finds a timer that would not be due at the same time: consistent no, with the timer named', () => {
    // given an instance waiting at cooling, which it reached a day after triage (legacyCheck took a day)
    const r = new Recorder(v1);
    r.send({ type: 'start', variables: { claim: 'C-3' } }, T0);
    r.completeTask('triage', T0 + 1000);
    r.completeTask('legacyCheck', T0 + DAY);
    // when
    const report = replayDryRun(r.history(), r.state, v1, v2, toAssess);
    // then v2 would have started the three days right after triage
    expect(report.consistent).toBe(false);
    const early = new Date(T0 + 1000 + 3 * DAY).toISOString();
    const late = new Date(T0 + 4 * DAY).toISOString();
    expect(report.mismatches).toEqual([
      { kind: 'timer', elementId: 'cooling', replayed: `1 × due ${early}`, migrated: `0 × due ${early}` },
      { kind: 'timer', elementId: 'cooling', replayed: `0 × due ${late}`, migrated: `1 × due ${late}` },
    ]);
    expect(report.replayedTokens).toEqual(['cooling']);
  });

  it('says when the recorded stimuli do not give the instance\'s current state (the history read is not the whole story)', () => {
    // given a history that lacks the last completion
    const r = new Recorder(v1);
    r.send({ type: 'start', variables: { claim: 'C-4' } }, T0);
    const partial = r.history();
    partial.runs[0]!.inputs = [...r.inputs];
    r.completeTask('triage', T0 + 1000);
    // when
    const report = replayDryRun(partial, r.state, v1, v2, toAssess);
    // then
    expect(report.reproduced).toBe(false);
    expect(report.reproductionProblem).toBe("the recorded run ends with 0 token(s) at 'legacyCheck', the instance has 1");
  });
});
