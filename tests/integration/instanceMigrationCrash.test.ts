/**
 * A migration survives its worker: the worker process (dist/server/workerMain.js) is killed
 * (SIGKILL) while the migration is between batches or in one, a new worker takes over from
 * Temporal's history, and the migration finishes with every instance migrated exactly once:
 * each keeps its one open task (same id, no second task document), and its history holds one
 * `migrated` entry.
 */
import fs from 'node:fs';
import path from 'node:path';
import { waitUntil } from '../../server/infra/ports';
import { testEnv } from '../support/servers';
import { migrationProgressQuery, type MigrationProgress } from '../../workflows/migrationBatch/contract';
import { eventually, startStack, type Stack } from '../support/stack';
import { running, spawnWorker, type WorkerChild } from '../support/workerChild';

interface TaskPage { items: Array<{ id: string; elementId: string }> }
interface Progress { status: string; done: number; migrated: number; refused: number; results: Array<{ instanceId: string; status: string; reason?: string }> }

const fixture = (name: string) => fs.readFileSync(path.join(__dirname, 'fixtures', name), 'utf8');
const INSTANCES = 6;


describe('a migration whose worker is killed mid-way', () => {
  let stack: Stack;
  const children: WorkerChild[] = [];
  let workerEnv: Record<string, string>;

  beforeAll(async () => {
    stack = await startStack({ worker: false });
    workerEnv = {
      TEMPORAL_ADDRESS: testEnv.temporalAddress,
      MONGODB_URI: testEnv.mongoUri,
      MONGODB_DATABASE: stack.mongo.name,
      TEMPORAL_TASK_QUEUE: stack.taskQueue,
      LOG_LEVEL: 'warn',
      PAYLOAD_KEYS: stack.payloadKeys,
    };
    for (const file of ['claim-review-v1.bpmn', 'claim-review-v2.bpmn']) {
      expect((await stack.api('POST', '/api/definitions', fixture(file), 'application/xml')).status).toBe(201);
    }
  });

  afterAll(async () => {
    for (const { child, exited } of children) {
      if (child.exitCode === null && child.signalCode === null) {
        child.kill('SIGKILL');
        await exited;
      }
    }
    await stack?.stop();
  });

  it('resumes on a new worker without losing or duplicating a task', async () => {
    // given a worker process and six v1 instances, each with its triage task open
    const first = spawnWorker(workerEnv);
    children.push(first);
    await running(first);
    const ids: string[] = [];
    for (let i = 0; i < INSTANCES; i += 1) {
      const started = await stack.api<{ instanceId: string }>('POST', '/api/processes/claim-review/instances', { version: 1, variables: { claim: `C-${i}` } });
      expect(started.status).toBe(201);
      ids.push(started.body.instanceId);
    }
    const taskIds = new Map<string, string>();
    for (const id of ids) {
      const page = await eventually<TaskPage>(stack, `/api/tasks?instanceId=${id}&state=open`, (p) => p.items.length === 1, `triage of ${id}`);
      taskIds.set(id, page.items[0]?.id ?? '');
    }

    // when a migration in batches of two (with a pause between them) has done its first batch, and the worker is killed
    const started = await stack.api<{ migrationId: string }>('POST', '/api/migrations', {
      processKey: 'claim-review', sourceVersion: 1, targetVersion: 2, instanceIds: ids, reason: 'crash drill', batchSize: 2, pauseMs: 1500,
    });
    expect(started.status).toBe(202);
    const progressPath = `/api/migrations/${started.body.migrationId}`;
    // Aim for the second batch in flight (its activities started); failing that, between the second and third.
    const batch = stack.client.workflow.getHandle(started.body.migrationId);
    let atKill: MigrationProgress | undefined;
    let midBatch = false;
    await waitUntil('the second batch in flight', async () => {
      const [described, progress] = await Promise.all([batch.describe(), batch.query(migrationProgressQuery)]);
      atKill = progress;
      midBatch = progress.done >= 2 && progress.done < INSTANCES && (described.raw.pendingActivities?.length ?? 0) > 0;
      return midBatch || (progress.done >= 4 && progress.status === 'running');
    }, 60_000, 20);
    first.child.kill('SIGKILL');
    await first.exited;
    const second = spawnWorker(workerEnv);
    children.push(second);
    await running(second);

    // then the migration completes on the new worker, every instance migrated
    expect(atKill?.status).toBe('running');
    process.stdout.write(`migration crash: worker killed ${midBatch ? 'with a batch in flight' : 'between batches'} after ${atKill?.done ?? 0} of ${INSTANCES}\n`);
    const done = await eventually<Progress>(stack, progressPath, (p) => p.status === 'completed', 'migration completed', 90_000);
    expect(done.results.map((r) => [r.instanceId, r.status])).toEqual(ids.map((id) => [id, 'migrated']));
    // and every instance has its one triage task, the same as before, and no second task document
    for (const id of ids) {
      const page = await eventually<TaskPage>(stack, `/api/tasks?instanceId=${id}&state=open`, (p) => p.items.length === 1, `task of ${id}`);
      expect(page.items.map((t) => [t.id, t.elementId])).toEqual([[taskIds.get(id), 'triage']]);
      expect(await stack.services.projections.tasks.countDocuments({ instanceId: id })).toBe(1);
      const instance = await eventually<{ definition: { version: number } }>(stack, `/api/instances/${id}`, (i) => i.definition.version === 2, `${id} on v2`);
      expect(instance.definition.version).toBe(2);
      // and one migration entry in its authoritative history
      const history = (await stack.api<Array<{ event: string }>>('GET', `/api/instances/${id}/history`)).body;
      expect(history.filter((e) => e.event === 'migrated')).toHaveLength(1);
    }
    second.child.kill('SIGTERM');
    expect(await second.exited).toBe(0);
  }, 240_000);
});
