/**
 * Compensation (decision 0035) through the public HTTP API on the real servers: a booking
 * process books a hotel and a flight (jobs of an external worker), the card charge fails with
 * a BPMN error, its error boundary event leads to a compensation end event, both handlers run
 * as ordinary jobs and element instances (after their compensation boundary events, as Zeebe
 * records them), and the instance completes once they are done.
 */
import { eventually, startStack, type Stack } from '../support/stack';
import { uniqueName } from '../support/servers';
import type { Api } from '../support/auth';

interface ActivatedJob { jobKey: string; type: string; processInstanceId: string; elementId: string; variables: Record<string, unknown> }
interface Instance { status: string; variables: Record<string, unknown>; activeElements: string[]; incidents: unknown[] }
interface ElementEvent { elementId: string; event: string }
interface TaskPage { items: Array<{ id: string; elementId: string; state: string }> }

function task(id: string, type: string, extra = ''): string {
  return `<bpmn:serviceTask id="${id}" name="${id}"${extra}><bpmn:extensionElements><zeebe:taskDefinition type="${type}" /></bpmn:extensionElements></bpmn:serviceTask>`;
}

/** `flightHandler: 'userTask'` makes cancelling the flight a user task of the after-sales group. */
function booking(id: string, flightHandler: 'job' | 'userTask' = 'job'): string {
  const cancelFlight = flightHandler === 'job'
    ? task('cancelFlight', `${id}.flight-cancel`, ' isForCompensation="true"')
    : '<bpmn:userTask id="cancelFlight" name="Cancel the flight by phone" isForCompensation="true"><bpmn:extensionElements><zeebe:assignmentDefinition candidateGroups="after-sales" /></bpmn:extensionElements></bpmn:userTask>';
  return `<?xml version="1.0" encoding="UTF-8"?>
<bpmn:definitions xmlns:bpmn="http://www.omg.org/spec/BPMN/20100524/MODEL" xmlns:zeebe="http://camunda.org/schema/zeebe/1.0" id="defs" targetNamespace="http://example.com/bpmn">
  <bpmn:error id="errDeclined" name="Card declined" errorCode="DECLINED" />
  <bpmn:process id="${id}" isExecutable="true">
    <bpmn:startEvent id="start" name="start" />
    ${task('bookHotel', `${id}.hotel-book`)}
    ${task('bookFlight', `${id}.flight-book`)}
    ${task('charge', `${id}.card-charge`)}
    <bpmn:endEvent id="booked" name="booked" />
    <bpmn:boundaryEvent id="hotelBooked" attachedToRef="bookHotel"><bpmn:compensateEventDefinition /></bpmn:boundaryEvent>
    <bpmn:boundaryEvent id="flightBooked" attachedToRef="bookFlight"><bpmn:compensateEventDefinition /></bpmn:boundaryEvent>
    <bpmn:boundaryEvent id="declined" name="declined" attachedToRef="charge"><bpmn:errorEventDefinition errorRef="errDeclined" /></bpmn:boundaryEvent>
    ${task('cancelHotel', `${id}.hotel-cancel`, ' isForCompensation="true"')}
    ${cancelFlight}
    <bpmn:endEvent id="undone" name="undone"><bpmn:compensateEventDefinition /></bpmn:endEvent>
    <bpmn:sequenceFlow id="f1" sourceRef="start" targetRef="bookHotel" />
    <bpmn:sequenceFlow id="f2" sourceRef="bookHotel" targetRef="bookFlight" />
    <bpmn:sequenceFlow id="f3" sourceRef="bookFlight" targetRef="charge" />
    <bpmn:sequenceFlow id="f4" sourceRef="charge" targetRef="booked" />
    <bpmn:sequenceFlow id="f5" sourceRef="declined" targetRef="undone" />
    <bpmn:association id="a1" sourceRef="hotelBooked" targetRef="cancelHotel" />
    <bpmn:association id="a2" sourceRef="flightBooked" targetRef="cancelFlight" />
  </bpmn:process>
</bpmn:definitions>`;
}

