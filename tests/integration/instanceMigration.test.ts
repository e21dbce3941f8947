/**
 * Instance migration over HTTP on the real stack (decision 0041): the dry run reports per
 * instance before anything changes; the migration moves the instances that can move (same
 * task keys, the long timer kept), refuses the one in an element the target lacks with that
 * element named, and records who and why in each migrated instance's history.
 */
import fs from 'node:fs';
import http from 'node:http';
import type { AddressInfo } from 'node:net';
import path from 'node:path';
import { waitUntil } from '../../server/infra/ports';
import { BPMN_PROCESS_VERSION } from '../../workflows/searchAttributes';
import { eventually, startStack, type Stack } from '../support/stack';

const fixture = (name: string) => fs.readFileSync(path.join(__dirname, 'fixtures', name), 'utf8');

interface TaskPage { items: Array<{ id: string; elementId: string; state: string }> }
interface Instance {
  status: string; definition: { key: string; version: number }; activeElements: string[];
  timers: Array<{ key: string; elementId: string; dueAt: number | string }>;
}
interface HistoryEvent { elementId: string; event: string; message?: string }
interface Correspondence { key: string; from: string; to: string | null }
interface DryRun {
  total: number; migratable: number;
  instances: Array<{
    instanceId: string; migratable: boolean; consistent: boolean; reachable: boolean;
    refusals: Array<{ elementId: string; reason: string }>; tasks: Correspondence[]; timers: Correspondence[];
    divergences: Array<{ elementId: string; message: string }>;
  }>;
}
interface Progress {
  status: string; total: number; done: number; migrated: number; refused: number; actor: string;
  results: Array<{ instanceId: string; status: string; reason?: string; refusals?: Array<{ elementId: string }> }>;
}

