/** Live countdowns: an element showing time left until an instant, updated by one page-wide tick. */
import { h } from '../../core/dom';
import { t } from '../../i18n';
import { formatDuration } from './format';

type CountdownElement = HTMLElement & { formatLeft?: (ms: number) => string };

/** An element that counts down to `dueAt` (updated by the page's one-second tick). */
export function countdown(dueAt: number, format: (leftMs: number) => string): HTMLElement {
  const el = h('span', { 'data-due': dueAt });
  el.dataset.kind = 'countdown';
  (el as CountdownElement).formatLeft = format;
  el.textContent = format(dueAt - Date.now());
  return el;
}

export function tickCountdowns(root: ParentNode, now = Date.now()): void {
  for (const el of root.querySelectorAll<CountdownElement>('[data-kind=countdown]')) {
    const due = Number(el.dataset.due);
    if (el.formatLeft) el.textContent = el.formatLeft(due - now);
  }
}

export const timerText = (left: number) => (left > 0 ? t('viewer.timerLeft', { left: formatDuration(left) }) : t('viewer.timerDue'));
