/**
 * The visit on the customer's complaint page: the time and place the engineer proposes, with
 * *Accept* or *Ask for another time* (a preferred time and a note); then when they come, and
 * that they came. POST /api/complaints/:id/appointment/answer. Decision 0045.
 */
import { api } from '../../core/api';
import { formatTime, h } from '../../core/dom';
import { locale, t } from '../../i18n';

export interface Visit {
  state: 'proposed' | 'accepted' | 'declined' | 'visited';
  at: string;
  place: 'on-site' | 'outlet';
  answer: { accepted: boolean; preferred: string | null; note: string | null } | null;
  visit: { at: string; place: 'on-site' | 'outlet' } | null;
}

const localInput = (d: Date) => new Date(d.getTime() - d.getTimezoneOffset() * 60_000).toISOString().slice(0, 16);

export function visitPanel(complaintId: string, visit: Visit | null | undefined, onBusy: (busy: boolean) => void, onDone: () => Promise<void>): HTMLElement | null {
  if (!visit) return null;
  const when = (iso: string, place: Visit['place']) => t('cvisit.when', { when: formatTime(iso, locale()), place: t(`cvisit.place.${place}`) });
  const problem = h('p', { class: 'error', role: 'alert', hidden: true });
  const send = (body: Record<string, unknown>, button: HTMLButtonElement) => {
    button.disabled = true;
    onBusy(true);
    api.post(`/api/complaints/${encodeURIComponent(complaintId)}/appointment/answer`, body)
      .then(() => { onBusy(false); return onDone(); })
      .catch((err: unknown) => { onBusy(false); button.disabled = false; problem.textContent = t('error.generic', { message: (err as Error).message }); problem.hidden = false; });
  };
  let body: Array<HTMLElement | null> = [];
  if (visit.state === 'proposed') {
    const accept = h('button', { type: 'button', class: 'primary wide', id: 'visit-accept' }, t('cvisit.accept'));
    accept.addEventListener('click', () => send({ accept: true }, accept));
    const preferred = h('input', { id: 'visit-preferred', type: 'datetime-local', value: localInput(new Date(new Date(visit.at).getTime() + 86_400_000)) });
    const note = h('input', { id: 'visit-note', maxlength: 500 });
    const other = h('button', { type: 'submit', class: 'wide', id: 'visit-other' }, t('cvisit.askOther'));
    const form = h('form', { class: 'stack-form', id: 'visit-other-form' },
      h('label', { for: 'visit-preferred' }, t('cvisit.preferred')), preferred, h('label', { for: 'visit-note' }, t('cvisit.note')), note, other);
    form.addEventListener('submit', (event) => {
      event.preventDefault();
      send({ accept: false, ...(preferred.value ? { preferred: new Date(preferred.value).toISOString() } : {}), ...(note.value.trim() ? { note: note.value.trim() } : {}) }, other);
    });
    body = [h('p', { id: 'visit-proposal' }, t('cvisit.proposed', { when: when(visit.at, visit.place) })), accept,
      h('details', { class: 'fold' }, h('summary', {}, t('cvisit.otherTime')), form)];
  } else if (visit.state === 'accepted') {
    body = [h('p', { id: 'visit-accepted' }, t('cvisit.accepted', { when: when(visit.at, visit.place) }))];
  } else if (visit.state === 'declined') {
    body = [h('p', { id: 'visit-declined' }, t('cvisit.declined'))];
  } else if (visit.visit) {
    body = [h('p', { id: 'visit-done' }, t('cvisit.visited', { when: when(visit.visit.at, visit.visit.place) }))];
  }
  return h('section', { class: 'customer-card', id: 'visit' }, h('h2', {}, t('cvisit.title')), ...body, problem);
}
