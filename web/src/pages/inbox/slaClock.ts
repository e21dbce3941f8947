/** The SLA clock a task is measured by, named (issue 14 item 5): "At risk · First response", not a bare state. */
import { h } from '../../core/dom';
import { t } from '../../i18n';
import { clocksOf, type ComplaintDetail, type SlaClock, type Task } from './model';

/** The policy id of a clock key (`first-response` or `first-response:Element:2`). */
const policyOf = (clockKey: string) => clockKey.split(':')[0] ?? clockKey;

/** The clock's name: its policy's name when the complaint's clocks carry it, else the policy id. */
export function clockName(task: Task, detail: ComplaintDetail | null): string | null {
  const key = task.sla?.clockKey;
  if (!key) return null;
  const clock: SlaClock | undefined = detail ? clocksOf(detail).find((c) => c.clockKey === key && (c.instanceId === undefined || c.instanceId === task.instanceId)) : undefined;
  return clock?.policyName ?? policyOf(key);
}

export function slaBadge(task: Task, detail: ComplaintDetail | null): HTMLElement | null {
  const state = task.sla?.state;
  if (!state) return null;
  const name = clockName(task, detail);
  return h('span', { class: `badge ${state}`, id: 'task-sla-clock' }, name ? t('sla.clock', { state: t(`sla.${state}`), clock: name }) : t(`sla.${state}`));
}
