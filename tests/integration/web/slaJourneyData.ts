/**
 * What the SLA dashboard journey seeds, as the SLA engine's writer and the projection would
 * leave it: a mix of clocks over 40 days (some before the dashboard's 30-day period), and
 * finished instances of a deployed definition with their element events (for the heat map).
 */
import type { ElementEventRecord, InstanceRecord } from '../../../server/projections/models';
import type { SlaClockRecord, SlaState } from '../../../server/projections/slaModels';
import { random } from '../../support/slaSeed';

export const DAY = 86_400_000;
export const HOUR = 3_600_000;
const MINUTE = 60_000;
const STATES: SlaState[] = ['ok', 'at_risk', 'breached', 'met', 'met'];
const DEPARTMENTS = ['after-sales', 'technical', 'finance', null];
const SEVERITIES = ['low', 'high', 'critical', null];

/** Clocks of `instanceIds` (round robin; the first is the live instance): its first clock is due soonest of those not yet overdue. */
export function seedClocks(count: number, instanceIds: readonly string[], now: number): SlaClockRecord[] {
  const next = random(17);
  const pick = <T>(list: readonly T[]) => list[Math.floor(next() * list.length)] as T;
  const clocks = Array.from({ length: count }, (_, i): SlaClockRecord => {
    const state = pick(STATES);
    const startedAt = new Date(now - Math.floor(next() * 40 * DAY));
    const metric = i % 3 === 0 ? 'firstResponse' : i % 3 === 1 ? 'resolution' : 'element';
    const open = state === 'ok' || state === 'at_risk';
    const paused = open && i % 9 === 0;
    // running clocks are due 1 h to 3 days from now; two of them are overdue (breach not yet written)
    const dueAt = open && !paused ? new Date(now + (i % 11 === 1 ? -Math.floor(next() * 2 * HOUR) : HOUR + Math.floor(next() * 3 * DAY))) : state === 'breached' ? new Date(startedAt.getTime() + 8 * HOUR) : null;
    const instanceId = instanceIds[i % instanceIds.length] as string;
    const clockKey = `${metric}-sla:${i}`;
    const elapsedMs = state === 'met' || state === 'breached' ? (metric === 'firstResponse' ? 10 * MINUTE : 2 * HOUR) + Math.floor(next() * 20 * HOUR) : null;
    return {
      _id: `${instanceId}.${clockKey}`, instanceId, clockKey, complaintId: `C-SLA-${100 + i}`,
      definitionKey: 'operator-simple', definitionVersion: 1, policyId: `${metric}-sla`, metric,
      elementId: metric === 'element' ? 'acknowledge' : null, taskId: null,
      department: pick(DEPARTMENTS), severity: pick(SEVERITIES), customerTier: null, engineerId: i % 4 === 0 ? null : `staff-${String(i % 5).padStart(3, '0')}`,
      state, paused, startedAt, targetMs: 8 * HOUR, dueAt,
      remainingMs: paused ? 3 * HOUR : null, pausedMs: paused ? HOUR : 0, warningsFired: state === 'at_risk' ? [0.5, 0.75] : [],
      metAt: state === 'met' ? new Date(startedAt.getTime() + (elapsedMs ?? 0)) : null,
      breachedAt: state === 'breached' ? new Date(startedAt.getTime() + 8 * HOUR) : null,
      elapsedMs, updatedAt: new Date(now), sequence: 1,
    };
  });
  Object.assign(clocks[0] as SlaClockRecord, { state: 'at_risk', paused: false, dueAt: new Date(now + 20 * MINUTE), startedAt: new Date(now - HOUR), elapsedMs: null, metAt: null, breachedAt: null, remainingMs: null, complaintId: 'C-SLA-LIVE' });
  return clocks;
}

export interface SeededInstances {
  instances: InstanceRecord[];
  events: ElementEventRecord[];
  /** The seeded durations of the user task `acknowledge` (ms). */
  acknowledge: number[];
}

/** Finished instances of `operator-simple`: received (instant) → acknowledge (10 min to 6 h) → acknowledged. */
export function seedFinishedInstances(count: number, version: number, now: number): SeededInstances {
  const next = random(23);
  const instances: InstanceRecord[] = [];
  const events: ElementEventRecord[] = [];
  const acknowledge: number[] = [];
  for (let i = 0; i < count; i++) {
    const id = `pi-sla-done-${String(i).padStart(2, '0')}`;
    const startedAt = now - (i + 1) * 20 * HOUR;
    const took = 10 * MINUTE + Math.floor(next() * 6 * HOUR);
    acknowledge.push(took);
    instances.push({
      _id: id, definitionKey: 'operator-simple', definitionVersion: version, businessKey: `C-SLA-${200 + i}`, status: 'completed',
      activeElements: [], variables: {}, incidents: [], timers: [], subscriptionKeys: [], openTaskCount: 0, sequence: 1,
      startedAt: new Date(startedAt), updatedAt: new Date(startedAt + took),
    });
    let index = 0;
    const add = (elementId: string, elementType: string, event: ElementEventRecord['event'], time: number) =>
      events.push({ _id: `${id}:${index}`, instanceId: id, index: index++, elementId, elementType, event, time: new Date(time) });
    add('received', 'startEvent', 'activated', startedAt);
    add('received', 'startEvent', 'completed', startedAt);
    add('acknowledge', 'userTask', 'activated', startedAt);
    add('acknowledge', 'userTask', 'completed', startedAt + took);
    add('acknowledged', 'endEvent', 'activated', startedAt + took);
    add('acknowledged', 'endEvent', 'completed', startedAt + took);
  }
  return { instances, events, acknowledge };
}
