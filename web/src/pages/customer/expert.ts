/**
 * Who served the complaint, on the customer's complaint page: the engineer's public profile in
 * short (GET /api/engineers/:id), a link to the whole profile and "Keep as my expert"
 * (POST /api/complaints/:id/my-expert). Decision 0045.
 */
import { api, ApiError } from '../../core/api';
import { h } from '../../core/dom';
import { t } from '../../i18n';
import { reasonText } from './model';

export interface EngineerProfile {
  id: string;
  name: string;
  photoUrl: string | null;
  rating: { rate: number; count: number };
  skills: string[];
  products: string[];
  languages: string[];
  outlet: { id: string; name: string; rating: number; count: number } | null;
  tags: Array<{ tag: string; count: number }>;
  recentComments: Array<{ stars: number; comment: string; tags: string[]; at: string }>;
}

export const loadProfile = (staffId: string) => api.get<EngineerProfile>(`/api/engineers/${encodeURIComponent(staffId)}`);
export const profileHref = (staffId: string) => `#/engineers/${encodeURIComponent(staffId)}`;

export function initials(name: string): string {
  return name.split(/\s+/).filter(Boolean).slice(0, 2).map((w) => w[0]?.toUpperCase() ?? '').join('') || '?';
}

/** The photo, or the initials when there is none. */
export function portrait(p: Pick<EngineerProfile, 'name' | 'photoUrl'>, size: 'small' | 'large' = 'small'): HTMLElement {
  return p.photoUrl
    ? h('img', { class: `avatar ${size}`, src: p.photoUrl, alt: '' })
    : h('span', { class: `avatar ${size}`, 'aria-hidden': 'true' }, initials(p.name));
}

export const ratingText = (r: EngineerProfile['rating']) => (r.count > 0 ? t('expert.rating', { rate: r.rate.toFixed(1), count: r.count }) : t('expert.notRated'));

/** The card; `onKept` re-reads the complaint. */
/** Why the dispatch chose this engineer, in the customer's words (GET /api/complaints/:id `coming`). */
export interface Coming { name: string; distanceKm: number | null; reasons: string[] }

function why(coming: Coming): HTMLElement {
  return h('div', { id: 'coming-why' }, h('h3', {}, t('expert.comingWhy', { name: coming.name })),
    h('ul', { class: 'reasons' }, ...coming.reasons.map((r) => {
      const said = reasonText(r);
      return h('li', {}, 'text' in said ? said.text : t(said.key, said.vars));
    })));
}

export function servedByCard(complaintId: string, profile: EngineerProfile, myExpert: boolean, coming: Coming | null, onKept: () => Promise<void>): HTMLElement {
  const problem = h('p', { class: 'error', role: 'alert', hidden: true });
  let keep: HTMLButtonElement | null = null;
  if (!myExpert) {
    const button = h('button', { type: 'button', class: 'wide', id: 'keep-expert' }, t('expert.keep', { name: profile.name }));
    button.addEventListener('click', () => {
      button.disabled = true;
      problem.hidden = true;
      api.post(`/api/complaints/${encodeURIComponent(complaintId)}/my-expert`, {})
        .then(onKept)
        .catch((err: unknown) => {
          button.disabled = false;
          problem.textContent = t('expert.keepFailed', { message: err instanceof ApiError ? err.message : (err as Error).message });
          problem.hidden = false;
        });
    });
    keep = button;
  }
  return h('section', { class: 'customer-card', id: 'served-by' },
    h('h2', {}, t('expert.servedBy')),
    h('div', { class: 'engineer-head' }, portrait(profile),
      h('div', {}, h('strong', {}, profile.name), h('span', { class: 'engineer-distance', id: 'served-by-rating' }, ratingText(profile.rating))),
      myExpert ? h('span', { class: 'badge ok', id: 'my-expert-badge' }, '★') : null),
    coming && coming.reasons.length ? why(coming) : null,
    myExpert ? h('p', { class: 'hint', id: 'my-expert' }, t('expert.kept', { name: profile.name })) : null,
    h('p', {}, h('a', { href: profileHref(profile.id), id: 'served-by-profile', class: 'profile-link' }, t('expert.profile', { name: profile.name }))),
    problem, keep);
}
