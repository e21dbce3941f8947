/**
 * Beside a task: why the dispatch recommended whom — each recommended engineer with the score
 * and the reasons of the ranking (distance, skill, product, language, load, satisfaction), the
 * one the complaint went to marked, each name linking to the engineer's public profile. From
 * GET /api/complaints/:id `dispatch`. docs/inbox.md.
 */
import { h } from '../../core/dom';
import { t } from '../../i18n';

export interface DispatchView {
  recommended: Array<{ staffId: string; name: string; score: number; distanceKm: number | null; reasons: string[] }>;
  recommendedAt: string | null;
}

export function dispatchCard(dispatch: DispatchView | null | undefined, engineer: string | null): HTMLElement | null {
  if (!dispatch || dispatch.recommended.length === 0) return null;
  return h('section', { class: 'card', id: 'dispatch-reasons' },
    h('h3', {}, t('dispatch.title')),
    h('ol', { class: 'plain dispatch-list' }, ...dispatch.recommended.map((r) => h('li', { 'data-staff': r.staffId },
      h('a', { href: `#/engineers/${encodeURIComponent(r.staffId)}`, class: 'dispatch-name' }, h('strong', {}, r.name)), ' ',
      h('span', { class: 'notice' }, t('dispatch.score', { score: r.score.toFixed(1) })), ' ',
      r.staffId === engineer ? h('span', { class: 'badge ok' }, t('dispatch.assigned')) : null,
      h('span', { class: 'notice dispatch-reasons' }, r.reasons.join(' · '))))));
}