describe('migrating instances of claim-review v1 to v2', () => {
  let stack: Stack;

  beforeAll(async () => {
    stack = await startStack({ allowedHosts: ['127.0.0.1'] });
    for (const file of ['claim-review-v1.bpmn', 'claim-review-v2.bpmn']) {
      expect((await stack.api('POST', '/api/definitions', fixture(file), 'application/xml')).status).toBe(201);
    }
  });

  afterAll(async () => {
    await stack?.stop();
  });

  const openTasks = (id: string, elementId: string) =>
    eventually<TaskPage>(stack, `/api/tasks?instanceId=${id}&state=open`, (p) => p.items.length === 1 && p.items[0]?.elementId === elementId, `${elementId} open in ${id}`);
  const start = async () => {
    const started = await stack.api<{ instanceId: string; version: number }>('POST', '/api/processes/claim-review/instances', { version: 1, variables: { claim: 'C-2' } });
    expect(started.body.version).toBe(1);
    await openTasks(started.body.instanceId, 'triage');
    return started.body.instanceId;
  };
  const complete = async (id: string, elementId: string) => {
    const task = (await openTasks(id, elementId)).items[0];
    expect((await stack.api('POST', `/api/tasks/${task?.id}/complete`, { variables: {} })).status).toBe(200);
  };

  it('dry-runs, then migrates in batches: three move with their tasks and timer, one is refused with its element', async () => {
    // given four v1 instances: in triage, in the legacy check (gone in v2), in decide (renamed assess), on the 3-day timer
    const atTriage = await start();
    const atLegacy = await start();
    await complete(atLegacy, 'triage');
    await openTasks(atLegacy, 'legacyCheck');
    const atDecide = await start();
    expect((await stack.api('POST', `/api/instances/${atDecide}/modifications`, {
      instructions: [{ type: 'terminate', elementId: 'triage' }, { type: 'activate', elementId: 'decide' }], reason: 'set up',
    })).status).toBe(200);
    const decideTask = (await openTasks(atDecide, 'decide')).items[0]?.id;
    const atTimer = await start();
    await complete(atTimer, 'triage');
    await complete(atTimer, 'legacyCheck');
    const waiting = await eventually<Instance>(stack, `/api/instances/${atTimer}`, (i) => i.activeElements.includes('cooling'), 'on the timer');
    const selection = {
      processKey: 'claim-review', sourceVersion: 1, targetVersion: 2,
      instanceIds: [atTriage, atLegacy, atDecide, atTimer],
      mapping: [{ sourceElementId: 'decide', targetElementId: 'assess' }],
    };

    // when the migration is dry-run
    const dry = await stack.api<DryRun>('POST', '/api/migrations/dry-run', selection);

    // then each instance has its report, and nothing changed
    expect(dry.status).toBe(200);
    const report = (id: string) => dry.body.instances.find((i) => i.instanceId === id)!;
    expect(dry.body).toMatchObject({ total: 4, migratable: 3 });
    expect(report(atLegacy)).toMatchObject({ migratable: false, consistent: false });
    expect(report(atLegacy).refusals.map((r) => r.elementId)).toContain('legacyCheck');
    expect(report(atDecide)).toMatchObject({ migratable: true, consistent: true, reachable: true });
    expect(report(atDecide).tasks.map((t) => [t.from, t.to])).toEqual([['decide', 'assess']]);
    expect(report(atTimer).timers).toEqual([{ key: waiting.timers[0]?.key, from: 'cooling', to: 'cooling' }]);
    expect(report(atTimer).divergences.map((d) => d.elementId)).toEqual(['legacyCheck']);
    expect((await stack.api<Instance>('GET', `/api/instances/${atTriage}`)).body.definition.version).toBe(1);

    // when it is started (batches of two) and followed to the end
    const started = await stack.api<{ migrationId: string; total: number }>('POST', '/api/migrations', { ...selection, reason: 'v2 drops the legacy check', batchSize: 2 });
    expect(started.status).toBe(202);
    expect(started.body.total).toBe(4);
    const done = await eventually<Progress>(stack, `/api/migrations/${started.body.migrationId}`, (p) => p.status === 'completed', 'migration completed', 60_000);

    // then the result list says who moved and who did not, and why
    expect(done).toMatchObject({ total: 4, done: 4, migrated: 3, refused: 1 });
    expect(done.results.map((r) => [r.instanceId, r.status])).toEqual([[atTriage, 'migrated'], [atLegacy, 'refused'], [atDecide, 'migrated'], [atTimer, 'migrated']]);
    expect(done.results[1]?.reason).toContain("'legacyCheck'");
    expect(done.results[1]?.refusals?.map((r) => r.elementId)).toContain('legacyCheck');

    // and the migrated instances run v2: same task (same id) at the mapped element, the long timer kept
    for (const id of [atTriage, atDecide, atTimer]) {
      await eventually<Instance>(stack, `/api/instances/${id}`, (i) => i.definition.version === 2, `${id} on v2`);
    }
    expect((await stack.api<Instance>('GET', `/api/instances/${atLegacy}`)).body.definition.version).toBe(1);
    // (the search attribute Temporal lists instances by follows the version)
    const described = await stack.client.workflow.getHandle(atTriage).describe();
    expect(described.typedSearchAttributes.get(BPMN_PROCESS_VERSION)).toBe(2);
    expect((await stack.client.workflow.getHandle(atLegacy).describe()).typedSearchAttributes.get(BPMN_PROCESS_VERSION)).toBe(1);
    const assess = await openTasks(atDecide, 'assess');
    expect(assess.items.map((t) => t.id)).toEqual([decideTask]);
    const timerAfter = (await stack.api<Instance>('GET', `/api/instances/${atTimer}`)).body.timers;
    expect(timerAfter).toEqual(waiting.timers);
    // completing triage now follows v2: straight to the timer, no legacy check
    await complete(atTriage, 'triage');
    await eventually<Instance>(stack, `/api/instances/${atTriage}`, (i) => i.activeElements.join() === 'cooling', 'v2 path after triage');
    // and the read model lists them under the new version
    const listed = await eventually<{ items: Array<{ id: string; definition: { version: number } }> }>(stack, '/api/instances?key=claim-review&status=active&pageSize=100',
      (p) => p.items.filter((i) => i.definition.version === 2).length === 3, 'three listed on v2');
    expect(listed.items.filter((i) => i.definition.version === 2).map((i) => i.id).sort()).toEqual([atTriage, atDecide, atTimer].sort());

    // and each migrated instance's history records the migration with who and why
    const history = (await stack.api<HistoryEvent[]>('GET', `/api/instances/${atDecide}/history`)).body;
    const migrated = history.filter((e) => e.event === 'migrated');
    expect(migrated).toHaveLength(1);
    expect(migrated[0]?.message).toContain('migrated from version 1 to 2');
    expect(migrated[0]?.message).toContain(`by ${done.actor}: v2 drops the legacy check`);

    // and a second migration of the same instance to v2 is refused: it runs v2 already
    const again = await stack.api<{ error: string }>('POST', '/api/migrations', { ...selection, instanceIds: [atTriage], reason: 'again' });
    expect(again.status).toBe(400);
  }, 120_000);

  it('refuses a bad request with the field or element named, and starts nothing', async () => {
    const unknownVersion = await stack.api<{ error: string; message: string }>('POST', '/api/migrations/dry-run', { processKey: 'claim-review', sourceVersion: 1, targetVersion: 9 });
    expect(unknownVersion.status).toBe(404);
    expect(unknownVersion.body.message).toContain('targetVersion');
    const badMapping = await stack.api<{ error: string; refusals: Array<{ elementId: string }> }>('POST', '/api/migrations', {
      processKey: 'claim-review', sourceVersion: 1, targetVersion: 2, reason: 'x', mapping: [{ sourceElementId: 'decide', targetElementId: 'nope' }],
    });
    expect(badMapping.status).toBe(400);
    expect(badMapping.body.error).toBe('invalid_mapping');
    expect(badMapping.body.refusals.map((r) => r.elementId)).toEqual(['decide']);
    const malformed = await stack.api<{ fields: Array<{ path: string }> }>('POST', '/api/migrations', { processKey: 'claim-review', sourceVersion: 1 });
    expect(malformed.status).toBe(400);
    expect(malformed.body.fields.map((f) => f.path).sort()).toEqual(['reason', 'targetVersion']);
    expect((await stack.as({ roles: ['supervisor'] })('POST', '/api/migrations/dry-run', { processKey: 'claim-review', sourceVersion: 1, targetVersion: 2 })).status).toBe(403);
    expect((await stack.api('GET', '/api/migrations/mig-00000000-0000-0000-0000-000000000000')).status).toBe(404);
    // a filter instead of ids: the v1 instance left waiting in the legacy check (from the test above)
    const filtered = await stack.api<DryRun>('POST', '/api/migrations/dry-run', {
      processKey: 'claim-review', sourceVersion: 1, targetVersion: 2, filter: { activeElementId: 'legacyCheck' },
    });
    expect(filtered.status).toBe(200);
    expect(filtered.body.total).toBe(1);
    expect(filtered.body.instances[0]?.refusals.map((r) => r.elementId)).toEqual(['legacyCheck']);
  });

  it('waits for a running job before it moves the instance: the job is applied once, then the instance migrates', async () => {
    // given a charge endpoint that holds its answer until released, and v1/v2 of a process that charges, then waits
    let release: () => void = () => undefined;
    const released = new Promise<void>((resolve) => { release = resolve; });
    let charges = 0;
    const server = http.createServer((req, res) => {
      req.resume();
      charges += 1;
      void released.then(() => res.writeHead(200, { 'content-type': 'application/json' }).end('{"charged":true}'));
    });
    await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
    try {
      const v1 = fixture('charge-then-wait.bpmn');
      const v2 = v1.replace('Charge, then wait', 'Charge, then wait (v2)').replace('PT4S', 'PT1S');
      for (const xml of [v1, v2]) expect((await stack.api('POST', '/api/definitions', xml, 'application/xml')).status).toBe(201);
      const endpoint = `http://127.0.0.1:${(server.address() as AddressInfo).port}/charges`;
      const id = (await stack.api<{ instanceId: string }>('POST', '/api/processes/charge-then-wait/instances', { version: 1, variables: { endpoint, order: 'O-1' } })).body.instanceId;
      await eventually<Instance>(stack, `/api/instances/${id}`, (i) => i.activeElements.includes('charge') && charges === 1, 'the charge in flight');

      // when the migration starts while the charge is in flight, and the charge is then answered
      const started = await stack.api<{ migrationId: string }>('POST', '/api/migrations', {
        processKey: 'charge-then-wait', sourceVersion: 1, targetVersion: 2, instanceIds: [id], reason: 'shorter wait',
      });
      expect(started.status).toBe(202);
      // (its activity has sent the update and heartbeats while the instance holds it for the running job)
      await waitUntil('the migration waiting on the instance', async () => {
        const pending = (await stack.client.workflow.getHandle(started.body.migrationId).describe()).raw.pendingActivities ?? [];
        return pending.some((a) => a.lastHeartbeatTime);
      }, 30_000, 100);
      expect((await stack.api<Instance>('GET', `/api/instances/${id}`)).body.definition.version).toBe(1);
      release();
      const done = await eventually<Progress>(stack, `/api/migrations/${started.body.migrationId}`, (p) => p.status === 'completed', 'migration completed', 60_000);

      // then it migrated after the charge completed in v1 (history order), the charge was made once, and it finishes on v2
      expect(done.results).toEqual([{ instanceId: id, status: 'migrated' }]);
      const ended = await eventually<Instance>(stack, `/api/instances/${id}`, (i) => i.status === 'completed', 'completed on v2', 60_000);
      expect(ended.definition.version).toBe(2);
      const history = (await stack.api<HistoryEvent[]>('GET', `/api/instances/${id}/history`)).body.map((e) => `${e.event}:${e.elementId}`);
      expect(history.indexOf('completed:charge')).toBeGreaterThanOrEqual(0);
      expect(history.indexOf('completed:charge')).toBeLessThan(history.indexOf('migrated:charge-then-wait'));
      expect(charges).toBe(1);
    } finally {
      release();
      server.closeAllConnections();
      await new Promise<void>((resolve) => server.close(() => resolve()));
    }
  }, 120_000);
});
