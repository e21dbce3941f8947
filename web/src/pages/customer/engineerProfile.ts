/**
 * `#/engineers/:id`, public (no sign-in): an engineer's profile — name, photo, rating, the
 * tags and recent comments customers gave, the outlet. The customer's complaint page and the
 * engineer choice link here. Decision 0045.
 */
import './customer.css';
import { ApiError } from '../../core/api';
import { formatTime, h, render } from '../../core/dom';
import { locale, registerMessages, t } from '../../i18n';
import { expertMessages, customerMessages } from './messages';
import { loadProfile, portrait, ratingText, type EngineerProfile } from './expert';

registerMessages(customerMessages);
registerMessages(expertMessages);

const stars = (n: number) => '★'.repeat(n) + '☆'.repeat(5 - n);
/** The rating form's tags have words; others show as given. */
const tagText = (tag: string) => {
  const key = `customer.tag.${tag}`;
  const said = t(key);
  return said === key ? tag : said;
};

function profileView(p: EngineerProfile): HTMLElement {
  return h('div', { class: 'customer-page', id: 'engineer-profile', 'data-staff': p.id },
    h('section', { class: 'customer-card' },
      h('p', { class: 'eyebrow' }, t('expert.title')),
      h('div', { class: 'engineer-head' }, portrait(p, 'large'),
        h('div', {}, h('h1', {}, p.name), h('span', { class: 'engineer-distance', id: 'profile-rating' }, ratingText(p.rating)))),
      p.outlet ? h('p', { class: 'hint', id: 'profile-outlet' }, t('expert.outlet', { name: p.outlet.name, rate: p.outlet.rating.toFixed(1) })) : null,
      p.skills.length || p.products.length ? h('p', { class: 'hint' }, `${t('expert.skills')}: ${[...p.skills, ...p.products].join(', ')}`) : null),
    h('section', { class: 'customer-card' },
      h('h2', {}, t('expert.tags')),
      p.tags.length
        ? h('ul', { class: 'plain tags', id: 'profile-tags' }, ...p.tags.map((x) => h('li', { class: 'chip', 'data-tag': x.tag }, `${tagText(x.tag)} · ${x.count}`)))
        : h('p', { class: 'hint' }, t('expert.notRated'))),
    h('section', { class: 'customer-card' },
      h('h2', {}, t('expert.comments')),
      p.recentComments.length
        ? h('ul', { class: 'plain comments', id: 'profile-comments' }, ...p.recentComments.map((c) => h('li', {},
          h('span', { class: 'stars-static', 'aria-label': t('customer.rate.starsLabel', { n: c.stars }) }, stars(c.stars)),
          h('q', {}, c.comment),
          h('time', { class: 'hint', datetime: c.at }, formatTime(c.at, locale())))))
        : h('p', { class: 'hint' }, t('expert.noComments'))));
}

export default async function engineerProfilePage(root: HTMLElement, params: Record<string, string>): Promise<void> {
  try {
    render(root, profileView(await loadProfile(params.id ?? '')));
  } catch (err) {
    if (err instanceof ApiError && (err.status === 404 || err.status === 400)) {
      render(root, h('div', { class: 'customer-page' }, h('p', { class: 'customer-card notice', id: 'profile-missing' }, t('expert.notFound'))));
      return;
    }
    throw err;
  }
}
