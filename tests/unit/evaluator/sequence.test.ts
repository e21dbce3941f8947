import { HOUR, sim, T0 } from './harness';

describe('sequence of tasks', () => {
  it('runs a job with inputs and headers, maps outputs, evaluates a script and passes manual/plain tasks', async () => {
    // given
    const s = await sim('sequence');
    s.start({ customer: { name: 'Ada' }, amount: 21 });
    // when
    const job = s.of('executeJob')[0]!;
    s.completeJob('register', { ticketId: 'T-1', scratch: 1 });
    // then
    expect(job).toMatchObject({
      elementId: 'register',
      taskType: 'crm.register',
      retries: 3,
      headers: [{ key: 'channel', value: 'web' }],
      variables: { customer: { name: 'Ada' }, amount: 21, name: 'Ada' },
    });
    expect(s.trace('elementCompleted')).toEqual(['start', 'register', 'score', 'call', 'note', 'end', 'sequence']);
    expect(s.of('processCompleted')[0]!.variables).toEqual({ customer: { name: 'Ada' }, amount: 21, ticket: 'T-1', score: 42 });
    s.expectClean();
  });

  it('rejects a stale job key without touching the state', async () => {
    // given
    const s = await sim('sequence');
    s.start({ customer: { name: 'Ada' }, amount: 1 });
    const before = s.state;
    // when
    const r = s.send({ type: 'jobCompleted', key: '999', time: T0 + HOUR });
    // then
    expect(r.accepted).toBe(false);
    expect(r.reason).toMatch(/no open job/);
    expect(r.state).toBe(before);
    expect(r.commands).toEqual([]);
  });
});
