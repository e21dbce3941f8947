/**
 * Replay: histories of representative runs, committed under tests/replay/histories/, must
 * replay against the current workflow code, or a change to workflows/ (or to the evaluator it
 * runs) has broken instances already in flight. Fresh recordings of the same scenarios are
 * replayed as well; `RECORD_HISTORIES=1` also writes them over the committed fixtures
 * (see tests/replay/README.md).
 */
import path from 'node:path';
import { DeterminismViolationError } from '@temporalio/workflow';
import { bundleWorkflowCode, Worker, type ReplayResult } from '@temporalio/worker';
import webpack from 'webpack';
import { committedHistories, historyFromJson, recordScenarios, writeRecordings, type Recording } from '../replay/scenarios';
import { quietRuntime, testEnv } from '../support/servers';
import { startStack, type Stack } from '../support/stack';

const silent = { info() {}, warn() {}, error() {}, debug() {}, trace() {}, log() {} };

async function replay(codePath: string, histories: Array<{ name: string; json: string }>): Promise<Map<string, ReplayResult>> {
  const results = new Map<string, ReplayResult>();
  const byId = new Map<string, string>();
  const input = histories.map((h) => {
    const workflowId = `replay-${h.name}`;
    byId.set(workflowId, h.name);
    return { workflowId, history: historyFromJson(h.json) };
  });
  for await (const result of Worker.runReplayHistories({ workflowBundle: { codePath } }, input)) {
    results.set(byId.get(result.workflowId) ?? result.workflowId, result);
  }
  return results;
}

describe('replaying recorded histories of processInstance', () => {
  let stack: Stack;
  let fresh: Recording[] = [];
  const committed = committedHistories();

  beforeAll(async () => {
    quietRuntime();
    stack = await startStack({ allowedHosts: ['127.0.0.1'] });
    fresh = await recordScenarios(stack);
    if (process.env.RECORD_HISTORIES === '1') writeRecordings(fresh);
  }, 60_000);

  afterAll(async () => {
    await stack?.stop();
  });

  it('has committed fixtures for every scenario, small enough to keep in git', () => {
    // given the committed fixtures
    const names = committed.map((h) => h.name);
    // then every scenario is there and they stay small
    expect(names).toEqual(['boundary-incident', 'external-jobs', 'fork-job-timer', 'sla-clocks', 'support-ticket']);
    expect(committed.reduce((size, h) => size + h.json.length, 0)).toBeLessThan(200 * 1024);
  });

  it('replays every committed history with the current workflow code', async () => {
    // given the committed histories
    // when they are replayed with the bundle the worker runs
    const results = await replay(testEnv.workflowBundle, committed);
    // then none fails
    expect(results.size).toBe(committed.length);
    expect([...results].map(([name, r]) => [name, r.error?.message])).toEqual(committed.map((h) => [h.name, undefined]));
  });

  it('replays fresh recordings of the same scenarios', async () => {
    // given histories recorded just now, and the paths they took
    expect(fresh.map((r) => r.name)).toEqual(['support-ticket', 'fork-job-timer', 'boundary-incident', 'sla-clocks', 'external-jobs']);
    // The external job scenario carries its patch marker and its updates.
    expect(fresh.find((r) => r.name === 'external-jobs')?.json).toContain('EVENT_TYPE_WORKFLOW_EXECUTION_UPDATE_ACCEPTED');
    expect(fresh.find((r) => r.name === 'boundary-incident')?.json).toContain('EVENT_TYPE_ACTIVITY_TASK_FAILED');
    // The SLA scenario carries the patch marker and its clock timers.
    expect(fresh.find((r) => r.name === 'sla-clocks')?.json).toContain('EVENT_TYPE_MARKER_RECORDED');
    // when replayed
    const results = await replay(testEnv.workflowBundle, fresh);
    // then none fails
    expect([...results].map(([name, r]) => [name, r.error?.message])).toEqual(fresh.map((r) => [r.name, undefined]));
  });

  it('detects an unpatched change of the order in which effects are issued', async () => {
    // given a variant of processInstance whose evaluator hands back its commands reversed
    const reversed = path.join(__dirname, '../replay/reversedEvaluator.ts');
    const { code } = await bundleWorkflowCode({
      workflowsPath: require.resolve('../replay/reorderedWorkflows'),
      logger: silent,
      webpackConfigHook: (config) => ({
        ...config,
        plugins: [...(config.plugins ?? []), new webpack.NormalModuleReplacementPlugin(/[\\/]processes[\\/]evaluator$/, reversed)],
      }),
    });
    const codePath = path.join(testEnv.dir, 'reordered-bundle.js');
    (await import('node:fs')).writeFileSync(codePath, code);
    const forkHistory = committed.filter((h) => h.name === 'fork-job-timer');
    // when the fork's history (a job and a timer started in one step) is replayed with it
    const results = await replay(codePath, forkHistory);
    // then the replay reports a determinism violation, where the real code replays clean
    const error = results.get('fork-job-timer')?.error;
    expect(error).toBeInstanceOf(DeterminismViolationError);
    expect((await replay(testEnv.workflowBundle, forkHistory)).get('fork-job-timer')?.error).toBeUndefined();
  });
});
