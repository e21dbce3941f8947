/**
 * SLA clocks, kept in the evaluator state (docs/sla.md). After every accepted step the
 * clocks follow what the step did: the element events start and stop them, the live
 * elements pause and resume them, the variables choose the target, and the due thresholds
 * fire (each once, in order, even when several are overdue). Each running clock keeps one
 * durable timer, for its next threshold only.
 */
import type { ProcessModel } from '../../model/types';
import type { SlaModel, SlaPolicyDef } from '../../sla/types';
import { variables } from '../queries';
import type { Run } from '../run';
import type { SlaClock, SlaState } from '../types';
import { escalate } from './escalate';
import { calendarOf, classify, consumed, instantOf, pendingThresholds, selectTarget } from './targets';

export const SLA_TIMER_PREFIX = 'sla:';
export const isSlaTimerKey = (key: string): boolean => key.startsWith(SLA_TIMER_PREFIX);

/** The `timerFired` of an SLA timer: forget it; `followClocks` then fires what is due. */
export function slaTimerFired(run: Run, key: string): boolean {
  const clock = run.state.sla?.clocks.find((c) => c.timer?.key === key);
  if (!clock) return false;
  clock.timer = null;
  return true;
}

/** Brings the clocks up to date with the step that just ran (its commands and resulting state). */
export function followClocks(run: Run, model: ProcessModel, fromCommand: number): void {
  const sla = model.sla;
  if (!sla) return;
  const state = (run.state.sla ??= { clocks: [] });
  const policies = new Map(sla.policies.map((p) => [p.id, p]));
  const commands = run.commands.slice(fromCommand);
  for (const command of commands) {
    switch (command.type) {
      case 'elementActivated':
        if (command.elementType === 'bpmn:Process') startProcessClocks(run, sla, state, null);
        else {
          startProcessClocks(run, sla, state, command.elementId);
          // A multi-instance activity gets one clock (its body), not one per inner instance.
          const inner = run.state.instances[command.key]?.role === 'inner';
          for (const policy of sla.policies) {
            if (!inner && policy.metric === 'element' && policy.elementId === command.elementId) startClock(run, state, policy, command.key, command.elementId);
          }
        }
        break;
      case 'elementCompleted':
        for (const clock of state.clocks) {
          const policy = policies.get(clock.policyId);
          if (clock.stoppedAt !== null || !policy) continue;
          if (clock.elementInstanceKey === command.key || (policy.metric !== 'element' && policy.stopAt.includes(command.elementId))) stopClock(run, sla, clock, policy);
        }
        break;
      case 'elementTerminated':
        for (const clock of state.clocks) {
          const policy = policies.get(clock.policyId);
          if (clock.stoppedAt === null && policy && clock.elementInstanceKey === command.key) stopClock(run, sla, clock, policy);
        }
        break;
      case 'processCompleted':
      case 'processTerminated':
        for (const clock of state.clocks) {
          const policy = policies.get(clock.policyId);
          // A terminated or cancelled instance escalates nothing more.
          if (clock.stoppedAt === null && policy) stopClock(run, sla, clock, policy, command.type === 'processCompleted');
        }
        break;
      default:
        break;
    }
  }
  const live = new Set(Object.values(run.state.instances).map((i) => i.elementId));
  const vars = run.state.status === 'active' ? variables(run.state) : {};
  for (const clock of state.clocks) {
    const policy = policies.get(clock.policyId);
    if (!policy || clock.stoppedAt !== null) continue;
    const calendar = calendarOf(sla, policy);
    const pause = policy.pauseWhile.some((id) => live.has(id));
    if (pause && clock.runningSince !== null) {
      clock.consumedMs = consumed(clock, calendar, run.time);
      clock.runningSince = null;
      clock.pausedSince = run.time;
    } else if (!pause && clock.runningSince === null) {
      clock.pausedMs += run.time - (clock.pausedSince ?? run.time);
      clock.pausedSince = null;
      clock.runningSince = run.time;
    }
    if (clock.breach === null) {
      const { severity, customerTier } = classify(policy, vars);
      clock.severity = severity;
      clock.customerTier = customerTier;
      clock.targetMs = selectTarget(policy, severity, customerTier).durationMs;
    }
    fireDue(run, clock, policy, calendar);
    armTimer(run, clock, policy, calendar);
  }
}

