/** The sla_clocks record of a clock view: contract fields, labels from the variables, paused time so far. */
import { clockRecord, departmentOf } from '../../../server/projections/slaWriter';
import type { SlaClockView } from '../../../processes/evaluator';
import type { InstanceSnapshot } from '../../../workflows/processInstance/types';

const T = Date.UTC(2026, 10, 23, 8);
const clock: SlaClockView = {
  clockKey: 'resolve-task:Resolve:1', policyId: 'resolve-task', calendarId: 'berlin-office', metric: 'element', elementId: 'Resolve', taskKey: '7',
  state: 'at_risk', paused: true, severity: 'high', customerTier: 'gold', startedAt: T, targetMs: 7_200_000, dueAt: null, remainingMs: 1_800_000,
  consumedMs: 5_400_000, runningSince: null, pausedSince: T + 3_600_000, pausedMs: 60_000, warnings: [{ threshold: 50, at: T + 1000 }, { threshold: 75, at: T + 2000 }],
  breach: null, metAt: null, elapsedMs: null, next: null,
};
const snapshot = {
  instanceId: 'pi-1', sequence: 9, updatedAt: T + 4_000_000, definition: { key: 'complaint-handling', version: 3 },
  variables: { complaintId: 'C-1', needTechnical: true, assignee: 'eng-2' },
  tasks: [{ key: '7', elementId: 'Resolve', assignee: 'eng-9' }],
} as unknown as InstanceSnapshot;

describe('sla_clocks records', () => {
  test('carry the contract fields, with labels from the variables and the task', () => {
    expect(clockRecord(snapshot, clock)).toEqual({
      instanceId: 'pi-1', clockKey: 'resolve-task:Resolve:1', complaintId: 'C-1', definitionKey: 'complaint-handling', definitionVersion: 3,
      policyId: 'resolve-task', metric: 'element', elementId: 'Resolve', taskId: 'pi-1.7', department: 'technical', severity: 'high',
      customerTier: 'gold', engineerId: 'eng-9', state: 'at_risk', paused: true, startedAt: new Date(T), targetMs: 7_200_000, dueAt: null,
      remainingMs: 1_800_000, pausedMs: 60_000 + 400_000, warningsFired: [50, 75], metAt: null, breachedAt: null, elapsedMs: null,
      updatedAt: new Date(T + 4_000_000), calendarId: 'berlin-office',
    });
  });

  test('department: the variable when set, else the first department the need flags ask for, else null', () => {
    expect(departmentOf({ department: 'finance', needTechnical: true })).toBe('finance');
    expect(departmentOf({ needAfterSales: false, needLogistics: true })).toBe('logistics');
    expect(departmentOf({})).toBeNull();
  });
});
