/** The operator pages' pure helpers: durations, tokens per element, the path taken, heat buckets, SLA precedence. */
import { formatDuration, heatBucket, pathTaken, slaByElement, timeLeft, tokenCounts, worstSlaState } from '../../../web/src/pages/instances/format';

describe('operator page helpers', () => {
  it('formats durations by their two largest units, overdue ones by their size', () => {
    expect(formatDuration(0)).toBe('0s');
    expect(formatDuration(12_400)).toBe('12s');
    expect(formatDuration(4 * 60_000 + 5_000)).toBe('4m 05s');
    expect(formatDuration(3 * 3_600_000 + 12 * 60_000 + 59_000)).toBe('3h 12m');
    expect(formatDuration(28 * 3_600_000)).toBe('1d 4h');
    expect(formatDuration(-90_000)).toBe('1m 30s');
  });

  it('computes time left from numbers and ISO strings, and nothing from nothing', () => {
    expect(timeLeft(10_000, 4_000)).toBe(6_000);
    expect(timeLeft('1970-01-01T00:00:10.000Z', 12_000)).toBe(-2_000);
    expect(timeLeft(null, 0)).toBeNull();
    expect(timeLeft('not a date', 0)).toBeNull();
  });

  it('counts one token per occurrence of an element', () => {
    expect([...tokenCounts(['review', 'call', 'call', 'call'])]).toEqual([['review', 1], ['call', 3]]);
  });

  it('takes a flow when its source completed and its target was entered, not the branch never entered', () => {
    const flows = [
      { id: 'f0', sourceId: 'start', targetId: 'gw' },
      { id: 'yes', sourceId: 'gw', targetId: 'approve' },
      { id: 'no', sourceId: 'gw', targetId: 'reject' },
      { id: 'f3', sourceId: 'approve', targetId: 'end' },
    ];
    const events = [
      { elementId: 'start', event: 'activated' as const }, { elementId: 'start', event: 'completed' as const },
      { elementId: 'gw', event: 'activated' as const }, { elementId: 'gw', event: 'completed' as const },
      { elementId: 'approve', event: 'activated' as const },
    ];
    const path = pathTaken(flows, events);
    expect([...path.flows].sort()).toEqual(['f0', 'yes']);
    expect([...path.elements].sort()).toEqual(['gw', 'start']);
  });

  it('does not count a terminated element as completed', () => {
    const path = pathTaken([{ id: 'f', sourceId: 'a', targetId: 'b' }], [
      { elementId: 'a', event: 'activated' }, { elementId: 'a', event: 'terminated' }, { elementId: 'b', event: 'activated' },
    ]);
    expect(path.flows.size).toBe(0);
    expect(path.elements.size).toBe(0);
  });

  it('puts heat into five buckets against the slowest element', () => {
    expect([0, 1, 19, 20, 59, 80, 100].map((v) => heatBucket(v, 100))).toEqual([0, 0, 0, 1, 2, 4, 4]);
    expect(heatBucket(5, 0)).toBe(0);
  });

  it('shows the worst SLA state when several clocks run on one element', () => {
    expect(worstSlaState(['met', 'ok', 'at_risk'])).toBe('at_risk');
    expect(worstSlaState(['ok', 'breached', 'at_risk'])).toBe('breached');
    expect(worstSlaState(['met'])).toBe('met');
    expect(worstSlaState([])).toBeNull();
  });

  it('colours an element by its clocks, found by element id or through its task, and ignores instance-wide clocks', () => {
    const tasks = [{ key: '7', elementId: 'review' }];
    const colours = slaByElement([
      { state: 'ok' as const, elementId: 'review' },
      { state: 'at_risk' as const, taskId: 'pi-1.7' },
      { state: 'breached' as const, elementId: 'call' },
      { state: 'breached' as const },
      { state: 'ok' as const, taskId: 'pi-1.99' },
    ], tasks);
    expect([...colours].sort()).toEqual([['call', 'breached'], ['review', 'at_risk']]);
  });
});
