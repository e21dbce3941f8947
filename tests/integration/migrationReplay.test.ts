/**
 * The replay dry run (decision 0053) on the real servers: the time-skipping Temporal test
 * server with the real workflows, activities and payload encryption, the HTTP API, FerretDB.
 * Instances go their ways on v1 (tasks completed with variables, a three-day timer skipped
 * through, a message with variables, a job's result); the dry run reads each one's engine
 * history, replays its stimuli on v2 from the start, and reports reachable, consistent and
 * the first divergence (stimulus index and element) — changing nothing.
 */
import fs from 'node:fs';
import path from 'node:path';
import { replayDryRun } from '../../processes/migration';
import type { ProcessModel } from '../../processes/model';
import { recordedHistory } from '../../server/api/migrations/recordedRuns';
import { deployShippedProcesses } from '../../server/complaints/shippedProcesses';
import { engineHistoryReader } from '../../server/compliance/engineHistory';
import { waitUntil } from '../../server/infra/ports';
import { evaluatorStateQuery } from '../../workflows/processInstance/messages';
import { eventually } from '../support/stack';
import { startScenarioStack, type ScenarioStack } from '../support/scenarioStack';
import { claimReviewV3, ORDER } from './migrationReplayFixtures';
import { complete as completeComplaintTask, intake, openTask as openComplaintTask, type ComplaintDetail } from './complaintSupport';

jest.setTimeout(180_000);

const DAY = 24 * 3_600_000;
const fixture = (name: string) => fs.readFileSync(path.join(__dirname, 'fixtures', name), 'utf8');

interface TaskPage { items: Array<{ id: string; elementId: string }> }
interface Instance { activeElements: string[]; definition: { version: number }; variables: Record<string, unknown> }
interface Divergence { stimulusIndex: number; stimulus: string; elementId: string; message: string }
interface Replay {
  stimuli: number; applied: number; complete: boolean; reproduced: boolean; reproductionProblem: string | null;
  reachable: boolean; consistent: boolean; firstDivergence: Divergence | null; divergences: Divergence[];
  replayedTokens: string[]; migratedTokens: string[];
  mismatches: Array<{ kind: string; elementId: string; replayed: string; migrated: string }>;
}
interface DryRun { instances: Array<{ instanceId: string; migratable: boolean; replay: Replay | { error: string } | null }> }

let stack: ScenarioStack;

beforeAll(async () => {
  stack = await startScenarioStack({ temporal: 'timeSkipping' });
  await deployShippedProcesses(stack.services.definitions);
  for (const xml of [fixture('claim-review-v1.bpmn'), fixture('claim-review-v2.bpmn'), claimReviewV3(), ORDER(100), ORDER(50)]) {
    const deployed = await stack.api('POST', '/api/definitions', xml, 'application/xml');
    if (deployed.status !== 201) throw new Error(`deploy: ${deployed.status} ${JSON.stringify(deployed.body)}`);
  }
});

afterAll(async () => {
  await stack?.stop();
});

const openTask = (id: string, elementId: string) =>
  eventually<TaskPage>(stack, `/api/tasks?instanceId=${id}&state=open`, (p) => p.items.some((t) => t.elementId === elementId), `${elementId} open in ${id}`);
const complete = async (id: string, elementId: string, variables: Record<string, unknown> = {}) => {
  const task = (await openTask(id, elementId)).items.find((t) => t.elementId === elementId);
  const res = await stack.api('POST', `/api/tasks/${task?.id}/complete`, { variables });
  if (res.status !== 200) throw new Error(`complete ${elementId}: ${res.status} ${JSON.stringify(res.body)}`);
};
const start = async (key: string, variables: Record<string, unknown>) => {
  const started = await stack.api<{ instanceId: string }>('POST', `/api/processes/${key}/instances`, { version: 1, variables });
  expect(started.status).toBe(201);
  return started.body.instanceId;
};
const dryRun = async (body: object) => {
  const res = await stack.api<DryRun>('POST', '/api/migrations/dry-run', body);
  expect(res.status).toBe(200);
  return (id: string): Replay => {
    const replay = res.body.instances.find((i) => i.instanceId === id)?.replay;
    if (!replay || 'error' in replay) throw new Error(`no replay for ${id}: ${JSON.stringify(replay)}`);
    return replay;
  };
};

