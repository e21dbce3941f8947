import { sim } from './harness';
import type { Sim } from './harness';

/** The variables of the job a handler was given (executeJob carries the visible variables). */
function jobVariables(s: Sim, elementId: string): Array<Record<string, unknown>> {
  return s.of('executeJob').filter((c) => c.elementId === elementId).map((c) => c.variables);
}

describe('compensation (Camunda 8.5+ semantics)', () => {
  it('a compensation end event after an error boundary runs the handlers of the completed bookings, then the instance completes', async () => {
    const s = await sim('compensation-booking');
    s.start({ customer: 'c-1' });
    s.completeJob('bookHotel', { hotelRef: 'H-1' });
    s.completeJob('bookFlight', { flightRef: 'F-9' });
    s.send({ type: 'jobThrewError', key: s.jobKey('charge'), errorCode: 'DECLINED' });
    // both handlers run at once, newest completion first, each after its boundary event (as Zeebe
    // records it); the end event waits for them
    expect(s.trace('elementActivated').slice(-5)).toEqual(['compensated', 'undoFlightOn', 'cancelFlight', 'undoHotelOn', 'cancelHotel']);
    expect(s.trace('elementCompleted').slice(-2)).toEqual(['undoFlightOn', 'undoHotelOn']);
    expect(s.active().sort()).toEqual(['cancelFlight', 'cancelHotel', 'compensated']);
    expect(jobVariables(s, 'cancelHotel')).toEqual([expect.objectContaining({ hotelRef: 'H-1', flightRef: 'F-9' })]);
    s.completeJob('cancelHotel');
    expect(s.state.status).toBe('active');
    s.completeUserTask('cancelFlight', { flightCancelled: true });
    expect(s.trace('elementCompleted').slice(-3)).toEqual(['cancelFlight', 'compensated', 'compensation-booking']);
    expect(s.vars()).toMatchObject({ flightCancelled: true });
    s.expectClean();
  });

  it('a handler runs next to the throw event, as an ordinary element instance', async () => {
    const s = await sim('compensation-booking');
    s.start();
    s.completeJob('bookHotel');
    s.completeJob('bookFlight');
    s.send({ type: 'jobThrewError', key: s.jobKey('charge'), errorCode: 'DECLINED' });
    const byId = new Map(Object.values(s.state.instances).map((i) => [i.elementId, i]));
    expect(byId.get('cancelHotel')?.parentKey).toBe(byId.get('compensated')?.parentKey);
    expect(byId.get('cancelHotel')?.elementType).toBe('bpmn:ServiceTask');
    // cancelling ends the handlers with the throw event: their job and user task are withdrawn
    s.send({ type: 'cancel' });
    expect(s.trace('elementTerminated')).toEqual(expect.arrayContaining(['cancelHotel', 'cancelFlight', 'compensated']));
    expect(s.of('cancelJob').map((c) => c.elementId)).toEqual(['cancelHotel']);
    expect(s.of('closeUserTask').map((c) => [c.elementId, c.reason])).toEqual([['cancelFlight', 'canceled']]);
  });

  it('nothing to compensate: the throw passes straight through', async () => {
    const s = await sim('compensation-multi');
    s.start({ parcels: [] });
    expect(s.trace('elementCompleted')).toEqual(['start', 'ship', 'undoShipping', 'end', 'compensation-multi']);
    expect(s.trace('elementActivated')).not.toContain('recall');
    s.expectClean();
  });

  it('a throw inside an event subprocess compensates the enclosing scope (a script task handler)', async () => {
    const s = await sim('compensation-event-subprocess');
    s.start();
    s.completeJob('A', { aState: 'done' });
    s.send({ type: 'jobThrewError', key: s.jobKey('B'), errorCode: 'GONE' });
    expect(s.trace('elementTerminated')).toEqual(['B']);
    expect(s.trace('elementCompleted')).toEqual(expect.arrayContaining(['undoA', 'undoEverything', 'onGone']));
    expect(s.vars()).toEqual({ aState: 'undone' });
    s.expectClean();
  });

  it('a throw without activityRef compensates every completed activity of its scope, not the active one', async () => {
    const s = await sim('compensation-throw');
    s.start({ mode: 'all' });
    s.completeJob('A');
    s.completeJob('B');
    expect(s.active().sort()).toEqual(['C', 'throwAll', 'undoA', 'undoB']);
    expect(s.trace('elementActivated')).not.toContain('undoC');
    s.completeJob('undoA');
    expect(s.active()).toContain('throwAll');
    s.completeUserTask('undoB');
    // throwAgain finds nothing left to compensate: A and B were compensated once
    expect(s.trace('elementCompleted')).toEqual(expect.arrayContaining(['throwAll', 'throwAgain', 'endMain']));
    expect(s.trace('elementActivated').filter((id) => id.startsWith('undo'))).toEqual(['undoB', 'undoA']);
    expect(s.trace('elementCompleted').filter((id) => id.startsWith('comp'))).toEqual(['compB', 'compA']);
    s.completeUserTask('C');
    expect(s.trace('elementActivated')).not.toContain('undoC');
    s.expectClean();
  });

  it('activityRef compensates only that activity; a later throw compensates the rest', async () => {
    const s = await sim('compensation-throw');
    s.start({ mode: 'one' });
    s.completeJob('A');
    s.completeJob('B');
    expect(s.active().sort()).toEqual(['C', 'throwA', 'undoA']);
    s.completeJob('undoA');
    // throwAgain (no activityRef) now compensates B only
    expect(s.active().sort()).toEqual(['C', 'throwAgain', 'undoB']);
    s.completeUserTask('undoB');
    expect(s.active()).toEqual(['C']);
    s.completeUserTask('C');
    s.expectClean();
  });

  it('a throw in the parent compensates the completed subprocess and the activities inside it, with their local variables', async () => {
    const s = await sim('compensation-subprocess');
    s.start({ customer: 'c-2' });
    s.completeJob('reserve', { seat: '12A' });
    s.completeUserTask('confirm');
    s.completeJob('pay');
    expect(s.active().sort()).toEqual(['release', 'undoAll']);
    expect(s.trace('elementCompleted')).toContain('noteTripUndone');
    expect(jobVariables(s, 'release')).toEqual([expect.objectContaining({ tripId: 'T-7', leg: 'outbound', seat: '12A', customer: 'c-2' })]);
    s.completeJob('release');
    s.expectClean();
    expect(s.state.finalVariables).not.toHaveProperty('tripId');
  });

  it('terminating a scope drops what completed inside it', async () => {
    const s = await sim('compensation-subprocess');
    s.start();
    s.completeJob('reserve');
    expect(s.state.compensation?.subscriptions.map((x) => x.elementId)).toEqual(['reserve']);
    // cancelling terminates the subprocess: its completed activity can no longer be compensated
    s.send({ type: 'cancel' });
    expect(s.state.status).toBe('terminated');
    expect(s.state.compensation?.subscriptions ?? []).toEqual([]);
  });

  it('multi-instance: one handler per completed instance, each with its input element', async () => {
    const s = await sim('compensation-multi');
    s.start({ parcels: ['p1', 'p2', 'p3'] });
    for (const key of s.jobKeys('ship')) s.send({ type: 'jobCompleted', key });
    expect(s.jobKeys('recall')).toHaveLength(3);
    expect(jobVariables(s, 'recall').map((v) => v.parcel).sort()).toEqual(['p1', 'p2', 'p3']);
    for (const key of s.jobKeys('recall')) s.send({ type: 'jobCompleted', key });
    expect(s.trace('elementCompleted').slice(-3)).toEqual(['undoShipping', 'end', 'compensation-multi']);
    s.expectClean();
  });

  it('multi-instance subprocess: the handlers inside each completed instance run, each seeing the input element of its instance', async () => {
    const s = await sim('compensation-multi-subprocess');
    s.start({ orders: ['o1', 'o2'] });
    s.completeJob('reserveStock');
    s.completeJob('reserveStock');
    // newest completion first: o2's handler, then o1's (the association was drawn handler -> boundary)
    expect(jobVariables(s, 'releaseStock').map((v) => [v.order, v.loopCounter])).toEqual([['o2', 2], ['o1', 1]]);
    for (const key of s.jobKeys('releaseStock')) s.send({ type: 'jobCompleted', key });
    s.expectClean();
  });

  it('a multi-instance handler is invoked once, its instances seeing the recorded locals', async () => {
    const s = await sim('compensation-mi-handler');
    s.start({ recipients: ['ann', 'bob'] });
    s.completeJob('notify');
    expect(s.trace('elementActivated').filter((id) => id === 'retract')).toHaveLength(3); // body + 2 instances
    expect(jobVariables(s, 'retract').map((v) => [v.recipient, v.channel])).toEqual([['ann', 'sms'], ['bob', 'sms']]);
    for (const key of s.jobKeys('retract')) s.send({ type: 'jobCompleted', key });
    expect(s.trace('elementCompleted').slice(-3)).toEqual(['undo', 'end', 'compensation-mi-handler']);
    expect(s.state.compensation).toEqual({ subscriptions: [], invoked: [] });
    s.expectClean();
  });

  it('multi-instance: while the body is active its completed instances are not compensated elsewhere', async () => {
    const s = await sim('compensation-multi');
    s.start({ parcels: ['p1', 'p2'] });
    const [first] = s.jobKeys('ship');
    s.send({ type: 'jobCompleted', key: first as string });
    // the completed inner instance is recorded inside the body, not in the process scope
    const subs = s.state.compensation?.subscriptions ?? [];
    expect(subs).toHaveLength(1);
    expect(subs[0]?.scopeKey).not.toBe(s.state.rootKey);
  });

  it('old states without the compensation field still step (the field stays absent without compensation)', async () => {
    const s = await sim('compensation-booking');
    s.start();
    expect(s.state).not.toHaveProperty('compensation');
    const plain = await sim('boundary-error');
    plain.start();
    plain.completeJob('pay');
    expect(plain.state).not.toHaveProperty('compensation');
  });
});
