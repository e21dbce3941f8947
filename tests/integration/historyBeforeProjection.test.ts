import { startStack, type Stack } from '../support/stack';

/**
 * The viewer reads an instance's history from the read model (`source=projection`). Opened from a
 * just-filed complaint, the instance may not be projected yet: that is an empty history, not an
 * unknown instance (a 404 there broke the viewer of a fresh complaint).
 */
describe('the projected history of an instance the read model has not caught up with', () => {
  let stack: Stack;

  beforeAll(async () => {
    // No worker: a started instance runs no workflow task, so nothing of it is ever projected.
    stack = await startStack({ worker: false });
  });

  afterAll(async () => {
    await stack?.stop();
  });

  it('is empty for a started instance and 404 for an unknown id', async () => {
    // given an instance Temporal knows and the read model does not
    const diagram = `<?xml version="1.0" encoding="UTF-8"?>
<bpmn:definitions xmlns:bpmn="http://www.omg.org/spec/BPMN/20100524/MODEL" id="d" targetNamespace="http://example.com/bpmn">
  <bpmn:process id="not-yet-projected" isExecutable="true">
    <bpmn:startEvent id="s" />
    <bpmn:sequenceFlow id="f1" sourceRef="s" targetRef="e" />
    <bpmn:endEvent id="e" />
  </bpmn:process>
</bpmn:definitions>`;
    expect((await stack.api('POST', '/api/definitions', diagram, 'application/xml')).status).toBe(201);
    const { instanceId } = await stack.services.instances.start('not-yet-projected', { variables: {} });
    expect(await stack.services.projections.instances.exists({ _id: instanceId })).toBeNull();
    // when its projected history is asked for, then it is empty
    const history = await stack.api<unknown[]>('GET', `/api/instances/${instanceId}/history?source=projection`);
    expect(history.status).toBe(200);
    expect(history.body).toEqual([]);
    // and an id nobody started is still unknown
    const unknown = await stack.api<{ error: string }>('GET', '/api/instances/pi-00000000-0000-4000-8000-000000000000/history?source=projection');
    expect(unknown.status).toBe(404);
  });
});
