/**
 * Replay: histories of representative runs, committed under tests/replay/histories/, must
 * replay against the current workflow code, or a change to workflows/ (or to the evaluator it
 * runs) has broken instances already in flight. Fresh recordings of the same scenarios are
 * replayed as well; `RECORD_HISTORIES=1` also writes them over the committed fixtures
 * (see tests/replay/README.md).
 */
import path from 'node:path';
import type { DataConverter } from '@temporalio/common';
import { DeterminismViolationError } from '@temporalio/workflow';
import { bundleWorkflowCode, Worker, type ReplayResult } from '@temporalio/worker';
import webpack from 'webpack';
import { execFile } from 'node:child_process';
import fs from 'node:fs';
import { promisify } from 'node:util';
import { historyFromJSON } from '@temporalio/common/lib/proto-utils';
import { committedHistories, historyFromJson, recordScenarios, writeRecordings, type Recording } from '../replay/scenarios';
import { recordShipped } from '../replay/shipped';
import { replayFiles } from '../../server/history/replayCli';
import { resolveTools } from '../../server/infra/toolchain';
import { quietRuntime, testEnv } from '../support/servers';
import { startStack, type Stack } from '../support/stack';

const SIZE_LIMIT = 600 * 1024;
const silent = { info() {}, warn() {}, error() {}, debug() {}, trace() {}, log() {} };

