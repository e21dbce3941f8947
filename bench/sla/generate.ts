/** Generated SLA clocks and element events for bench:sla: realistic mixes over 90 days, reproducible. */
import type { ElementEventRecord, InstanceRecord } from '../../server/projections/models';
import type { SlaClockRecord, SlaMetric, SlaState } from '../../server/projections/slaModels';

const DAY = 86_400_000;
const HOUR = 3_600_000;
export const DEFINITION_KEY = 'complaint-handling';
const DEPARTMENTS = ['after-sales', 'technical', 'finance', 'logistics', 'installation', 'quality'];
const SEVERITIES = ['low', 'medium', 'high', 'critical'];
const ELEMENTS = ['register', 'classify', 'dispatch', 'visit', 'repair', 'refund', 'confirm', 'close'];
const TARGET_HOURS: Record<SlaMetric, number> = { firstResponse: 2, resolution: 48, element: 8 };

export function random(seed: number): () => number {
  let s = seed;
  return () => {
    s = (s * 1_103_515_245 + 12_345) % 2 ** 31;
    return s / 2 ** 31;
  };
}

/** Clock number `i` of `count`, started within the 90 days before `now`. */
export function clock(i: number, now: number, next: () => number): SlaClockRecord {
  const pick = <T>(list: readonly T[]) => list[Math.floor(next() * list.length)] as T;
  const metric: SlaMetric = i % 3 === 0 ? 'firstResponse' : i % 3 === 1 ? 'resolution' : 'element';
  const targetMs = TARGET_HOURS[metric] * HOUR;
  const startedAt = now - Math.floor(next() * 90 * DAY);
  const age = now - startedAt;
  // Old clocks have ended (mostly met); young ones still run, some at risk, a few paused.
  let state: SlaState;
  if (age > targetMs * 1.5 || next() < 0.5) state = next() < 0.82 ? 'met' : 'breached';
  else state = age > targetMs * 0.75 ? 'at_risk' : 'ok';
  const open = state === 'ok' || state === 'at_risk';
  const paused = open && next() < 0.05;
  const elapsedMs = open ? null : Math.floor((state === 'met' ? next() : 1 + next()) * targetMs);
  const instanceId = `pi-bench-${String(Math.floor(i / 3)).padStart(6, '0')}`;
  const clockKey = metric === 'element' ? `element-sla:${pick(ELEMENTS)}:1` : `${metric}-sla`;
  return {
    _id: `${instanceId}.${clockKey}.${i}`, instanceId, clockKey, complaintId: `CMP-${Math.floor(i / 3)}`,
    definitionKey: DEFINITION_KEY, definitionVersion: 1 + (i % 2), policyId: `${metric}-sla`, metric,
    elementId: metric === 'element' ? clockKey.split(':')[1]! : null, taskId: null,
    department: next() < 0.05 ? null : pick(DEPARTMENTS), severity: pick(SEVERITIES), customerTier: pick(['standard', 'gold']),
    engineerId: next() < 0.1 ? null : `eng-${Math.floor(next() * 60)}`,
    state, paused, startedAt: new Date(startedAt), targetMs,
    dueAt: open && !paused ? new Date(startedAt + targetMs) : state === 'breached' ? new Date(startedAt + targetMs) : null,
    remainingMs: paused ? Math.floor(next() * targetMs) : null, pausedMs: paused ? HOUR : 0, warningsFired: state === 'at_risk' ? [50, 75] : [],
    metAt: state === 'met' ? new Date(startedAt + elapsedMs!) : null,
    breachedAt: state === 'breached' ? new Date(startedAt + targetMs) : null,
    elapsedMs, updatedAt: new Date(now), sequence: 1,
  };
}

/** One finished instance with its element events (each element activated and completed once). */
export function instanceWithEvents(i: number, now: number, next: () => number): { instance: InstanceRecord; events: ElementEventRecord[] } {
  const id = `pi-heat-${i}`;
  let t = now - Math.floor(next() * 13 * DAY) - DAY;
  const startedAt = new Date(t);
  const events: ElementEventRecord[] = [];
  let index = 0;
  for (const [n, elementId] of ELEMENTS.entries()) {
    const ms = Math.floor(next() * (n + 1) * HOUR);
    const type = n % 2 ? 'userTask' : 'serviceTask';
    events.push({ _id: `${id}:${index}`, instanceId: id, index: index++, elementId, elementType: type, event: 'activated', time: new Date(t) });
    t += ms;
    events.push({ _id: `${id}:${index}`, instanceId: id, index: index++, elementId, elementType: type, event: 'completed', time: new Date(t) });
  }
  const instance: InstanceRecord = {
    _id: id, definitionKey: DEFINITION_KEY, definitionVersion: 1, businessKey: null, status: 'completed', activeElements: [], variables: {},
    incidents: [], timers: [], subscriptionKeys: [], openTaskCount: 0, sequence: 1, startedAt, updatedAt: new Date(t),
  };
  return { instance, events };
}
