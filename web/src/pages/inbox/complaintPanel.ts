/** Beside the task: its complaint's SLA clocks, departments, commitments (and a new one), attachments and timeline. */
import { api, ApiError } from '../../core/api';
import { formatTime, h, render } from '../../core/dom';
import { COMMITMENT_KINDS } from '../../../../processes/commitments';
import { OWNER_GROUPS } from '../../../../processes/departments';
import { locale, t } from '../../i18n';
import { processWord, timelineText, type ProcessLabels } from '../../i18n/processText';
import { departmentsCard } from './departmentsCard';
import { dispatchCard } from './dispatchCard';
import { visitCard } from './visitCard';
import { evidenceCard } from './evidence';
import { reopenCard } from './reopenCard';
import { clocksOf, complaintNumber, span, whoLabel, type ComplaintDetail, type Me } from './model';


/** Who and what the panel names: people by name, process content in the reader's language. */
export interface PanelWords { names: ReadonlyMap<string, string>; labels: ReadonlyMap<string, ProcessLabels> }

export function complaintPanel(detail: ComplaintDetail, me: Me, reload: () => void, { names, labels }: PanelWords = { names: new Map(), labels: new Map() }): HTMLElement {
  const now = Date.now();
  const clocks = clocksOf(detail);
  return h('aside', { class: 'complaint-panel', 'aria-label': t('inbox.complaint.title') },
    h('section', { class: 'card' },
      h('h2', {}, t('inbox.complaint.heading', { number: complaintNumber(detail.id, detail.number) })),
      h('p', { class: 'complaint-title' }, detail.title),
      h('p', { class: 'notice' }, [detail.product, detail.category && processWord('category', detail.category), detail.severity ? t('inbox.complaint.severity', { severity: processWord('severity', detail.severity) }) : null].filter(Boolean).join(' · ')),
      h('p', { class: 'complaint-description' }, detail.description),
      h('p', {}, h('span', { class: 'badge' }, t(`complaint.status.${detail.status}`)))),
    clocks.length ? h('section', { class: 'card', id: 'task-sla' },
      h('h3', {}, t('inbox.sla.title')),
      h('ul', { class: 'plain' }, ...clocks.map((c) => h('li', {},
        h('span', { class: `badge ${c.state ?? ''}` }, c.state ? t(`sla.${c.state}`) : '—'), ' ',
        c.policyName ?? c.name ?? c.kind ?? c.policyId ?? '', c.dueAt ? ` · ${t(new Date(c.dueAt).getTime() < now ? 'inbox.overdueBy' : 'inbox.dueIn', { span: span(new Date(c.dueAt).getTime() - now) })}` : '')))) : null,
    dispatchCard(detail.dispatch, detail.engineer),
    visitCard(detail.id, detail.status, detail.engineer, detail.appointment, reload),
    departmentsCard(detail.id, detail.status, detail.departmentWork, reload, labels),
    commitments(detail, reload),
    evidenceCard(detail),
    reopenCard(detail, me, reload),
    h('section', { class: 'card' },
      h('h3', {}, t('inbox.timeline.title')),
      h('ol', { class: 'timeline' }, ...[...detail.timeline].reverse().map((e) => h('li', {},
        h('time', { datetime: e.when }, formatTime(e.when, locale())),
        h('span', {}, timelineText(e.what, [...labels.values()])),
        h('span', { class: 'notice who' }, e.name ?? whoLabel(e.who, me, names)))))));
}

function commitments(detail: ComplaintDetail, reload: () => void): HTMLElement {
  const list = detail.commitments.length
    ? h('ul', { class: 'plain commitments' }, ...detail.commitments.map((m) => h('li', {},
      h('span', { class: `badge ${m.status === 'fulfilled' ? 'met' : 'at_risk'}` }, t(`inbox.commitment.${m.status}`)), ' ',
      h('strong', {}, t(`inbox.commitment.kind.${m.kind}`)), ` — ${m.description} `,
      h('span', { class: 'notice' }, t('inbox.commitment.due', { when: formatTime(m.dueAt, locale()), owner: m.ownerDepartment })),
      m.byName ? h('span', { class: 'notice promised-by' }, ` · ${t('promise.by', { name: m.byName })}`) : null)))
    : h('p', { class: 'notice' }, t('inbox.commitment.none'));
  return h('section', { class: 'card', id: 'commitments' }, h('h3', {}, t('inbox.commitment.title')), list,
    detail.status === 'closed' ? null : commitmentForm(detail.id, reload));
}

function commitmentForm(complaintId: string, reload: () => void): HTMLElement {
  const kind = h('select', { id: 'commitment-kind', name: 'kind' }, ...COMMITMENT_KINDS.map((k) => h('option', { value: k }, t(`inbox.commitment.kind.${k}`))));
  const description = h('input', { id: 'commitment-description', name: 'description', required: true, maxlength: 1000 });
  const tomorrow = new Date(Date.now() + 86_400_000);
  const local = new Date(tomorrow.getTime() - tomorrow.getTimezoneOffset() * 60_000).toISOString().slice(0, 16);
  const due = h('input', { id: 'commitment-due', name: 'dueAt', type: 'datetime-local', required: true, value: local });
  const owner = h('select', { id: 'commitment-owner', name: 'ownerDepartment' }, ...OWNER_GROUPS.map((o) => h('option', { value: o }, o)));
  const problem = h('p', { class: 'error', role: 'alert', hidden: true });
  const submit = h('button', { type: 'submit', class: 'primary' }, t('inbox.commitment.add'));
  const form = h('form', { class: 'stack-form', id: 'commitment-form' },
    h('label', { for: 'commitment-kind' }, t('inbox.commitment.kindLabel')), kind,
    h('label', { for: 'commitment-description' }, t('inbox.commitment.description')), description,
    h('label', { for: 'commitment-due' }, t('inbox.commitment.dueLabel')), due,
    h('label', { for: 'commitment-owner' }, t('inbox.commitment.owner')), owner,
    problem, submit);
  form.addEventListener('submit', (event) => {
    event.preventDefault();
    submit.disabled = true;
    problem.hidden = true;
    api.post(`/api/complaints/${encodeURIComponent(complaintId)}/commitments`, {
      kind: kind.value, description: description.value, dueAt: new Date(due.value).toISOString(), ownerDepartment: owner.value,
    }).then(reload).catch((err: unknown) => {
      render(problem, err instanceof ApiError && err.fields.length ? err.fields.map((f) => `${f.path}: ${f.message}`).join('; ') : t('error.generic', { message: (err as Error).message }));
      problem.hidden = false;
      submit.disabled = false;
    });
  });
  return h('details', { class: 'fold' }, h('summary', {}, t('inbox.commitment.new')), form);
}