/** `dataConverter`: the recording stack's (its histories are encrypted, decision 0023); none for the committed ones. */
async function replay(codePath: string, histories: Array<{ name: string; json: string }>, dataConverter?: DataConverter): Promise<Map<string, ReplayResult>> {
  const results = new Map<string, ReplayResult>();
  const byId = new Map<string, string>();
  const input = histories.map((h) => {
    const workflowId = `replay-${h.name}`;
    byId.set(workflowId, h.name);
    return { workflowId, history: historyFromJson(h.json) };
  });
  for await (const result of Worker.runReplayHistories({ workflowBundle: { codePath }, ...(dataConverter ? { dataConverter } : {}) }, input)) {
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
    // Recording for the fixtures: in plain, so that they replay without a key (like histories from before encryption).
    stack = await startStack({ allowedHosts: ['127.0.0.1'], complaints: { touchpointOwners: { 'store-replay': 'manager-replay' } }, encryptPayloads: process.env.RECORD_HISTORIES === undefined });
    fresh = [...await recordScenarios(stack), ...await recordShipped(stack)];
    if (process.env.RECORD_HISTORIES === '1') writeRecordings(fresh);
    // Only the shipped processes' runs (the others keep the histories recorded with older code).
    if (process.env.RECORD_HISTORIES === 'shipped') writeRecordings(fresh.filter((r) => r.name.startsWith('shipped-')));
    // Only scenarios without a committed fixture yet (a scenario just added).
    if (process.env.RECORD_HISTORIES === 'new') writeRecordings(fresh.filter((r) => !committed.some((c) => c.name === r.name)));
  }, 120_000);

  afterAll(async () => {
    await stack?.stop();
  });

  it('has committed fixtures for every scenario, small enough to keep in git', () => {
    // given the committed fixtures
    const names = committed.map((h) => h.name);
    // then every scenario is there and they stay small
    expect(names).toEqual(['boundary-incident', 'compensation', 'external-jobs', 'fork-job-timer', 'operator-operations', 'shipped-commitment-fulfilment', 'shipped-complaint-handling', 'shipped-low-score-alert', 'sla-clocks', 'support-ticket']);
    expect(committed.reduce((size, h) => size + h.json.length, 0)).toBeLessThan(SIZE_LIMIT);
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
    expect(fresh.map((r) => r.name)).toEqual([
      'support-ticket', 'fork-job-timer', 'boundary-incident', 'sla-clocks', 'external-jobs', 'compensation', 'operator-operations', 'shipped-complaint-handling', 'shipped-commitment-fulfilment', 'shipped-low-score-alert',
    ]);
    // The external job scenario carries its patch marker and its updates.
    expect(fresh.find((r) => r.name === 'external-jobs')?.json).toContain('EVENT_TYPE_WORKFLOW_EXECUTION_UPDATE_ACCEPTED');
    expect(fresh.find((r) => r.name === 'boundary-incident')?.json).toContain('EVENT_TYPE_ACTIVITY_TASK_FAILED');
    // The operator scenario's first run: the modification and migration updates, then continue-as-new.
    expect(fresh.find((r) => r.name === 'operator-operations')?.json).toContain('EVENT_TYPE_WORKFLOW_EXECUTION_CONTINUED_AS_NEW');
    // The shipped complaint's store jobs are local activities (decision 0061): markers, not activity tasks.
    expect(fresh.find((r) => r.name === 'shipped-complaint-handling')?.json).toContain('core_local_activity');
    // The SLA scenario carries the patch marker and its clock timers.
    expect(fresh.find((r) => r.name === 'sla-clocks')?.json).toContain('EVENT_TYPE_MARKER_RECORDED');
    // when replayed
    const results = await replay(testEnv.workflowBundle, fresh, stack.dataConverter);
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

  it('replays a history as the Temporal CLI downloads it, through `npm run replay`', async () => {
    // given the complaint process's history fetched with `temporal workflow show --output json`
    const recorded = fresh.find((r) => r.name === 'shipped-complaint-handling')!;
    const { stdout } = await promisify(execFile)(resolveTools().temporalCli, [
      'workflow', 'show', '--address', testEnv.temporalAddress, '--namespace', 'default', '--workflow-id', recorded.workflowId, '--output', 'json',
    ], { maxBuffer: 64 * 1024 * 1024 });
    const file = `${testEnv.dir}/cli-history-${recorded.workflowId}.json`;
    fs.writeFileSync(file, stdout);
    // (the SDK's own loader refuses that file as is)
    expect(() => historyFromJSON(JSON.parse(stdout))).toThrow();

    // when it is replayed with the worker's bundle, and with the command (which bundles workflows/ itself)
    // (encrypted as the service stores it: both get the stack's keys)
    const [outcome] = await replayFiles([file], testEnv.workflowBundle, stack.dataConverter);
    const command = await promisify(execFile)(process.execPath, [path.resolve(__dirname, '../../dist/server/history/replayCli.js'), file], { env: { ...process.env, PAYLOAD_KEYS: stack.payloadKeys } });

    // then both replay it clean, every event read
    expect(outcome).toMatchObject({ ok: true, events: historyFromJson(recorded.json).events!.length });
    expect(command.stdout).toContain(`${file}: ok (${outcome!.events} events)`);
    expect(command.stdout).toContain('failed: 0 files');
  }, 120_000);

  it('reports a history the code cannot replay, and refuses a file that is not a history', async () => {
    // given the fork's history as the CLI writes it (times as RFC 3339 strings), once as is and once naming a workflow type this code lacks
    const fork = committed.find((h) => h.name === 'fork-job-timer')!;
    const asCli = JSON.parse(fork.json) as { events: Array<Record<string, unknown>> };
    for (const e of asCli.events) {
      const t = e.eventTime as { seconds: string; nanos: number };
      e.eventTime = new Date(Number(t.seconds) * 1000 + Math.floor(t.nanos / 1e6)).toISOString();
    }
    const file = `${testEnv.dir}/fork-cli.json`;
    fs.writeFileSync(file, JSON.stringify(asCli));
    const foreign = `${testEnv.dir}/fork-foreign.json`;
    fs.writeFileSync(foreign, JSON.stringify(asCli).replace('"name":"processInstance"', '"name":"noSuchWorkflow"'));
    const empty = `${testEnv.dir}/no-events.json`;
    fs.writeFileSync(empty, '{"executions": []}');
    // when replayed
    const outcomes = await replayFiles([file, foreign], testEnv.workflowBundle);
    // then the first replays, the second is reported failed, and the file without events is refused
    expect(outcomes.map((o) => [o.ok, o.error?.split(':')[0]])).toEqual([[true, undefined], [false, 'failed']]);
    await expect(replayFiles([empty], testEnv.workflowBundle)).rejects.toThrow(/no events/);
  });
});