function startProcessClocks(run: Run, sla: SlaModel, state: SlaState, elementId: string | null): void {
  for (const policy of sla.policies) {
    if (policy.metric === 'element') continue;
    const starts = elementId === null ? policy.startAt.length === 0 : policy.startAt.includes(elementId);
    // A process-level clock runs once per instance: a second activation of its start element does not restart it.
    if (starts && !state.clocks.some((c) => c.policyId === policy.id)) startClock(run, state, policy, null, null);
  }
}

function startClock(run: Run, state: SlaState, policy: SlaPolicyDef, elementInstanceKey: string | null, elementId: string | null): void {
  const n = state.clocks.filter((c) => c.policyId === policy.id).length + 1;
  // The target is chosen at the start, so a clock stopped within the step that started it
  // (a first response given at once) is measured against its real target, not against 0.
  const { severity, customerTier } = classify(policy, run.state.status === 'active' ? variables(run.state) : {});
  state.clocks.push({
    clockKey: policy.metric === 'element' ? `${policy.id}:${elementId ?? ''}:${n}` : policy.id,
    policyId: policy.id,
    metric: policy.metric,
    elementId: policy.metric === 'element' ? elementId : null,
    elementInstanceKey,
    state: 'ok',
    startedAt: run.time,
    severity,
    customerTier,
    targetMs: selectTarget(policy, severity, customerTier).durationMs,
    consumedMs: 0,
    runningSince: run.time,
    pausedSince: null,
    pausedMs: 0,
    warnings: [],
    breach: null,
    stoppedAt: null,
    elapsedMs: null,
    timer: null,
    timerCount: 0,
  });
}

function stopClock(run: Run, sla: SlaModel, clock: SlaClock, policy: SlaPolicyDef, fire = true): void {
  const calendar = calendarOf(sla, policy);
  // Thresholds due by now fire before the clock stops (their timer may not have been delivered yet).
  if (fire) fireDue(run, clock, policy, calendar);
  else {
    // Ended from outside: no escalation, but a target already missed is still a breach.
    const dueAt = instantOf(clock, calendar, 100);
    if (clock.breach === null && dueAt !== null && dueAt <= run.time) {
      clock.breach = { dueAt, at: run.time, escalatedTo: [] };
      clock.state = 'breached';
    }
  }
  clock.consumedMs = consumed(clock, calendar, run.time);
  clock.elapsedMs = clock.consumedMs;
  if (clock.pausedSince !== null) clock.pausedMs += run.time - clock.pausedSince;
  clock.runningSince = null;
  clock.pausedSince = null;
  clock.stoppedAt = run.time;
  if (clock.breach === null) clock.state = 'met';
  cancelTimer(run, clock);
}

function fireDue(run: Run, clock: SlaClock, policy: SlaPolicyDef, calendar: ReturnType<typeof calendarOf>): void {
  for (const threshold of pendingThresholds(clock, policy)) {
    const at = instantOf(clock, calendar, threshold);
    if (at === null || at > run.time) return;
    const dueAt = instantOf(clock, calendar, 100);
    if (threshold < 100) {
      clock.warnings.push({ threshold, at: run.time });
      clock.state = 'at_risk';
      escalate(run, clock, policy, threshold, dueAt);
    } else {
      clock.breach = { dueAt: at, at: run.time, escalatedTo: escalate(run, clock, policy, 100, dueAt) };
      clock.state = 'breached';
    }
  }
}

function armTimer(run: Run, clock: SlaClock, policy: SlaPolicyDef, calendar: ReturnType<typeof calendarOf>): void {
  const next = pendingThresholds(clock, policy)[0];
  const dueAt = next === undefined ? null : instantOf(clock, calendar, next);
  if (clock.timer && dueAt !== null && clock.timer.dueAt === dueAt && clock.timer.threshold === next) return;
  cancelTimer(run, clock);
  if (dueAt === null || next === undefined) return;
  clock.timerCount += 1;
  const key = `${SLA_TIMER_PREFIX}${clock.clockKey}:${clock.timerCount}`;
  clock.timer = { key, dueAt, threshold: next };
  run.commands.push({ type: 'startTimer', key, elementId: clock.elementId ?? run.state.processId, dueAt });
}

function cancelTimer(run: Run, clock: SlaClock): void {
  if (!clock.timer) return;
  run.commands.push({ type: 'cancelTimer', key: clock.timer.key, elementId: clock.elementId ?? run.state.processId });
  clock.timer = null;
}
