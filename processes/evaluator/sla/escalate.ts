/**
 * The escalation chain of one threshold as commands: `notify` is a job of the
 * `notify.<channel>` integration (fire and forget: its outcome does not reach the clock),
 * `reassign` and `raisePriority` act on the clock's open user tasks through the adapter.
 */
import type { EscalationLevel, SlaPolicyDef } from '../../sla/types';
import type { Run } from '../run';
import type { SlaClock, Variables } from '../types';

/** The open user tasks a clock is about: its element's, else its stop elements', else all. */
export function clockTasks(run: Run, clock: SlaClock, policy: SlaPolicyDef): string[] {
  const tasks = Object.values(run.state.waits).filter((w) => w.type === 'userTask');
  if (clock.elementInstanceKey !== null) return tasks.filter((w) => w.ownerKey === clock.elementInstanceKey).map((w) => w.key);
  const stopping = tasks.filter((w) => policy.stopAt.includes(w.elementId));
  return (stopping.length > 0 ? stopping : tasks).map((w) => w.key);
}

function isoTime(ms: number): string {
  return new Date(ms).toISOString();
}

function notification(level: Extract<EscalationLevel, { type: 'notify' }>, clock: SlaClock, policy: SlaPolicyDef, threshold: number, dueAt: number | null, processId: string): Variables {
  const what = threshold < 100 ? `${threshold}% of the target used` : 'target breached';
  const subject = `SLA ${policy.name ?? policy.id}: ${what}`;
  const text = `${subject} (${processId}${clock.elementId ? ` / ${clock.elementId}` : ''}, severity ${clock.severity ?? 'unknown'}).`;
  const data = {
    event: threshold < 100 ? 'sla.warning' : 'sla.breach',
    policyId: policy.id,
    clockKey: clock.clockKey,
    metric: clock.metric,
    threshold,
    severity: clock.severity,
    elementId: clock.elementId,
    dueAt: dueAt === null ? null : isoTime(dueAt),
  };
  switch (level.channel) {
    case 'webhook':
      return { ...(level.url ? { url: level.url } : {}), ...(level.credential ? { credential: level.credential } : {}), subject, text, data };
    case 'email':
      return { to: level.to, subject, text, ...(level.credential ? { credential: level.credential } : {}) };
    default:
      return { credential: level.credential, text };
  }
}

export function describeLevel(level: EscalationLevel): string {
  switch (level.type) {
    case 'notify':
      return `notify:${level.channel}${level.to ? `:${level.to}` : level.credential ? `:${level.credential}` : ''}`;
    case 'reassign':
      return level.group !== null ? `group:${level.group}` : `user:${level.user ?? ''}`;
    case 'raisePriority':
      return `priority:+${level.by}`;
  }
}

/** Emits the chain of `threshold` (100 = breach); returns who/what it went to. */
export function escalate(run: Run, clock: SlaClock, policy: SlaPolicyDef, threshold: number, dueAt: number | null): string[] {
  const chain = policy.escalations.find((e) => e.at === threshold);
  if (!chain) return [];
  const elementId = clock.elementId ?? policy.attachedTo ?? run.state.processId;
  chain.levels.forEach((level, index) => {
    const key = `sla:${clock.clockKey}:${threshold}:${index + 1}`;
    if (level.type === 'notify') {
      run.commands.push({
        type: 'executeJob',
        key,
        elementId,
        elementInstanceKey: clock.elementInstanceKey ?? run.state.rootKey ?? '',
        taskType: `notify.${level.channel}`,
        retries: 3,
        headers: [],
        variables: notification(level, clock, policy, threshold, dueAt, run.state.processId),
      });
    } else if (level.type === 'reassign') {
      run.commands.push({ type: 'reassignTasks', key, elementId, taskKeys: clockTasks(run, clock, policy), group: level.group, user: level.user });
    } else {
      run.commands.push({ type: 'raiseTaskPriority', key, elementId, taskKeys: clockTasks(run, clock, policy), by: level.by });
    }
  });
  return chain.levels.map(describeLevel);
}
