import { coalesce } from '../../../server/projections/writer';
import type { InstanceSnapshot } from '../../../workflows/processInstance/types';

const snapshot = (sequence: number, events: number[], closed: string[] = []): InstanceSnapshot => ({
  instanceId: 'pi-1',
  sequence,
  updatedAt: sequence * 1000,
  status: 'active',
  definition: { key: 'p', version: 1 },
  businessKey: null,
  activeElements: [`at-${sequence}`],
  variables: { step: sequence },
  tasks: [],
  incidents: [],
  timers: [],
  subscriptions: [],
  closedTasks: closed.map((key) => ({ key, reason: 'completed' as const })),
  events: events.map((index) => ({ index, elementId: `e${index}`, elementType: 'bpmn:Task', event: 'activated' as const, time: index })),
});

describe('coalescing projection snapshots', () => {
  it('keeps the newest view and every event and closed task of both, in order', () => {
    // given a pending snapshot and a newer one
    const merged = coalesce(snapshot(3, [5, 6], ['10']), snapshot(4, [7], ['11']));
    // then
    expect(merged.sequence).toBe(4);
    expect(merged.variables).toEqual({ step: 4 });
    expect(merged.activeElements).toEqual(['at-4']);
    expect(merged.events.map((e) => e.index)).toEqual([5, 6, 7]);
    expect(merged.closedTasks.map((t) => t.key)).toEqual(['10', '11']);
  });

  it('does not let an older snapshot overwrite a newer pending one', () => {
    const merged = coalesce(snapshot(9, [20]), snapshot(8, [19]));
    expect(merged.sequence).toBe(9);
    expect(merged.events.map((e) => e.index)).toEqual([19, 20]);
  });
});
