/**
 * Beside a task: the engineer's visit — propose a time and place (on site or at the outlet),
 * see the customer's answer (accepted, or another time asked), record the visit. Only the
 * complaint's engineer (or a supervisor) may; the API says so otherwise. docs/inbox.md.
 */
import { api, ApiError } from '../../core/api';
import { formatTime, h, render } from '../../core/dom';
import { locale, t } from '../../i18n';

export interface VisitView {
  state: 'proposed' | 'accepted' | 'declined' | 'visited';
  at: string;
  place: 'on-site' | 'outlet';
  answer: { accepted: boolean; preferred: string | null; note: string | null; at: string } | null;
  visit: { at: string; place: 'on-site' | 'outlet'; note: string | null } | null;
}

const PLACES = ['on-site', 'outlet'] as const;
const localInput = (d: Date) => new Date(d.getTime() - d.getTimezoneOffset() * 60_000).toISOString().slice(0, 16);

function problemOf(err: unknown): string {
  if (err instanceof ApiError && err.fields.length) return err.fields.map((f) => `${f.path}: ${f.message}`).join('; ');
  return t('error.generic', { message: (err as Error).message });
}

export function visitCard(complaintId: string, status: string, engineer: string | null, visit: VisitView | null | undefined, reload: () => void): HTMLElement | null {
  if (!engineer || status === 'closed') return null;
  const problem = h('p', { class: 'error', role: 'alert', hidden: true });
  const fail = (err: unknown) => { render(problem, problemOf(err)); problem.hidden = false; };
  const base = `/api/complaints/${encodeURIComponent(complaintId)}/appointment`;

  const stateLine = visit ? h('p', { id: 'visit-state' },
    h('span', { class: `badge ${visit.state === 'declined' ? 'at_risk' : 'ok'}` }, t(`visit.state.${visit.state}`)), ' ',
    t('visit.when', { when: formatTime(visit.at, locale()), place: t(`visit.place.${visit.place}`) }),
    visit.state === 'declined' && visit.answer?.preferred ? h('span', { class: 'notice', id: 'visit-preferred' }, ` · ${t('visit.preferred', { when: formatTime(visit.answer.preferred, locale()) })}`) : null,
    visit.answer?.note ? h('span', { class: 'notice' }, ` · “${visit.answer.note}”`) : null) : h('p', { class: 'notice' }, t('visit.none'));

  let action: HTMLElement | null = null;
  if (!visit || visit.state !== 'visited') {
    const suggested = visit?.answer?.preferred ? new Date(visit.answer.preferred) : new Date(Date.now() + 86_400_000);
    const at = h('input', { id: 'visit-at', type: 'datetime-local', required: true, value: localInput(suggested) });
    const place = h('select', { id: 'visit-place' }, ...PLACES.map((p) => h('option', { value: p }, t(`visit.place.${p}`))));
    const submit = h('button', { type: 'submit', class: 'primary' }, t('visit.propose'));
    const form = h('form', { class: 'stack-form', id: 'visit-form' },
      h('label', { for: 'visit-at' }, t('visit.atLabel')), at, h('label', { for: 'visit-place' }, t('visit.placeLabel')), place, submit);
    form.addEventListener('submit', (event) => {
      event.preventDefault();
      submit.disabled = true;
      api.post(base, { at: new Date(at.value).toISOString(), place: place.value }).then(reload).catch((err: unknown) => { submit.disabled = false; fail(err); });
    });
    action = visit?.state === 'accepted' ? null : form;
  }
  const record = visit?.state === 'accepted' ? h('button', { type: 'button', class: 'primary', id: 'visit-record' }, t('visit.record', { place: t(`visit.place.${visit.place}`) })) : null;
  record?.addEventListener('click', () => {
    record.disabled = true;
    api.post(`${base}/visit`, { place: visit!.place }).then(reload).catch((err: unknown) => { record.disabled = false; fail(err); });
  });
  return h('section', { class: 'card', id: 'visit' }, h('h3', {}, t('visit.title')), stateLine, problem, record, action);
}
