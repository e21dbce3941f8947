/**
 * `#/complaints/:id` (signed in, or from a signed link `?token=`): the customer follows the
 * complaint — where it stands, what happened in their words — picks one of the offered
 * engineers while that choice waits (engineerChoice.ts), sees and adds photos (photos.ts), and
 * rates the result once resolved. It re-reads the complaint every 10 s while visible, unless
 * the customer is typing. A link that is altered or expired (401) says so, and asks no sign-in.
 */
import './customer.css';
import { api, ApiError } from '../../core/api';
import { session } from '../../core/session';
import { complaintNumber } from '../../core/readable';
import { formatTime, h, render } from '../../core/dom';
import { locale, registerMessages, t } from '../../i18n';
import { photoMessages, statusMessages } from '../inbox/messages';
import { photoInput } from '../inbox/photo';
import { customerMessages, expertMessages } from './messages';
import { loadProfile, servedByCard, type EngineerProfile } from './expert';
import { visitPanel } from './visit';
import { chosenPanel, engineerChoicePanel } from './engineerChoice';
import { choiceAwaited, fingerprint, friendlyEntry, stepIndex, STEPS, type CustomerComplaint } from './model';
import { photoGallery, revokeAll } from './photos';

registerMessages(customerMessages);
registerMessages(photoMessages);
registerMessages(statusMessages);
registerMessages(expertMessages);

const POLL_MS = 10_000;
const TAGS = ['fast', 'friendly', 'solved', 'informed', 'slow', 'unsolved'] as const;

