import { elementDurations } from '../../../server/sla/heatmap';
import { median, percentile } from '../../../server/sla/stats';

describe('median and percentile', () => {
  it('takes the middle value, or the mean of the two middle ones', () => {
    expect(median([5, 1, 3])).toBe(3);
    expect(median([4, 1, 3, 2])).toBe(2.5);
    expect(median([])).toBeNull();
  });

  it('takes the nearest rank for p90', () => {
    const ten = [10, 9, 8, 7, 6, 5, 4, 3, 2, 1];
    expect(percentile(ten, 90)).toBe(9);
    expect(percentile([...ten, 11], 90)).toBe(10);
    expect(percentile([7], 90)).toBe(7);
  });
});

describe('elementDurations', () => {
  const at = (s: number) => new Date(Date.UTC(2026, 10, 2, 9, 0, s));
  const event = (index: number, elementId: string, event: 'activated' | 'completed' | 'terminated', s: number) =>
    ({ instanceId: 'pi-1', index, elementId, elementType: 'userTask', event, time: at(s) });

  it('pairs each activation with the next completion in history order, whatever the storage order', () => {
    // given a task run twice and a wait that was interrupted
    const events = [
      event(5, 'review', 'completed', 50),
      event(0, 'review', 'activated', 0),
      event(1, 'review', 'completed', 10),
      event(2, 'wait', 'activated', 10),
      event(3, 'wait', 'terminated', 12),
      event(4, 'review', 'activated', 20),
    ];
    // when
    const out = new Map<string, { type: string; durations: number[] }>();
    elementDurations(events, out);
    // then
    expect(Object.fromEntries(out)).toEqual({ review: { type: 'userTask', durations: [10_000, 30_000] } });
  });
});
