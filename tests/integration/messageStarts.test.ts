/**
 * Publishing messages as Camunda 8 does, through the HTTP API on the real servers: a message
 * start event starts an instance (one per correlation key while it is active), a message with
 * a time-to-live waits for a subscription that opens later and reaches each process once, and
 * without one a message nobody takes is a 404.
 */
import { eventually, startStack, type Stack } from '../support/stack';

const bpmn = (id: string, body: string) => `<?xml version="1.0" encoding="UTF-8"?>
<bpmn:definitions xmlns:bpmn="http://www.omg.org/spec/BPMN/20100524/MODEL" xmlns:zeebe="http://camunda.org/schema/zeebe/1.0" id="d-${id}" targetNamespace="http://example.com/bpmn">
  ${body}
</bpmn:definitions>`;

const ORDERS = bpmn('msg-orders', `
  <bpmn:message id="mOrder" name="order-placed" />
  <bpmn:process id="msg-orders" isExecutable="true">
    <bpmn:startEvent id="placed"><bpmn:outgoing>f1</bpmn:outgoing><bpmn:messageEventDefinition messageRef="mOrder" /></bpmn:startEvent>
    <bpmn:userTask id="pack" name="Pack the order"><bpmn:incoming>f1</bpmn:incoming><bpmn:outgoing>f2</bpmn:outgoing></bpmn:userTask>
    <bpmn:endEvent id="done"><bpmn:incoming>f2</bpmn:incoming></bpmn:endEvent>
    <bpmn:sequenceFlow id="f1" sourceRef="placed" targetRef="pack" />
    <bpmn:sequenceFlow id="f2" sourceRef="pack" targetRef="done" />
  </bpmn:process>`);

const PAYMENTS = bpmn('msg-payments', `
  <bpmn:message id="mPaid" name="payment-received"><bpmn:extensionElements><zeebe:subscription correlationKey="=orderId" /></bpmn:extensionElements></bpmn:message>
  <bpmn:process id="msg-payments" isExecutable="true">
    <bpmn:startEvent id="start"><bpmn:outgoing>f1</bpmn:outgoing></bpmn:startEvent>
    <bpmn:userTask id="invoice" name="Send the invoice"><bpmn:incoming>f1</bpmn:incoming><bpmn:outgoing>f2</bpmn:outgoing></bpmn:userTask>
    <bpmn:intermediateCatchEvent id="paid"><bpmn:incoming>f2</bpmn:incoming><bpmn:outgoing>f3</bpmn:outgoing><bpmn:messageEventDefinition messageRef="mPaid" /></bpmn:intermediateCatchEvent>
    <bpmn:endEvent id="done"><bpmn:incoming>f3</bpmn:incoming></bpmn:endEvent>
    <bpmn:sequenceFlow id="f1" sourceRef="start" targetRef="invoice" />
    <bpmn:sequenceFlow id="f2" sourceRef="invoice" targetRef="paid" />
    <bpmn:sequenceFlow id="f3" sourceRef="paid" targetRef="done" />
  </bpmn:process>`);

interface Published { instanceId?: string; messageKey: string; correlated: Array<{ instanceId: string; processKey: string }>; started: Array<{ instanceId: string; processKey: string }>; expiresAt: string | null }
interface Detail { status: string; activeElements: string[]; variables: Record<string, unknown> }
interface TaskPage { items: Array<{ id: string; elementId: string }> }
interface ListPage { items: Array<{ id: string; status: string; activeElements: string[] }> }

