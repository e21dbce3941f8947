/** The task page's cards about the task itself: its header, claim / unclaim, the alert's feedback, comments. */
import { api } from '../../core/api';
import { formatTime, h } from '../../core/dom';
import { readableKey } from '../../core/readable';
import { locale, t } from '../../i18n';
import { complaintNumber, isOverdue, myAssignee, myIdentities, span, taskName, whoLabel, type Comment, type ComplaintDetail, type FeedbackSummary, type Task } from './model';
import { slaBadge } from './slaClock';
import { priorityBadge } from './taskList';
import type { TaskContext } from './taskContext';

export function taskHeader(task: Task, detail: ComplaintDetail | null, { me: who, names, labels }: TaskContext): HTMLElement {
  const now = Date.now();
  const mine = task.assignee !== null && myIdentities(who).includes(task.assignee);
  return h('header', { class: 'task-header' },
    h('h1', {}, taskName(task, labels)),
    h('p', { class: 'task-facts' },
      task.complaintId ? h('span', { class: 'task-ref' }, t('inbox.complaint.number', { number: complaintNumber(task.complaintId, task.complaintNumber) }))
        : task.feedback ? h('span', { class: 'task-ref' }, t('inbox.feedback.touchpoint', { touchpoint: task.feedback.touchpoint }))
          : task.businessKey ? h('span', { class: 'task-ref' }, readableKey(task.businessKey)) : null,
      h('span', { class: 'badge' }, task.assignee === null ? t('inbox.unassigned') : mine ? t('inbox.mine') : t('inbox.claimedBy', { who: whoLabel(task.assignee, who, names) })),
      task.dueAt ? h('span', { class: `badge ${isOverdue(task, now) ? 'breached' : 'ok'}` },
        t(isOverdue(task, now) ? 'inbox.overdueBy' : 'inbox.dueIn', { span: span(new Date(task.dueAt).getTime() - now) })) : null,
      priorityBadge(task),
      slaBadge(task, detail),
      h('span', { class: 'notice' }, t('inbox.created', { when: formatTime(task.createdAt, locale()) })),
      task.candidateGroups.length ? h('span', { class: 'notice' }, t('inbox.groups', { groups: task.candidateGroups.join(', ') })) : null));
}

export function claimActions(task: Task, { me: who, act, refresh }: TaskContext): HTMLElement {
  const mine = task.assignee !== null && myIdentities(who).includes(task.assignee);
  const problem = h('p', { class: 'error', role: 'alert', hidden: true });
  const claim = h('button', { type: 'button', class: 'primary', id: 'claim-task' }, t('inbox.claim'));
  claim.addEventListener('click', () => act(claim, problem, () => api.post(`/api/tasks/${encodeURIComponent(task.id)}/claim`, { assignee: myAssignee(who) }),
    () => refresh((x) => x?.assignee === myAssignee(who))));
  const unclaim = h('button', { type: 'button', id: 'unclaim-task' }, t('inbox.unclaim'));
  unclaim.addEventListener('click', () => act(unclaim, problem, () => api.post(`/api/tasks/${encodeURIComponent(task.id)}/unclaim`),
    () => refresh((x) => x?.assignee === null)));
  return h('div', { class: 'task-actions' }, task.assignee === null ? claim : mine ? unclaim : null, problem);
}

/** What an alert work order is about: score, touchpoint, the low answers and the customer's words. */
export function feedbackCard(feedback: FeedbackSummary): HTMLElement {
  return h('section', { class: 'card feedback-card', id: 'feedback' },
    h('h2', {}, t('inbox.feedback.title')),
    h('p', { class: 'task-facts' },
      h('span', { class: 'badge breached', id: 'feedback-score' }, t('inbox.feedback.score', { score: feedback.score })),
      h('span', { class: 'task-ref', id: 'feedback-touchpoint' }, t('inbox.feedback.touchpoint', { touchpoint: feedback.touchpoint })),
      h('span', { class: 'notice' }, formatTime(feedback.at, locale()))),
    h('h3', {}, t('inbox.feedback.words')),
    h('blockquote', { class: 'verbatim', id: 'feedback-verbatim' }, feedback.verbatim),
    h('h3', {}, t('inbox.feedback.lowAnswers')),
    feedback.lowAnswers.length
      ? h('ul', { class: 'plain low-answers', id: 'feedback-low-answers' },
        ...feedback.lowAnswers.map((a) => h('li', {}, t('inbox.feedback.answer', { question: a.question, score: a.score }))))
      : h('p', { class: 'notice' }, t('inbox.feedback.noAnswers')),
    ...feedback.reopens.map((r) => h('p', { class: 'notice reopened' }, t('inbox.feedback.reopened', { when: formatTime(r.at, locale()), reason: r.reason }))),
    h('p', { class: 'notice' }, t('inbox.feedback.closeHint')));
}

export function commentsCard(task: Task, comments: Comment[], { me, act, refresh, localComments, names }: TaskContext): HTMLElement {
  const text = h('textarea', { id: 'comment-text', rows: 2, required: true, maxlength: 2000, 'aria-label': t('inbox.comments.new') });
  const problem = h('p', { class: 'error', role: 'alert', hidden: true });
  const submit = h('button', { type: 'submit' }, t('inbox.comments.add'));
  const form = h('form', { class: 'stack-form', id: 'comment-form' }, text, problem, submit);
  form.addEventListener('submit', (event) => {
    event.preventDefault();
    act(submit, problem, () => api.post<Comment>(`/api/tasks/${encodeURIComponent(task.id)}/comments`, { text: text.value }), () => {
      // Comments of tasks outside a complaint are not listed by the API: keep what was said here.
      if (!task.complaintId) localComments.push({ author: `staff:${me.id}`, text: text.value, at: new Date().toISOString() });
      refresh();
    });
  });
  return h('section', { class: 'card', id: 'comments' },
    h('h3', {}, t('inbox.comments.title', { count: comments.length })),
    comments.length ? h('ul', { class: 'plain comments' }, ...comments.map((c) => h('li', {},
      h('p', {}, c.text), h('p', { class: 'notice' }, `${whoLabel(c.author, me, names)} · ${formatTime(c.at, locale())}`)))) : null,
    form);
}
