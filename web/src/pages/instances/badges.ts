/** Small pieces the operator pages share: an instance's status badge and a short instance id. */
import { h } from '../../core/dom';
import { t } from '../../i18n';

export function statusBadge(status: string): HTMLElement {
  return h('span', { class: `badge status-${status}` }, t(`status.${status}`));
}

/** `pi-3f0c5c4e…`: enough of an instance id to tell instances apart in a list. */
export function shortId(id: string): string {
  return id.length > 14 ? `${id.slice(0, 11)}…` : id;
}
