/**
 * Deploying a new version never changes instances already running: each instance carries the
 * model of the version it started with, and finishes on that version's path.
 */
import fs from 'node:fs';
import path from 'node:path';
import { eventually, startStack, type Stack } from '../support/stack';

const fixture = (name: string) => fs.readFileSync(path.join(__dirname, 'fixtures', name), 'utf8');

interface TaskPage { items: Array<{ id: string; elementId: string; state: string }> }
interface Instance { status: string; definition: { key: string; version: number }; activeElements: string[] }
type History = Array<{ elementId: string; event: string }>;

describe('instances of two versions of a process side by side', () => {
  let stack: Stack;

  beforeAll(async () => {
    stack = await startStack();
  });

  afterAll(async () => {
    await stack?.stop();
  });

  const start = async () => {
    const res = await stack.api<{ instanceId: string; version: number }>('POST', '/api/processes/refund/instances', { variables: { amount: 40 } });
    expect(res.status).toBe(201);
    return res.body;
  };
  const openTask = async (id: string, elementId: string) => {
    const page = await eventually<TaskPage>(stack, `/api/tasks?instanceId=${id}&state=open`,
      (p) => p.items.some((t) => t.elementId === elementId), `${elementId} open in ${id}`);
    return page.items.find((t) => t.elementId === elementId)!.id;
  };
  const complete = async (taskId: string) => {
    expect((await stack.api('POST', `/api/tasks/${taskId}/complete`, { variables: {} })).status).toBe(200);
  };
  const activated = async (id: string) => {
    const history = await eventually<History>(stack, `/api/instances/${id}/history`,
      (events) => events.some((e) => e.elementId === 'done' && e.event === 'completed'), `history of ${id}`);
    return history.filter((e) => e.event === 'activated').map((e) => e.elementId);
  };

  it('finishes old instances on v1 while new ones run v2', async () => {
    // given v1 (review only) deployed and two instances waiting in its review task
    expect((await stack.api('POST', '/api/definitions', fixture('refund-v1.bpmn'), 'application/xml')).status).toBe(201);
    const old = [await start(), await start()];
    expect(old.map((o) => o.version)).toEqual([1, 1]);
    const oldTasks = await Promise.all(old.map((o) => openTask(o.instanceId, 'review')));

    // when v2 (review, then approve) is proposed (v1 has running instances: four-eyes), approved by a second publisher, and a new instance starts
    const proposed = await stack.api<{ id: string }>('POST', '/api/definitions', fixture('refund-v2.bpmn'), 'application/xml');
    expect(proposed.status).toBe(202);
    const v2 = await stack.as({ roles: ['designer'] })<{ deployed: Array<{ key: string; version: number }> }>('POST', `/api/definition-proposals/${proposed.body.id}/approve`);
    expect(v2.status).toBe(201);
    expect(v2.body.deployed).toEqual([{ key: 'refund', version: 2 }]);
    const fresh = await start();
    expect(fresh.version).toBe(2);
    // and the old instances' review tasks are completed after the deployment
    for (const taskId of oldTasks) await complete(taskId);

    // then the old instances end on the v1 path, without the approve task
    for (const o of old) {
      const done = await eventually<Instance>(stack, `/api/instances/${o.instanceId}`, (i) => i.status === 'completed', 'old instance completed');
      expect(done.definition).toEqual({ key: 'refund', version: 1 });
      expect(await activated(o.instanceId)).toEqual(['refund', 'received', 'review', 'done']);
    }
    // and the new instance runs v2: after review comes approve
    await complete(await openTask(fresh.instanceId, 'review'));
    const approving = await eventually<Instance>(stack, `/api/instances/${fresh.instanceId}`,
      (i) => i.activeElements.includes('approve'), 'new instance in approve');
    expect(approving.definition).toEqual({ key: 'refund', version: 2 });
    await complete(await openTask(fresh.instanceId, 'approve'));
    expect(await activated(fresh.instanceId)).toEqual(['refund', 'received', 'review', 'approve', 'done']);
  });
});
