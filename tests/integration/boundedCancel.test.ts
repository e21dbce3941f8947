/**
 * Issue 12, bounded execution, through the real API, Temporal dev server and FerretDB: a cancel
 * ends even an instance whose workflow cannot take it, and one that can as canceled.
 */
import { randomUUID } from 'node:crypto';
import { compileBpmn } from '../../processes/compiler';
import type { ProcessInstanceInput } from '../../workflows/processInstance/types';
import { boundedCalls, diagram, type Detail, startBoundedStack } from '../support/boundedExecution';
import { eventually, type Stack } from '../support/stack';

describe('bounded execution: cancel', () => {
  let stack: Stack;
  const { deploy, start } = boundedCalls(() => stack);

  beforeAll(async () => {
    stack = await startBoundedStack();
  });

  afterAll(async () => {
    await stack?.stop();
  });

  it('ends an instance whose workflow cannot take the cancel: GET still answers, DELETE terminates, the inbox follows', async () => {
    // A user task and a receive task side by side; after the message an element the evaluator
    // cannot run, so every workflow task from then on fails (as a runaway or a lost worker would).
    const compiled = await compileBpmn(diagram('wedge', `<bpmn:startEvent id="S" /><bpmn:parallelGateway id="Fork" />
      <bpmn:userTask id="Review" name="review" />
      <bpmn:receiveTask id="Wait" name="w" messageRef="Go" />
      <bpmn:task id="Boom" name="boom" /><bpmn:endEvent id="E1" /><bpmn:endEvent id="E2" />
      <bpmn:sequenceFlow id="W1" sourceRef="S" targetRef="Fork" /><bpmn:sequenceFlow id="W2" sourceRef="Fork" targetRef="Review" />
      <bpmn:sequenceFlow id="W3" sourceRef="Fork" targetRef="Wait" /><bpmn:sequenceFlow id="W4" sourceRef="Wait" targetRef="Boom" />
      <bpmn:sequenceFlow id="W5" sourceRef="Boom" targetRef="E1" /><bpmn:sequenceFlow id="W6" sourceRef="Review" targetRef="E2" />`)
      .replace('</bpmn:definitions>', '<bpmn:message id="Go" name="go"><bpmn:extensionElements><zeebe:subscription correlationKey="=&quot;k&quot;" /></bpmn:extensionElements></bpmn:message></bpmn:definitions>'), { taskTypes: null });
    expect(compiled.problems.filter((p) => p.severity === 'error')).toEqual([]);
    const model = compiled.document!.processes[0]!;
    const broken = { ...model, elements: model.elements.map((e) => (e.id === 'Boom' ? { ...e, kind: 'not-a-kind' } : e)) } as ProcessInstanceInput['model'];
    const id = `pi-${randomUUID()}`;
    await stack.client.workflow.start('processInstance', {
      taskQueue: stack.taskQueue, workflowId: id,
      args: [{ definition: { key: 'wedge', version: 1 }, model: broken, variables: {} } satisfies ProcessInstanceInput],
    });
    await eventually<{ items: Array<{ instanceId: string }> }>(stack, '/api/tasks?state=open', (p) => p.items.some((t) => t.instanceId === id), 'the review task in the inbox');
    expect((await stack.api('POST', '/api/messages', { name: 'go', correlationKey: 'k' })).status).toBe(200);
    // The workflow task that applies the message fails from now on; the read model still answers.
    const during = await stack.api<Detail>('GET', `/api/instances/${id}`);
    expect(during.status).toBe(200);
    expect(during.body.status).toBe('active');

    const cancel = await stack.api<{ status: string }>('DELETE', `/api/instances/${id}`);
    expect(cancel.status).toBe(202);
    expect(cancel.body).toEqual({ status: 'terminated' });
    expect((await stack.client.workflow.getHandle(id).describe()).status.name).toBe('TERMINATED');
    const after = await stack.api<Detail>('GET', `/api/instances/${id}`);
    expect(after.status).toBe(200);
    expect(after.body.status).toBe('terminated');
    const inbox = await stack.api<{ items: Array<{ instanceId: string }> }>('GET', '/api/tasks?state=open');
    expect(inbox.body.items.filter((t) => t.instanceId === id)).toEqual([]);
    const listed = await stack.api<{ items: Array<{ id: string; status: string }> }>('GET', '/api/instances?status=terminated');
    expect(listed.body.items.map((i) => i.id)).toContain(id);
  });

  it('cancels an instance that takes the cancel within the grace period as canceled', async () => {
    expect((await deploy(diagram('hold', `<bpmn:startEvent id="S" /><bpmn:userTask id="Hold" name="h" /><bpmn:endEvent id="E" />
      <bpmn:sequenceFlow id="A" sourceRef="S" targetRef="Hold" /><bpmn:sequenceFlow id="B" sourceRef="Hold" targetRef="E" />`))).status).toBe(201);
    const id = await start('hold');
    await eventually<Detail>(stack, `/api/instances/${id}`, (d) => d.tasks.length === 1, 'the vote task');
    const cancel = await stack.api<{ status: string }>('DELETE', `/api/instances/${id}`);
    expect(cancel.body).toEqual({ status: 'canceled' });
    await eventually<Detail>(stack, `/api/instances/${id}`, (d) => d.status === 'canceled' && d.tasks.length === 0, 'the canceled instance');
  });
});
