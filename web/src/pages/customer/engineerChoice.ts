/**
 * The engineer choice on the customer's complaint page (dispatchMode "customer"): while the
 * offer waits (`engineerChoice.state === 'waiting'`) the offered engineers with the dispatch's
 * reasons, each with a button that posts POST /api/complaints/{id}/engineer-choice; once the
 * customer chose, the one chosen. A refused choice (409: taken already or timed out; 422: not
 * one offered) says so in words and re-reads the complaint.
 */
import { api, ApiError } from '../../core/api';
import { h } from '../../core/dom';
import { t } from '../../i18n';
import { profileHref } from './expert';
import { choiceProblem, chosenEngineer, reasonText, type CustomerComplaint, type EngineerOffer } from './model';

function reasons(offer: EngineerOffer): HTMLElement {
  return h('ul', { class: 'reasons' }, ...offer.reasons.map((why) => {
    const said = reasonText(why);
    return h('li', {}, 'text' in said ? said.text : t(said.key, said.vars));
  }));
}

/**
 * The card while the choice is awaited. `onBusy` holds the page's polling during a post;
 * `onDone` re-reads the complaint, with the message key to keep showing when it was refused.
 */
export function engineerChoicePanel(c: CustomerComplaint, onBusy: (busy: boolean) => void, onDone: (refused?: string) => Promise<void>): HTMLElement {
  const problem = h('p', { class: 'error', role: 'alert', hidden: true });
  const offered = c.engineerChoice?.offered ?? [];
  const buttons: HTMLButtonElement[] = [];
  const items = offered.map((offer, i) => {
    const pick = h('button', { type: 'button', class: 'primary wide', 'data-staff': offer.staffId }, t('customer.choice.pick', { name: offer.name }));
    buttons.push(pick);
    pick.addEventListener('click', () => {
      onBusy(true);
      buttons.forEach((b) => { b.disabled = true; });
      pick.textContent = t('customer.choice.sending');
      problem.hidden = true;
      api.post(`/api/complaints/${encodeURIComponent(c.id)}/engineer-choice`, { staffId: offer.staffId })
        .then(() => { onBusy(false); return onDone(); })
        .catch((err: unknown) => {
          onBusy(false);
          buttons.forEach((b) => { b.disabled = false; });
          pick.textContent = t('customer.choice.pick', { name: offer.name });
          const key = err instanceof ApiError ? choiceProblem(err.status, err.code) : null;
          problem.textContent = key ? t(key) : t('error.generic', { message: (err as Error).message });
          problem.hidden = false;
          // Taken already or no longer offered: what the complaint says now replaces the buttons.
          if (key) void onDone(key).catch(() => undefined);
        });
    });
    return h('li', { class: 'engineer', 'data-engineer': offer.staffId },
      h('div', { class: 'engineer-head' },
        h('span', { class: 'avatar', 'aria-hidden': 'true' }, initials(offer.name)),
        h('div', {},
          h('strong', {}, offer.name),
          offer.distanceKm !== null ? h('span', { class: 'engineer-distance' }, t('customer.reason.distance', { km: offer.distanceKm.toFixed(1) })) : null),
        i === 0 ? h('span', { class: 'badge ok' }, t('customer.choice.best')) : null),
      reasons({ ...offer, reasons: offer.reasons.filter((r) => !/ km away$/.test(r)) }),
      h('p', {}, h('a', { href: profileHref(offer.staffId), class: 'profile-link' }, t('expert.profile', { name: offer.name }))),
      pick);
  });
  return h('section', { class: 'customer-card', id: 'engineer-choice' },
    h('h2', {}, t('customer.choice.title')),
    h('p', { class: 'hint' }, t('customer.choice.lead')),
    problem,
    h('ol', { class: 'plain engineers' }, ...items));
}

/** After the choice: who is coming. Null when the customer did not choose (auto, timed out). */
export function chosenPanel(c: CustomerComplaint): HTMLElement | null {
  const chosen = chosenEngineer(c);
  if (!chosen) return null;
  return h('section', { class: 'customer-card', id: 'engineer-chosen' },
    h('h2', {}, t('customer.choice.chosenTitle')),
    h('div', { class: 'engineer-head' },
      h('span', { class: 'avatar', 'aria-hidden': 'true' }, initials(chosen.name)),
      h('div', {}, h('strong', {}, chosen.name), h('span', { class: 'engineer-distance' }, t('customer.choice.chosenLead')))));
}

function initials(name: string): string {
  return name.split(/\s+/).filter(Boolean).slice(0, 2).map((w) => w[0]?.toUpperCase() ?? '').join('') || '?';
}