export default async function complaintPage(root: HTMLElement, params: Record<string, string>): Promise<() => void> {
  const id = params.id ?? '';
  let alive = true;
  let timer: number | undefined;
  let busy = false;
  let seen = '';
  let thanks = false;
  let refusedChoice: string | undefined;
  const photoUrls = new Set<string>();
  /** The public profile of the engineer who served the complaint (null: nobody yet, or not in the directory). */
  let served: EngineerProfile | null = null;

  const load = () => api.get<CustomerComplaint>(`/api/complaints/${encodeURIComponent(id)}`);

  const draw = (c: CustomerComplaint) => {
    seen = fingerprint(c);
    revokeAll(photoUrls);
    render(root, h('div', { class: 'customer-page' },
      h('section', { class: 'customer-card' },
        h('p', { class: 'eyebrow' }, t('customer.complaint.number', { number: complaintNumber(c.id, c.number) })),
        h('h1', {}, c.title),
        h('p', { class: 'hint' }, `${c.product} · ${formatTime(c.createdAt, locale())}`),
        progress(c)),
      thanks ? h('p', { class: 'flash', role: 'status' }, t('customer.rate.thanks')) : null,
      refusedChoice && !choiceAwaited(c) ? h('p', { class: 'customer-card error', role: 'alert', id: 'choice-refused' }, t(refusedChoice)) : null,
      choiceAwaited(c) ? engineerChoicePanel(c, (b) => { busy = b; }, (refused) => { refusedChoice = refused; return refresh(true); }) : chosenPanel(c),
      served ? servedByCard(c.id, served, c.myExpert === true, c.coming ?? null, () => refresh(true)) : null,
      c.status === 'closed' ? null : visitPanel(c.id, c.appointment, (b) => { busy = b; }, () => refresh(true)),
      c.status === 'awaiting_evaluation' ? rating(c) : null,
      c.evaluations.length ? h('section', { class: 'customer-card' }, h('h2', {}, t('customer.rate.yours')),
        ...c.evaluations.map((e) => h('p', { class: 'given-rating' }, h('span', { class: 'stars-static', 'aria-label': t('customer.rate.starsLabel', { n: e.stars }) }, '★'.repeat(e.stars) + '☆'.repeat(5 - e.stars)), e.comment ? ` “${e.comment}”` : ''))) : null,
      timeline(c),
      c.status === 'closed' && c.attachments.length === 0 ? null : h('section', { class: 'customer-card' },
        h('h2', {}, t('customer.photos.title', { count: c.attachments.length })),
        photoGallery(c, photoUrls),
        c.status === 'closed' ? null : h('p', { class: 'hint' }, t('customer.photos.hint')),
        c.status === 'closed' ? null : photoInput(c.id, () => void refresh(true), 'complaint-more-photo'))));
  };

  const progress = (c: CustomerComplaint) => {
    // A closed complaint has every step behind it.
    const at = c.status === 'closed' ? STEPS.length : stepIndex(c.status);
    return h('ol', { class: 'progress', 'aria-label': t('customer.progress') },
      ...STEPS.map((s, i) => h('li', { class: i < at ? 'done' : i === at ? 'current' : '', 'aria-current': i === at ? 'step' : null },
        h('span', { class: 'dot' }, i < at ? '✓' : String(i + 1)),
        h('span', {}, t(`customer.step.${s}`)))),
      c.status === 'reopened' ? h('li', { class: 'reopened-note' }, t('customer.step.reopened')) : null);
  };

  const timeline = (c: CustomerComplaint) => {
    const entries = c.timeline.map((e) => ({ e, friendly: friendlyEntry(e.what) })).filter((x) => x.friendly !== null).reverse();
    return h('section', { class: 'customer-card' },
      h('h2', {}, t('customer.timeline.title')),
      h('ol', { class: 'timeline', id: 'customer-timeline' }, ...entries.map(({ e, friendly }) => h('li', {},
        h('time', { datetime: e.when }, formatTime(e.when, locale())),
        h('span', {}, t(friendly!.key, friendly!.vars ?? {}))))));
  };

  const rating = (c: CustomerComplaint) => {
    let stars = 0;
    const chosen = new Set<string>();
    const starButtons = [1, 2, 3, 4, 5].map((n) => h('button', {
      type: 'button', class: 'star', 'data-stars': n, role: 'radio', 'aria-checked': 'false', 'aria-label': t('customer.rate.starsLabel', { n }),
    }, '★'));
    const paint = () => starButtons.forEach((b, i) => { b.classList.toggle('on', i < stars); b.setAttribute('aria-checked', String(i + 1 === stars)); });
    starButtons.forEach((b, i) => b.addEventListener('click', () => { stars = i + 1; busy = true; paint(); }));
    const tagButtons = TAGS.map((tag) => {
      const b = h('button', { type: 'button', class: 'chip', 'aria-pressed': 'false', 'data-tag': tag }, t(`customer.tag.${tag}`));
      b.addEventListener('click', () => {
        if (chosen.has(tag)) chosen.delete(tag); else chosen.add(tag);
        b.classList.toggle('selected', chosen.has(tag));
        b.setAttribute('aria-pressed', String(chosen.has(tag)));
        busy = true;
      });
      return b;
    });
    const comment = h('textarea', { id: 'rating-comment', rows: 3, maxlength: 2000 });
    comment.addEventListener('input', () => { busy = true; });
    const problem = h('p', { class: 'error', role: 'alert', hidden: true });
    const submit = h('button', { type: 'submit', class: 'primary wide', id: 'rating-submit' }, t('customer.rate.submit'));
    const form = h('form', { class: 'customer-card rating', id: 'rating-form' },
      h('h2', {}, t('customer.rate.title')),
      h('p', { class: 'hint' }, t('customer.rate.lead')),
      h('div', { class: 'stars', role: 'radiogroup', 'aria-label': t('customer.rate.stars') }, ...starButtons),
      h('p', { class: 'label' }, t('customer.rate.tags')),
      h('div', { class: 'tags' }, ...tagButtons),
      h('label', { for: 'rating-comment' }, t('customer.rate.comment')), comment,
      problem, submit);
    form.addEventListener('submit', (event) => {
      event.preventDefault();
      if (stars === 0) {
        problem.textContent = t('customer.rate.pickStars');
        problem.hidden = false;
        return;
      }
      submit.disabled = true;
      problem.hidden = true;
      // The engineer who served it: the stars, tags and comment count for them (decision 0045).
      const body = { stars, tags: TAGS.filter((tag) => chosen.has(tag)), ...(comment.value.trim() ? { comment: comment.value.trim() } : {}), ...(c.servedBy ? { engineerId: c.servedBy } : {}) };
      api.post(`/api/complaints/${encodeURIComponent(c.id)}/evaluation`, body)
        .then(() => { busy = false; thanks = true; return refresh(true); })
        .catch((err: unknown) => {
          submit.disabled = false;
          problem.textContent = err instanceof ApiError && err.code === 'open_commitments' ? t('customer.rate.openCommitments') : t('error.generic', { message: (err as Error).message });
          problem.hidden = false;
        });
    });
    return form;
  };

  const refresh = async (force = false) => {
    window.clearTimeout(timer);
    try {
      const c = await load();
      if (!alive) return;
      if (force || (!busy && fingerprint(c) !== seen)) {
        // The profile is re-read with the complaint: a rating just given shows at once.
        served = c.servedBy ? await loadProfile(c.servedBy).catch(() => null) : null;
        if (!alive) return;
        draw(c);
      }
    } catch (err) {
      if (!alive) return;
      if (err instanceof ApiError && err.status === 404) {
        render(root, h('div', { class: 'customer-page' }, h('p', { class: 'customer-card notice' }, t('customer.complaint.notFound'))));
        return;
      }
      if (err instanceof ApiError && err.status === 401 && session.isLink()) {
        const expired = err.code === 'link_expired';
        render(root, h('div', { class: 'customer-page' }, h('section', { class: 'customer-card link-problem', role: 'alert', id: 'link-problem' },
          h('h1', {}, t(expired ? 'customer.link.expiredTitle' : 'customer.link.invalidTitle')),
          h('p', { class: 'hint' }, t('customer.link.askAgain')))));
        return;
      }
      if (force) throw err;
    }
    if (alive && document.visibilityState === 'visible') timer = window.setTimeout(() => void refresh(), POLL_MS);
  };
  const onVisibility = () => { if (document.visibilityState === 'visible') void refresh(); else window.clearTimeout(timer); };
  document.addEventListener('visibilitychange', onVisibility);

  await refresh(true);
  return () => {
    alive = false;
    window.clearTimeout(timer);
    revokeAll(photoUrls);
    document.removeEventListener('visibilitychange', onVisibility);
  };
}