it('replays task completions and a three-day timer of claim-review v1 on v2: where v2 departs, what it cannot replay, what ends one to one', async () => {
  // given three v1 instances: still in triage; at decide after triage, legacy check and three days; on the timer
  const atTriage = await start('claim-review', { claim: 'C-1' });
  await openTask(atTriage, 'triage');
  const atDecide = await start('claim-review', { claim: 'C-2' });
  await complete(atDecide, 'triage');
  await complete(atDecide, 'legacyCheck');
  await eventually<Instance>(stack, `/api/instances/${atDecide}`, (i) => i.activeElements.includes('cooling'), 'on the timer');
  await stack.sleep(3 * DAY + 60_000);
  await openTask(atDecide, 'decide');
  const onTimer = await start('claim-review', { claim: 'C-3' });
  await complete(onTimer, 'triage');
  await stack.sleep(DAY); // the legacy check takes a day
  await complete(onTimer, 'legacyCheck');
  await eventually<Instance>(stack, `/api/instances/${onTimer}`, (i) => i.activeElements.includes('cooling'), 'on the timer');

  // when the migration to v2 (decide renamed assess) is dry-run
  const report = await dryRun({
    processKey: 'claim-review', sourceVersion: 1, targetVersion: 2, instanceIds: [atTriage, atDecide, onTimer],
    mapping: [{ sourceElementId: 'decide', targetElementId: 'assess' }],
  });

  // then the instance in triage: v2 reaches the same state from the same start
  expect(report(atTriage)).toMatchObject({ stimuli: 1, applied: 1, complete: true, reproduced: true, reachable: true, consistent: true, firstDivergence: null, mismatches: [] });
  // the instance at decide: its four stimuli reproduce it on v1; on v2 the path departs after triage (v2 waits at cooling),
  // legacyCheck's completion has nothing to complete, and the timer (fired three days later) brings v2 to assess
  expect(report(atDecide)).toMatchObject({ stimuli: 4, applied: 3, reproduced: true, reachable: false, consistent: true, replayedTokens: ['assess'], migratedTokens: ['assess'] });
  expect(report(atDecide).firstDivergence).toMatchObject({ stimulusIndex: 1, stimulus: "userTaskCompleted at 'triage'", elementId: 'cooling' });
  expect(report(atDecide).divergences[1]).toMatchObject({ stimulusIndex: 2, stimulus: "userTaskCompleted at 'legacyCheck'", elementId: 'legacyCheck' });
  // the instance on the timer: v2 would have started the three days a day earlier; the timer does not map one to one
  expect(report(onTimer)).toMatchObject({ reproduced: true, reachable: false, consistent: false, replayedTokens: ['cooling'], migratedTokens: ['cooling'] });
  expect(report(onTimer).mismatches.map((m) => [m.kind, m.elementId])).toEqual([['timer', 'cooling'], ['timer', 'cooling']]);
  // and nothing changed
  for (const id of [atTriage, atDecide, onTimer]) expect((await stack.api<Instance>('GET', `/api/instances/${id}`)).body.definition.version).toBe(1);
});

it('replays a message with its variables and a job result: a changed gateway condition is found at the job\'s stimulus', async () => {
  // given two orders paid by message (amount in the message), priced by a job; 80 went to ship, 500 to review on v1 (limit 100)
  const small = await start('order-review', { order: 'O-80' });
  const large = await start('order-review', { order: 'O-500' });
  for (const [order, amount] of [['O-80', 80], ['O-500', 500]] as const) {
    // (published until the instance's subscription is known: a 404 delivers nothing)
    await waitUntil(`${order} paid`, async () => (await stack.api('POST', '/api/messages', { name: 'order-paid', correlationKey: order, variables: { amount } })).status === 200, 20_000, 200);
  }
  await openTask(small, 'ship');
  await openTask(large, 'review');
  expect((await stack.api<Instance>('GET', `/api/instances/${small}`)).body.variables).toMatchObject({ amount: 80, fee: 8 });

  // when the migration to v2 (limit 50) is dry-run
  const report = await dryRun({ processKey: 'order-review', sourceVersion: 1, targetVersion: 2, instanceIds: [small, large] });

  // then 500 goes the same way on v2: start, message and job result replayed, reachable and one to one
  expect(report(large)).toMatchObject({ stimuli: 3, applied: 3, reproduced: true, reachable: true, consistent: true, firstDivergence: null, replayedTokens: ['review'] });
  // and 80 would have gone to review on v2: the divergence is at the job's completion (the gateway follows it)
  expect(report(small)).toMatchObject({ stimuli: 3, reproduced: true, reachable: false, consistent: false, replayedTokens: ['review'], migratedTokens: ['ship'] });
  expect(report(small).firstDivergence).toMatchObject({ stimulusIndex: 2, stimulus: "jobCompleted at 'price'", elementId: 'review' });
  expect(report(small).mismatches.map((m) => [m.kind, m.elementId, m.replayed, m.migrated])).toEqual([['task', 'review', '1', '0'], ['task', 'ship', '0', '1']]);
});