describe('compensation through the HTTP API', () => {
  let stack: Stack;
  let worker: Api;

  const activateOne = async (type: string): Promise<ActivatedJob> => {
    const res = await worker<{ jobs: ActivatedJob[] }>('POST', '/api/jobs/activation', { type, worker: 'booking-test', timeout: 60_000, maxJobsToActivate: 1, requestTimeout: 20_000 });
    expect(res.status).toBe(200);
    const [job] = res.body.jobs;
    if (!job) throw new Error(`no job of type ${type} was handed out`);
    return job;
  };
  const complete = async (job: ActivatedJob, variables: Record<string, unknown> = {}) => {
    expect((await worker('POST', `/api/jobs/${job.jobKey}/completion`, { variables })).status).toBe(204);
  };

  beforeAll(async () => {
    stack = await startStack();
    worker = stack.as('integration');
  });

  afterAll(async () => {
    await stack?.stop();
  });

  it('runs the handlers of both completed bookings after the charge fails, then completes', async () => {
    const key = uniqueName('booking');
    const deployed = await stack.api<{ warnings: Array<{ elementId: string; severity: string }> }>('POST', '/api/definitions', booking(key), 'application/xml');
    expect(deployed.status).toBe(201);
    const started = await stack.api<{ instanceId: string }>('POST', `/api/processes/${key}/instances`, { variables: { trip: 'T-1' } });
    expect(started.status).toBe(201);
    const id = started.body.instanceId;

    await complete(await activateOne(`${key}.hotel-book`), { hotelRef: 'H-7' });
    await complete(await activateOne(`${key}.flight-book`), { flightRef: 'F-3' });
    const charge = await activateOne(`${key}.card-charge`);
    expect((await worker('POST', `/api/jobs/${charge.jobKey}/error`, { errorCode: 'DECLINED', errorMessage: 'insufficient funds' })).status).toBe(204);

    // both handlers are handed out as ordinary jobs, with the variables the bookings left
    const cancelHotel = await activateOne(`${key}.hotel-cancel`);
    const cancelFlight = await activateOne(`${key}.flight-cancel`);
    expect(cancelHotel).toMatchObject({ processInstanceId: id, elementId: 'cancelHotel', variables: expect.objectContaining({ hotelRef: 'H-7' }) });
    expect(cancelFlight).toMatchObject({ processInstanceId: id, elementId: 'cancelFlight', variables: expect.objectContaining({ flightRef: 'F-3' }) });
    // the compensation end event waits for them
    const waiting = await eventually<Instance>(stack, `/api/instances/${id}`, (v) => v.activeElements.includes('cancelFlight'), 'handlers active');
    expect(waiting.status).toBe('active');
    expect([...waiting.activeElements].sort()).toEqual(['cancelFlight', 'cancelHotel', 'undone']);

    await complete(cancelHotel, { hotelCancelled: true });
    await complete(cancelFlight, { flightCancelled: true });
    const done = await eventually<Instance>(stack, `/api/instances/${id}`, (v) => v.status === 'completed', 'instance completed');
    expect(done.variables).toMatchObject({ trip: 'T-1', hotelCancelled: true, flightCancelled: true });
    expect(done.incidents).toEqual([]);

    // the history (replayed from Temporal) shows the handlers as ordinary element instances
    const history = (await stack.api<ElementEvent[]>('GET', `/api/instances/${id}/history`)).body;
    const completed = history.filter((e) => e.event === 'completed').map((e) => e.elementId);
    expect(completed).toEqual(expect.arrayContaining(['bookHotel', 'bookFlight', 'hotelBooked', 'flightBooked', 'cancelHotel', 'cancelFlight', 'undone']));
    expect(completed).not.toContain('booked');
    expect(history.filter((e) => e.event === 'terminated').map((e) => e.elementId)).toEqual(['charge']);
    expect(completed.indexOf('undone')).toBeGreaterThan(Math.max(completed.indexOf('cancelHotel'), completed.indexOf('cancelFlight')));
    // and the read model recorded the same
    const projected = await eventually<ElementEvent[]>(stack, `/api/instances/${id}/history?source=projection`,
      (events) => events.some((e) => e.elementId === 'undone' && e.event === 'completed'), 'projected history');
    expect(projected.filter((e) => e.event === 'completed').map((e) => e.elementId)).toEqual(completed);
  });

  it('puts a user task handler in the inbox like any other task', async () => {
    const key = uniqueName('booking-desk');
    expect((await stack.api('POST', '/api/definitions', booking(key, 'userTask'), 'application/xml')).status).toBe(201);
    const started = await stack.api<{ instanceId: string }>('POST', `/api/processes/${key}/instances`, { variables: {} });
    expect(started.status).toBe(201);
    const id = started.body.instanceId;
    await complete(await activateOne(`${key}.hotel-book`));
    await complete(await activateOne(`${key}.flight-book`));
    expect((await worker('POST', `/api/jobs/${(await activateOne(`${key}.card-charge`)).jobKey}/error`, { errorCode: 'DECLINED' })).status).toBe(204);
    await complete(await activateOne(`${key}.hotel-cancel`));
    const inbox = await eventually<TaskPage>(stack, `/api/tasks?instanceId=${id}&candidateGroup=after-sales&state=open`, (p) => p.items.length === 1, 'the handler task in the inbox');
    expect(inbox.items[0]!.elementId).toBe('cancelFlight');
    // the end event still waits for it
    expect((await stack.api<Instance>('GET', `/api/instances/${id}`)).body).toMatchObject({ status: 'active', activeElements: expect.arrayContaining(['cancelFlight', 'undone']) });
    expect((await stack.api('POST', `/api/tasks/${inbox.items[0]!.id}/claim`, { assignee: 'agent-7' })).status).toBe(204);
    expect((await stack.api('POST', `/api/tasks/${inbox.items[0]!.id}/complete`, { variables: {} })).status).toBe(200);
    await eventually<Instance>(stack, `/api/instances/${id}`, (v) => v.status === 'completed', 'instance completed after the task');
  });
});
