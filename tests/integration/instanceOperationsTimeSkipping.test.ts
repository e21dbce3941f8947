/**
 * Long timers across operator operations, on the time-skipping Temporal test server with the
 * real workflows and activities: a token started before a three-day timer by a modification
 * fires three days later; an instance migrated (by a migration batch) while it waits on its
 * three-day timer goes on, three days later, along the target version's path.
 */
import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import { TestWorkflowEnvironment } from '@temporalio/testing';
import { Worker } from '@temporalio/worker';
import { createActivities } from '../../activities';
import { compileBpmn } from '../../processes/compiler';
import type { ProcessModel } from '../../processes/model';
import { ensureSearchAttributes } from '../../server/temporal/connection';
import { migrationProgressQuery, type MigrationBatchInput, type MigrationProgress } from '../../workflows/migrationBatch/contract';
import { completeTaskUpdate, instanceStateQuery, modifyInstanceUpdate } from '../../workflows/processInstance/messages';
import type { InstanceView } from '../../workflows/processInstance/types';
import { quietRuntime, testEnv, uniqueName } from '../support/servers';

jest.setTimeout(120_000);

const DAY = 24 * 3_600_000;
const taskQueue = uniqueName('ops-skip');
let env: TestWorkflowEnvironment;
let v1: ProcessModel;
let v2: ProcessModel;
let stopWorker: () => Promise<void>;

async function model(name: string): Promise<ProcessModel> {
  const compiled = await compileBpmn(readFileSync(join(__dirname, 'fixtures', `${name}.bpmn`), 'utf8'));
  const found = compiled.document?.processes[0];
  if (!found) throw new Error(JSON.stringify(compiled.problems));
  return found;
}

async function start() {
  return env.client.workflow.start('processInstance', {
    taskQueue, workflowId: `pi-${uniqueName('skip')}`, args: [{ definition: { key: 'claim-review', version: 1 }, model: v1, variables: {} }],
  });
}
type Handle = Awaited<ReturnType<typeof start>>;
const view = (h: Handle) => h.query(instanceStateQuery) as Promise<InstanceView>;
async function complete(h: Handle, elementId: string) {
  const task = (await view(h)).tasks.find((t) => t.elementId === elementId);
  if (!task) throw new Error(`no task at ${elementId}`);
  await h.executeUpdate(completeTaskUpdate, { args: [{ taskKey: task.key }] });
}

beforeAll(async () => {
  quietRuntime();
  [v1, v2] = await Promise.all([model('claim-review-v1'), model('claim-review-v2')]);
  env = await TestWorkflowEnvironment.createTimeSkipping({ server: { executable: { type: 'existing-path', path: testEnv.testServerBinary } } });
  await ensureSearchAttributes(env.client, env.namespace ?? 'default');
  const worker = await Worker.create({
    connection: env.nativeConnection,
    taskQueue,
    activities: createActivities({}),
    workflowBundle: { codePath: testEnv.workflowBundle },
    sinks: { projection: { instanceChanged: { fn: () => undefined } } },
  });
  const running = worker.run();
  stopWorker = async () => {
    worker.shutdown();
    await running;
  };
});

afterAll(async () => {
  await stopWorker?.();
  await env?.teardown();
});

it('a token started before the three-day timer by a modification fires three days later', async () => {
  // given an instance in triage, and a token started before the timer
  const h = await start();
  await view(h);
  const outcome = await h.executeUpdate(modifyInstanceUpdate, {
    args: [{ instructions: [{ type: 'activate', elementId: 'cooling' }], actor: 'ops-1', reason: 'objection period starts now' }],
  });
  expect(outcome.accepted).toBe(true);
  const before = await view(h);
  expect(before.activeElements.sort()).toEqual(['cooling', 'triage']);
  // when three days pass
  await env.sleep(3 * DAY + 60_000);
  // then the timer has fired and its token waits in decide, next to triage
  const after = await view(h);
  expect(after.tasks.map((t) => t.elementId).sort()).toEqual(['decide', 'triage']);
  expect(after.timers).toEqual([]);
});

it('an instance migrated while on its three-day timer goes on along the target version when it fires', async () => {
  // given a v1 instance past triage and the legacy check, on the timer
  const h = await start();
  await complete(h, 'triage');
  await complete(h, 'legacyCheck');
  const waiting = await view(h);
  expect(waiting.timers.map((t) => t.elementId)).toEqual(['cooling']);

  // when a migration batch moves it to v2, with decide renamed assess
  const input: MigrationBatchInput = {
    migrationId: `mig-${uniqueName('skip')}`, source: { key: 'claim-review', version: 1 },
    target: { definition: { key: 'claim-review', version: 2 }, model: v2 }, instanceIds: [h.workflowId],
    mapping: [{ sourceElementId: 'decide', targetElementId: 'assess' }], actor: 'ops-1', reason: 'v2',
  };
  // (started, not executed: waiting for a result lets the test server skip time, past the timer)
  const batch = await env.client.workflow.start('migrationBatch', { taskQueue, workflowId: input.migrationId, args: [input] });
  let progress: MigrationProgress = await batch.query(migrationProgressQuery);
  for (let i = 0; i < 200 && progress.status !== 'completed'; i += 1) {
    await new Promise((r) => setTimeout(r, 100));
    progress = await batch.query(migrationProgressQuery);
  }
  expect(progress.results).toEqual([{ instanceId: h.workflowId, status: 'migrated' }]);
  const migrated = await view(h);
  expect(migrated.definition).toEqual({ key: 'claim-review', version: 2 });
  expect(migrated.timers).toEqual(waiting.timers);

  // and three days pass
  await env.sleep(3 * DAY + 60_000);

  // then the timer fired in the new run and the token went on to v2's assess
  const after = await view(h);
  expect(after.tasks.map((t) => t.elementId)).toEqual(['assess']);
  await complete(h, 'assess');
  expect(await h.result()).toEqual({ status: 'completed', variables: {} });
});
