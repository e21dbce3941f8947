import { clockPrint, writerMemory, type RememberedInstance } from '../../../server/projections/memory';
import type { SlaClockRecord } from '../../../server/projections/slaModels';

const entry = (id: string): RememberedInstance => ({
  runId: undefined, stored: { _id: id, sequence: 1, status: 'active', openTaskKeys: [] }, tasks: new Map(),
});

const T = Date.UTC(2026, 11, 5, 8);
const clock = (over: Partial<SlaClockRecord> = {}): SlaClockRecord => ({
  _id: 'pi-1.resolution', instanceId: 'pi-1', clockKey: 'resolution', complaintId: 'C-1', definitionKey: 'p', definitionVersion: 1,
  policyId: 'resolve-8h', metric: 'resolution', elementId: null, taskId: null, department: 'technical', severity: 'high',
  customerTier: null, engineerId: null, state: 'ok', paused: false, startedAt: new Date(T), targetMs: 8 * 3_600_000,
  dueAt: new Date(T + 8 * 3_600_000), remainingMs: null, pausedMs: 0, warningsFired: [], metAt: null, breachedAt: null,
  elapsedMs: null, updatedAt: new Date(T + 1000), sequence: 3, calendarId: null,
  ...over,
});

describe('the projection writer\'s memory', () => {
  it('forgets the least recently used instance beyond its bound', () => {
    // given a memory of two instances holding a and b
    const memory = writerMemory(2);
    memory.remember('a', entry('a'));
    memory.remember('b', entry('b'));
    // when a is used, then c written
    memory.recall('a');
    memory.remember('c', entry('c'));
    // then b went, a and c stay
    expect([memory.recall('a'), memory.recall('b'), memory.recall('c')].map((e) => e?.stored._id)).toEqual(['a', undefined, 'c']);
    expect(memory.size).toBe(2);
  });

  it('prints a clock the same when only its sequence and update time moved', () => {
    expect(clockPrint(clock({ sequence: 9, updatedAt: new Date(T + 60_000) }))).toBe(clockPrint(clock()));
  });

  it('prints a paused clock the same while only its open pause grew, as readers add it themselves', () => {
    // given a paused clock written at T+1 s with 5 s paused, then again 60 s later (65 s paused by then)
    const before = clock({ paused: true, state: 'at_risk', dueAt: null, remainingMs: 1000, pausedMs: 5_000 });
    const later = clock({ paused: true, state: 'at_risk', dueAt: null, remainingMs: 1000, pausedMs: 65_000, updatedAt: new Date(T + 61_000), sequence: 9 });
    // then nothing a reader sees changed
    expect(clockPrint(later)).toBe(clockPrint(before));
    // while a pause that ended (pausedMs moved, no open pause) is a change
    expect(clockPrint(clock({ pausedMs: 65_000 }))).not.toBe(clockPrint(clock()));
  });

  it('prints a clock differently when its state or warnings changed', () => {
    expect(clockPrint(clock({ state: 'at_risk', warningsFired: [50] }))).not.toBe(clockPrint(clock()));
    expect(clockPrint(clock({ warningsFired: [50] }))).not.toBe(clockPrint(clock()));
  });
});