it('replays across the runs of a migrated instance: the stimuli before and after the migration, each run on its own version', async () => {
  // given an instance started on claim-review v1, migrated in triage to v2 (a new run with the v2 model), then triage completed on v2
  const id = await start('claim-review', { claim: 'C-4' });
  await openTask(id, 'triage');
  const migration = await stack.api<{ migrationId: string }>('POST', '/api/migrations', {
    processKey: 'claim-review', sourceVersion: 1, targetVersion: 2, instanceIds: [id], reason: 'to v2', mapping: [{ sourceElementId: 'decide', targetElementId: 'assess' }],
  });
  expect(migration.status).toBe(202);
  await eventually<{ status: string }>(stack, `/api/migrations/${migration.body.migrationId}`, (p) => p.status === 'completed', 'migrated', 60_000);
  await eventually<Instance>(stack, `/api/instances/${id}`, (i) => i.definition.version === 2, 'on v2');
  const triage = (await openTask(id, 'triage')).items[0]?.id;
  // (the test server may still be starting the new run: the update is retried until a run takes it)
  await waitUntil('triage completed on v2', async () => (await stack.api('POST', `/api/tasks/${triage}/complete`, { variables: {} })).status === 200, 20_000, 200);
  await eventually<Instance>(stack, `/api/instances/${id}`, (i) => i.activeElements.includes('cooling'), 'on the timer');

  // when the migration v2 -> v3 (the legacy check back) is dry-run
  const report = await dryRun({ processKey: 'claim-review', sourceVersion: 2, targetVersion: 3, instanceIds: [id] });

  // then both runs were read: the start (run 1, v1) and triage's completion (run 2, v2) reproduce the instance,
  // and on v3 triage's completion leads to the legacy check instead of the timer
  expect(report(id)).toMatchObject({ stimuli: 2, applied: 2, complete: true, reproduced: true, reachable: false, consistent: false, replayedTokens: ['legacyCheck'], migratedTokens: ['cooling'] });
  expect(report(id).firstDivergence).toMatchObject({ stimulusIndex: 1, stimulus: "userTaskCompleted at 'triage'", elementId: 'cooling' });
});

it('reads a shipped complaint\'s engine history faithfully: SLA timers, escalation jobs, a department brought in by message', async () => {
  // given a complaint dispatched, left without first response for a day (SLA warning and breach, escalation),
  // and a department brought in (the message event subprocess)
  // (a billing complaint: technical is only informed, so it can be brought in)
  const { body } = await stack.api<{ id: string }>('POST', '/api/complaints', intake('cust-replay', { title: 'Charged twice', description: 'My invoice shows the same payment twice' }));
  await completeComplaintTask(stack, stack.api, body.id, 'Dispatch', { assignee: 'eng-1' });
  await openComplaintTask(stack, body.id, 'FirstResponse');
  await stack.sleep(DAY + 3_600_000);
  await completeComplaintTask(stack, stack.api, body.id, 'EscalateFirstResponse');
  const brought = await stack.api('POST', `/api/complaints/${body.id}/departments`, { department: 'technical', reason: 'check the heating element' });
  if (brought.status !== 201) throw new Error(JSON.stringify(brought.body));
  await openComplaintTask(stack, body.id, 'BroughtInWork');
  const instanceId = (await stack.api<ComplaintDetail>('GET', `/api/complaints/${body.id}`)).body.instanceId ?? '';

  // when its history is read back and replayed on its own version
  const live = await stack.client.workflow.getHandle(instanceId).query(evaluatorStateQuery);
  const model = (await stack.services.definitions.resolveDefinition(live.definition.key, live.definition.version)).model as ProcessModel;
  const history = recordedHistory(await engineHistoryReader(stack.client, stack.dataConverter?.payloadCodecs?.[0]).read(instanceId, true));
  const report = replayDryRun(history, live.state, model, model, []);

  // then the stimuli give exactly the instance's state, and replayed as if on a target they reach it one to one
  expect(report).toMatchObject({ complete: true, reproduced: true, reproductionProblem: null, reachable: true, consistent: true, firstDivergence: null, mismatches: [] });
  expect(report.stimuli).toBe(report.applied);
  expect(report.stimuli).toBeGreaterThan(8);
  expect(report.replayedTokens).toEqual(expect.arrayContaining(['BroughtInWork', 'FirstResponse']));
});
