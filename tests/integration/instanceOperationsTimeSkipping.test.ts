/**
 * Long timers across operator operations, on the time-skipping Temporal test server with the
 * real workflows and activities: a token started before a three-day timer by a modification
 * fires three days later; an instance migrated (by a migration batch) while it waits on its
 * three-day timer goes on, three days later, along the target version's path; a migration whose
 * next run Temporal could not carry (decision 0056) is refused with its size and the instance
 * goes on on its version.
 */
import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import { TestWorkflowEnvironment } from '@temporalio/testing';
import { Worker, type InjectedSinks } from '@temporalio/worker';
import { createActivities } from '../../activities';
import { compileBpmn } from '../../processes/compiler';
import type { ProcessModel } from '../../processes/model';
import { waitUntil } from '../../server/infra/ports';
import { ensureSearchAttributes } from '../../server/temporal/connection';
import { migrationProgressQuery, type MigrationBatchInput, type MigrationProgress } from '../../workflows/migrationBatch/contract';
import { MAX_CARRIED_INPUT_BYTES, MAX_INSTANCE_BYTES } from '../../workflows/processInstance/carriedSize';
import { completeTaskUpdate, instanceStateQuery, migrateInstanceUpdate, modifyInstanceUpdate } from '../../workflows/processInstance/messages';
import type { ElementEvent, InstanceSnapshot, InstanceView } from '../../workflows/processInstance/types';
import type { ProjectionSinks } from '../../workflows/sinks';
import { quietRuntime, testEnv, uniqueName } from '../support/servers';

jest.setTimeout(120_000);

const DAY = 24 * 3_600_000;
const taskQueue = uniqueName('ops-skip');
let env: TestWorkflowEnvironment;
let v1: ProcessModel;
let v2: ProcessModel;
let stopWorker: () => Promise<void>;
/** What the projection sink saw, per instance: the last snapshot and every element event. */
const projected = new Map<string, { last: InstanceSnapshot; events: ElementEvent[] }>();
const sinks: InjectedSinks<ProjectionSinks> = {
  projection: {
    instanceChanged: {
      fn: (_info, snapshot) => {
        projected.set(snapshot.instanceId, { last: snapshot, events: [...(projected.get(snapshot.instanceId)?.events ?? []), ...snapshot.events] });
      },
    },
  },
};

async function model(name: string): Promise<ProcessModel> {
  const compiled = await compileBpmn(readFileSync(join(__dirname, 'fixtures', `${name}.bpmn`), 'utf8'));
  const found = compiled.document?.processes[0];
  if (!found) throw new Error(JSON.stringify(compiled.problems));
  return found;
}

async function start(variables: Record<string, unknown> = {}) {
  return env.client.workflow.start('processInstance', {
    taskQueue, workflowId: `pi-${uniqueName('skip')}`, args: [{ definition: { key: 'claim-review', version: 1 }, model: v1, variables }],
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
    sinks,
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

it('a migration whose next run would be over what Temporal carries is refused with its size, and the instance goes on on v1', async () => {
  // given two v1 instances in triage, each holding variables 128 KB under the continue-as-new cap
  // (64 KB under what a completion may bring it to; observed through the projection sink: the
  // instanceState query would answer with them)
  const pad = 'p'.repeat(MAX_INSTANCE_BYTES - 64 * 1024);
  const [large, fits] = await Promise.all([start({ pad }), start({ pad })]);
  const seen = (h: Handle) => projected.get(h.workflowId);
  const until = (h: Handle, what: string, check: (last: InstanceSnapshot) => boolean) =>
    waitUntil(what, async () => { const p = seen(h); return p !== undefined && check(p.last); }, 30_000);
  await until(large, 'triage open', (last) => last.tasks.length === 1);
  await until(fits, 'triage open', (last) => last.tasks.length === 1);
  const before = seen(large)!.last;
  const migrate = (h: Handle, model: ProcessModel) => h.executeUpdate(migrateInstanceUpdate, {
    args: [{ migrationId: `mig-${uniqueName('size')}`, target: { definition: { key: 'claim-review', version: 2 }, model }, mapping: [], actor: 'ops-1', reason: 'v2' }],
  });

  // when one is migrated to a v2 whose model is 192 KB larger (a long process name), the other to v2 as drawn
  const refused = await migrate(large, { ...v2, name: 'n'.repeat(192 * 1024) });
  const migrated = await migrate(fits, v2);

  // then the first is refused, naming the size of its next run and the cap, and nothing changed:
  // same run, still v1, the same task, no migrated event
  expect(refused).toEqual({
    accepted: false,
    reason: expect.stringMatching(/^too large to migrate: version 2's model with the instance's state and variables would be \d+ bytes; Temporal refuses a continue-as-new over 2080768 bytes \(2 MB less encryption headroom\), so the instance stays on version 1\./),
  });
  expect(Number(/would be (\d+) bytes/.exec(refused.reason ?? '')![1])).toBeGreaterThan(MAX_CARRIED_INPUT_BYTES);
  const description = await large.describe();
  expect([description.status.name, description.runId]).toEqual(['RUNNING', large.firstExecutionRunId]);
  expect(seen(large)!.last).toMatchObject({ definition: { key: 'claim-review', version: 1 }, tasks: before.tasks, activeElements: before.activeElements });
  expect(seen(large)!.events.filter((e) => e.event === 'migrated')).toEqual([]);
  // (the same variables under v2's own model fit: it is the size that refused the first)
  expect(migrated).toMatchObject({ accepted: true, to: { key: 'claim-review', version: 2 } });
  await until(fits, 'the migrated run', (last) => last.definition.version === 2);

  // and the refused one goes on along v1: triage completed, v1's legacy check opens (v2 has none)
  const triage = before.tasks[0]!;
  expect(triage.elementId).toBe('triage');
  expect(await large.executeUpdate(completeTaskUpdate, { args: [{ taskKey: triage.key }] })).toEqual({ accepted: true });
  await until(large, 'the legacy check open', (last) => last.tasks.map((t) => t.elementId).join() === 'legacyCheck');
  expect(seen(large)!.last.definition).toEqual({ key: 'claim-review', version: 1 });
});