describe('messages: start events and time-to-live', () => {
  let stack: Stack;

  beforeAll(async () => {
    stack = await startStack();
    for (const xml of [ORDERS, PAYMENTS]) expect((await stack.api('POST', '/api/definitions', xml, 'application/xml')).status).toBe(201);
  });

  afterAll(async () => {
    await stack?.stop();
  });

  const completeTask = async (instanceId: string, elementId: string, variables: Record<string, unknown> = {}) => {
    const page = await eventually<TaskPage>(stack, `/api/tasks?instanceId=${instanceId}`, (p) => p.items.some((t) => t.elementId === elementId), `task ${elementId}`);
    const task = page.items.find((t) => t.elementId === elementId)!;
    expect((await stack.api('POST', `/api/tasks/${task.id}/claim`, { assignee: 'agent-1' })).status).toBeLessThan(300);
    expect((await stack.api('POST', `/api/tasks/${task.id}/complete`, { variables })).status).toBeLessThan(300);
  };

  it('starts an instance at the message start event, one per correlation key while it is active', async () => {
    const first = await stack.api<Published>('POST', '/api/messages', { name: 'order-placed', correlationKey: 'O-1', variables: { amount: 5 } });
    expect(first.status).toBe(200);
    expect(first.body.correlated).toEqual([]);
    expect(first.body.started).toEqual([{ instanceId: expect.stringMatching(/^pi-/), processKey: 'msg-orders' }]);
    const firstId = first.body.started[0]!.instanceId;
    expect(first.body.instanceId).toBe(firstId);
    const detail = await eventually<Detail>(stack, `/api/instances/${firstId}`, (d) => d.activeElements.includes('pack'), 'the order instance at its task');
    expect(detail.variables).toEqual({ amount: 5 });

    // Same correlation key while that instance is active: no second instance, and nothing else takes it.
    const again = await stack.api<{ error: string }>('POST', '/api/messages', { name: 'order-placed', correlationKey: 'O-1', variables: { amount: 6 } });
    expect(again.status).toBe(404);
    expect(again.body.error).toBe('no_subscriber');

    // Another correlation key starts another instance.
    const other = await stack.api<Published>('POST', '/api/messages', { name: 'order-placed', correlationKey: 'O-2' });
    expect(other.status).toBe(200);
    expect(other.body.started).toHaveLength(1);
    expect(other.body.started[0]!.instanceId).not.toBe(firstId);

    // Once the first has ended, the key starts a new one.
    await completeTask(firstId, 'pack');
    await eventually<Detail>(stack, `/api/instances/${firstId}`, (d) => d.status === 'completed', 'the first order completed');
    const after = await stack.api<Published>('POST', '/api/messages', { name: 'order-placed', correlationKey: 'O-1', variables: { amount: 7 } });
    expect(after.status).toBe(200);
    expect(after.body.started).toHaveLength(1);
    const list = await eventually<ListPage>(stack, '/api/instances?key=msg-orders', (p) => p.items.length === 3, 'three order instances');
    expect(list.items.filter((i) => i.status === 'active')).toHaveLength(2);
  });

  it('buffers a message with a time-to-live until its subscription opens, and delivers it once per process', async () => {
    const a = (await stack.api<{ instanceId: string }>('POST', '/api/processes/msg-payments/instances', { variables: { orderId: 'P-1' } })).body.instanceId;
    await eventually<Detail>(stack, `/api/instances/${a}`, (d) => d.activeElements.includes('invoice'), 'the invoice task open');

    const early = await stack.api<Published>('POST', '/api/messages', { name: 'payment-received', correlationKey: 'P-1', variables: { paidAmount: 42 }, timeToLive: 600_000, messageId: 'pay-1' });
    expect(early.status).toBe(202);
    expect(early.body.correlated).toEqual([]);
    expect(early.body.started).toEqual([]);
    expect(Date.parse(early.body.expiresAt!)).toBeGreaterThan(Date.now());

    // The same messageId again while the first is buffered is refused.
    const duplicate = await stack.api<{ error: string }>('POST', '/api/messages', { name: 'payment-received', correlationKey: 'P-1', timeToLive: 600_000, messageId: 'pay-1' });
    expect(duplicate.status).toBe(409);
    expect(duplicate.body.error).toBe('message_already_published');

    await completeTask(a, 'invoice');
    const done = await eventually<Detail>(stack, `/api/instances/${a}`, (d) => d.status === 'completed', 'the payment instance completed by the buffered message');
    expect(done.variables).toEqual({ orderId: 'P-1', paidAmount: 42 });

    // A second instance of the same process with the same key does not get it again (once per process).
    const b = (await stack.api<{ instanceId: string }>('POST', '/api/processes/msg-payments/instances', { variables: { orderId: 'P-1' } })).body.instanceId;
    await completeTask(b, 'invoice');
    await eventually<Detail>(stack, `/api/instances/${b}`, (d) => d.activeElements.includes('paid'), 'the second instance waiting for payment');
    // The projection has its subscription (what a publish finds it by) once it shows the instance at 'paid'.
    const waiting = await eventually<ListPage>(stack, '/api/instances?key=msg-payments&status=active', (p) => p.items.some((i) => i.id === b && i.activeElements.includes('paid')), 'the second instance waiting in the read model');
    expect(waiting.items.map((i) => i.id)).toEqual([b]);
    // A fresh publish reaches it, and only it.
    const fresh = await stack.api<Published>('POST', '/api/messages', { name: 'payment-received', correlationKey: 'P-1', variables: { paidAmount: 1 } });
    expect(fresh.status).toBe(200);
    expect(fresh.body.correlated).toEqual([{ instanceId: b, processKey: 'msg-payments' }]);
    const second = await eventually<Detail>(stack, `/api/instances/${b}`, (d) => d.status === 'completed', 'the second instance completed');
    expect(second.variables.paidAmount).toBe(1);
  });

  it('records the start events of a version deployed before they were recorded when the service starts', async () => {
    const legacy = ORDERS.replace(/msg-orders/g, 'msg-legacy').replace(/order-placed/g, 'legacy-order');
    expect((await stack.api('POST', '/api/definitions', legacy, 'application/xml')).status).toBe(201);
    // As a database written before start_events existed: the version without its record.
    await stack.mongo.collection('start_events').deleteOne({ _id: 'msg-legacy' as never });
    expect((await stack.api('POST', '/api/messages', { name: 'legacy-order', correlationKey: 'L-1' })).status).toBe(404);
    await stack.services.recordExistingStarts();
    const started = await stack.api<Published>('POST', '/api/messages', { name: 'legacy-order', correlationKey: 'L-1' });
    expect(started.status).toBe(200);
    expect(started.body.started).toEqual([{ instanceId: expect.stringMatching(/^pi-/), processKey: 'msg-legacy' }]);
  });

  it('lets only the roles a message declares as publishers start an instance with it or reach a waiting one', async () => {
    // given a process started by `parcel-scanned` (publishers: integration) that then waits for `parcel-delivered` (publishers: operator)
    const publishers = (roles: string) => `<bpmn:extensionElements><zeebe:properties><zeebe:property name="publishers" value="${roles}" /></zeebe:properties>`;
    const parcels = bpmn('msg-parcels', `
      <bpmn:message id="mScanned" name="parcel-scanned">${publishers('integration')}</bpmn:extensionElements></bpmn:message>
      <bpmn:message id="mDelivered" name="parcel-delivered">${publishers('operator')}<zeebe:subscription correlationKey="=parcelId" /></bpmn:extensionElements></bpmn:message>
      <bpmn:process id="msg-parcels" isExecutable="true">
        <bpmn:startEvent id="scanned"><bpmn:outgoing>f1</bpmn:outgoing><bpmn:messageEventDefinition messageRef="mScanned" /></bpmn:startEvent>
        <bpmn:intermediateCatchEvent id="delivered"><bpmn:incoming>f1</bpmn:incoming><bpmn:outgoing>f2</bpmn:outgoing><bpmn:messageEventDefinition messageRef="mDelivered" /></bpmn:intermediateCatchEvent>
        <bpmn:endEvent id="done"><bpmn:incoming>f2</bpmn:incoming></bpmn:endEvent>
        <bpmn:sequenceFlow id="f1" sourceRef="scanned" targetRef="delivered" />
        <bpmn:sequenceFlow id="f2" sourceRef="delivered" targetRef="done" />
      </bpmn:process>`);
    expect((await stack.api('POST', '/api/definitions', parcels, 'application/xml')).status).toBe(201);
    const operator = stack.as('operator');
    const integration = stack.as('integration');
    // when the operator publishes the start message, it is refused and nothing starts
    const scan = { name: 'parcel-scanned', correlationKey: 'PX-1', variables: { parcelId: 'PX-1' } };
    const refusedStart = await operator<{ error: string; message: string }>('POST', '/api/messages', scan);
    expect(refusedStart.status).toBe(403);
    expect(refusedStart.body).toMatchObject({ error: 'forbidden', message: "Message 'parcel-scanned' may be published only by the roles integration" });
    expect((await stack.api<ListPage>('GET', '/api/instances?key=msg-parcels')).body.items).toEqual([]);
    // the integration account may: the instance starts and waits for the delivery
    const started = await integration<Published>('POST', '/api/messages', scan);
    expect(started.status).toBe(200);
    const id = started.body.started[0]!.instanceId;
    await eventually<ListPage>(stack, '/api/instances?key=msg-parcels&status=active', (p) => p.items.some((i) => i.id === id && i.activeElements.includes('delivered')), 'the parcel waiting in the read model');
    // when the integration account sends the delivery, which only operators may, it is refused and the instance still waits
    const delivery = { name: 'parcel-delivered', correlationKey: 'PX-1' };
    expect((await integration<{ error: string }>('POST', '/api/messages', delivery))).toMatchObject({ status: 403, body: { error: 'forbidden' } });
    expect((await stack.api<Detail>('GET', `/api/instances/${id}`)).body).toMatchObject({ status: 'active', activeElements: ['delivered'] });
    // and the operator's delivery completes it
    const delivered = await operator<Published>('POST', '/api/messages', delivery);
    expect(delivered.status).toBe(200);
    expect(delivered.body.correlated).toEqual([{ instanceId: id, processKey: 'msg-parcels' }]);
    await eventually<Detail>(stack, `/api/instances/${id}`, (d) => d.status === 'completed', 'the parcel delivered');
  });

  it('answers 404 for a message without time-to-live that nothing takes, and refuses a bad time-to-live by field', async () => {
    const none = await stack.api<{ error: string }>('POST', '/api/messages', { name: 'nobody-listens', correlationKey: 'X' });
    expect(none.status).toBe(404);
    const bad = await stack.api<{ fields: Array<{ path: string }> }>('POST', '/api/messages', { name: 'nobody-listens', timeToLive: -1 });
    expect(bad.status).toBe(400);
    expect(bad.body.fields.map((f) => f.path)).toEqual(['timeToLive']);
  });
});
