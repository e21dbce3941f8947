/**
 * One task: claim / unclaim, its form and complete, transfer with a reason, comments and a
 * photo from the camera; beside it (or below, on a phone) the complaint it works on.
 */
import { api, ApiError } from '../../core/api';
import { formatTime, h, render } from '../../core/dom';
import { navigate } from '../../core/router';
import { OWNER_GROUPS } from '../../../../processes/departments';
import { locale, t } from '../../i18n';
import { complaintPanel } from './complaintPanel';
import { complaintNumber, isOverdue, myAssignee, myIdentities, span, whoLabel, type Comment, type ComplaintDetail, type FeedbackSummary, type Me, type Task } from './model';
import { photoInput } from './photo';
import { videoInput } from './evidence';
import { priorityBadge } from './taskList';
import { slaBadge } from './slaClock';
import { alertReopenCard } from './reopenCard';
import { taskForm, type TaskFormView } from './taskForm';

export const FLASH_KEY = 'complaint-bpm.inbox.flash';
/** Tasks just completed or transferred here: hidden from the list until the read model has caught up. */
export const DONE_KEY = 'complaint-bpm.inbox.done';

function rememberDone(taskId: string): void {
  let done: Record<string, number> = {};
  try { done = JSON.parse(sessionStorage.getItem(DONE_KEY) ?? '{}') as Record<string, number>; } catch { /* start afresh */ }
  done[taskId] = Date.now();
  sessionStorage.setItem(DONE_KEY, JSON.stringify(done));
}

const problemText = (err: unknown): string => {
  if (err instanceof ApiError && err.fields.length) return err.fields.map((f) => `${f.path}: ${f.message}`).join('; ');
  return t('error.generic', { message: (err as Error).message });
};

/** Loads the task (and its complaint) and renders it into `root`; returns a cleanup. */
export async function mountTask(root: HTMLElement, taskId: string, me: Me): Promise<() => void> {
  let form: TaskFormView | null = null;
  let alive = true;
  const localComments: Comment[] = [];
  /** The last photo confirmation: the card is re-rendered by the refresh the upload triggers. */
  let photoNotice: string | null = null;
  let videoNotice: string | null = null;

  const load = async () => {
    const instanceId = taskId.slice(0, taskId.lastIndexOf('.'));
    const page = await api.get<{ items: Task[] }>('/api/tasks', { instanceId, pageSize: 200 });
    const task = page.items.find((x) => x.id === taskId) ?? null;
    const complaintId = task?.complaintId ?? null;
    // A business key that looks like a complaint id but names none: the task without its complaint.
    const detail = complaintId
      ? await api.get<ComplaintDetail>(`/api/complaints/${encodeURIComponent(complaintId)}`).catch((err: unknown) => {
        if (err instanceof ApiError && err.status === 404) return null;
        throw err;
      })
      : null;
    return { task, detail };
  };

  /**
   * Renders the task. After a claim or unclaim, `until` waits (briefly) for the read model to
   * show it: the action is applied by the instance and projected a moment later.
   */
  const show = async (until?: (task: Task | null) => boolean) => {
    let { task, detail } = await load();
    for (let tries = 0; until && !until(task) && tries < 20 && alive; tries += 1) {
      await new Promise((resolve) => setTimeout(resolve, 250));
      ({ task, detail } = await load());
    }
    if (!alive) return;
    form?.destroy();
    form = null;
    if (!task) {
      render(root, back(), h('p', { class: 'notice' }, t('inbox.task.gone')));
      return;
    }
    const active = task.state === 'open' || task.state === 'claimed';
    if (active) form = await taskForm(task.id);
    if (!alive) { form?.destroy(); return; }
    const comments = [...(detail?.tasks.find((x) => x.id === task.id)?.comments ?? []), ...localComments];
    render(root,
      h('div', { class: 'task-layout' },
        h('div', { class: 'task-main' },
          back(),
          header(task, me, detail),
          active ? actions(task, me) : h('p', { class: 'notice' }, t('inbox.task.closed', { state: t(`inbox.state.${task.state}`) })),
          task.feedback ? feedbackCard(task.feedback) : null,
          !active && task.feedback ? alertReopenCard(task.feedback.id, me, () => {
            sessionStorage.setItem(FLASH_KEY, t('reopen.alertDone', { group: task.feedback?.ownerGroup ?? task.candidateGroups.join(', ') }));
            navigate('/inbox');
          }) : null,
          active && form ? completeCard(task, me, form) : null,
          active ? transferCard(task) : null,
          commentsCard(task, comments),
          detail ? h('section', { class: 'card' }, h('h3', {}, t('photo.title')), h('p', { class: 'notice' }, t('photo.hint')),
            photoInput(detail.id, (notice) => { photoNotice = notice; void refresh(); }, 'task-photo', photoNotice),
            videoInput(detail.id, (notice) => { videoNotice = notice; void refresh(); }, videoNotice)) : null),
        detail ? complaintPanel(detail, me, () => void refresh()) : null));
  };

  const refresh = (until?: (task: Task | null) => boolean) => show(until).catch((err: unknown) => { if (alive) render(root, back(), h('p', { class: 'error' }, problemText(err))); });

  const act = (button: HTMLButtonElement, problem: HTMLElement, call: () => Promise<unknown>, after: () => void) => {
    button.disabled = true;
    problem.hidden = true;
    call().then(after).catch((err: unknown) => {
      problem.textContent = problemText(err);
      problem.hidden = false;
      button.disabled = false;
    });
  };

  function back(): HTMLElement {
    return h('a', { class: 'back-link', href: '#/inbox' }, '← ', t('inbox.back'));
  }

  function header(task: Task, who: Me, detail: ComplaintDetail | null): HTMLElement {
    const now = Date.now();
    const mine = task.assignee !== null && myIdentities(who).includes(task.assignee);
    return h('header', { class: 'task-header' },
      h('h1', {}, task.name ?? task.elementId),
      h('p', { class: 'task-facts' },
        task.complaintId ? h('span', { class: 'task-ref' }, t('inbox.complaint.number', { number: complaintNumber(task.complaintId) }))
          : task.feedback ? h('span', { class: 'task-ref' }, t('inbox.feedback.touchpoint', { touchpoint: task.feedback.touchpoint }))
            : task.businessKey ? h('span', { class: 'task-ref' }, task.businessKey) : null,
        h('span', { class: 'badge' }, task.assignee === null ? t('inbox.unassigned') : mine ? t('inbox.mine') : t('inbox.claimedBy', { who: task.assignee })),
        task.dueAt ? h('span', { class: `badge ${isOverdue(task, now) ? 'breached' : 'ok'}` },
          t(isOverdue(task, now) ? 'inbox.overdueBy' : 'inbox.dueIn', { span: span(new Date(task.dueAt).getTime() - now) })) : null,
        priorityBadge(task),
        slaBadge(task, detail),
        h('span', { class: 'notice' }, t('inbox.created', { when: formatTime(task.createdAt, locale()) })),
        task.candidateGroups.length ? h('span', { class: 'notice' }, t('inbox.groups', { groups: task.candidateGroups.join(', ') })) : null));
  }

  function actions(task: Task, who: Me): HTMLElement {
    const mine = task.assignee !== null && myIdentities(who).includes(task.assignee);
    const problem = h('p', { class: 'error', role: 'alert', hidden: true });
    const claim = h('button', { type: 'button', class: 'primary', id: 'claim-task' }, t('inbox.claim'));
    claim.addEventListener('click', () => act(claim, problem, () => api.post(`/api/tasks/${encodeURIComponent(task.id)}/claim`, { assignee: myAssignee(who) }),
      () => void refresh((x) => x?.assignee === myAssignee(who))));
    const unclaim = h('button', { type: 'button', id: 'unclaim-task' }, t('inbox.unclaim'));
    unclaim.addEventListener('click', () => act(unclaim, problem, () => api.post(`/api/tasks/${encodeURIComponent(task.id)}/unclaim`),
      () => void refresh((x) => x?.assignee === null)));
    return h('div', { class: 'task-actions' }, task.assignee === null ? claim : mine ? unclaim : null, problem);
  }

  /** What an alert work order is about: score, touchpoint, the low answers and the customer's words. */
  function feedbackCard(feedback: FeedbackSummary): HTMLElement {
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

  function completeCard(task: Task, who: Me, view: TaskFormView): HTMLElement {
    const mine = task.assignee !== null && myIdentities(who).includes(task.assignee);
    const problem = h('p', { class: 'error', role: 'alert', hidden: true });
    const complete = h('button', { type: 'button', class: 'primary wide', id: 'complete-task', disabled: !mine }, t('inbox.complete'));
    complete.addEventListener('click', () => {
      const variables = view.collect();
      if (variables === null) {
        problem.textContent = t('inbox.form.invalid');
        problem.hidden = false;
        return;
      }
      const note = view.note?.() ?? null;
      const path = `/api/tasks/${encodeURIComponent(task.id)}`;
      // The note goes with the completion: the server writes it, with the completer's name, on the complaint's timeline.
      // A task of no complaint has no timeline: its note stays a comment, as before.
      act(complete, problem, async () => {
        if (note !== null && !task.complaintId) await api.post(`${path}/comments`, { text: note });
        return api.post(`${path}/complete`, { variables, ...(note !== null && task.complaintId ? { note } : {}) });
      }, () => {
        sessionStorage.setItem(FLASH_KEY, t('inbox.completed', { name: task.name ?? task.elementId }));
        rememberDone(task.id);
        navigate('/inbox');
      });
    });
    const clear = () => { problem.hidden = true; };
    view.el.addEventListener('input', clear);
    view.el.addEventListener('click', clear);
    return h('section', { class: 'card', id: 'task-form-card' },
      h('h2', {}, t('inbox.form.title')), view.el,
      mine ? null : h('p', { class: 'notice' }, t('inbox.form.claimFirst')),
      problem, complete);
  }

  function transferCard(task: Task): HTMLElement {
    const toGroup = h('input', { type: 'radio', name: 'transfer-to', value: 'group', id: 'transfer-to-group', checked: true });
    const toUser = h('input', { type: 'radio', name: 'transfer-to', value: 'user', id: 'transfer-to-user' });
    const target = h('input', { id: 'transfer-target', list: 'transfer-groups', required: true, autocomplete: 'off', maxlength: 200 });
    const reason = h('textarea', { id: 'transfer-reason', required: true, rows: 2, maxlength: 500 });
    const problem = h('p', { class: 'error', role: 'alert', hidden: true });
    const submit = h('button', { type: 'submit', class: 'primary' }, t('inbox.transfer.submit'));
    // The directory's departments name their candidate groups; the usual ones until it answers.
    const groups = h('datalist', { id: 'transfer-groups' }, ...OWNER_GROUPS.map((g) => h('option', { value: g })));
    api.get<{ items: Array<{ name: string; candidateGroup: string }> }>('/api/departments', { pageSize: 100 })
      .then((page) => { if (page.items.length) render(groups, ...page.items.map((d) => h('option', { value: d.candidateGroup }, d.name))); })
      .catch(() => undefined);
    const form = h('form', { class: 'stack-form', id: 'transfer-form' },
      h('div', { class: 'radio-row' },
        h('label', { for: 'transfer-to-group' }, toGroup, t('inbox.transfer.toGroup')),
        h('label', { for: 'transfer-to-user' }, toUser, t('inbox.transfer.toUser'))),
      h('label', { for: 'transfer-target' }, t('inbox.transfer.target')), target,
      groups,
      h('label', { for: 'transfer-reason' }, t('inbox.transfer.reason')), reason, problem, submit);
    form.addEventListener('submit', (event) => {
      event.preventDefault();
      const body = { ...(toUser.checked ? { toUser: target.value.trim() } : { toGroup: target.value.trim() }), reason: reason.value };
      act(submit, problem, () => api.post(`/api/tasks/${encodeURIComponent(task.id)}/transfer`, body), () => {
        sessionStorage.setItem(FLASH_KEY, t('inbox.transferred', { name: task.name ?? task.elementId, to: target.value.trim() }));
        rememberDone(task.id);
        navigate('/inbox');
      });
    });
    return h('details', { class: 'card fold', id: 'transfer' }, h('summary', {}, t('inbox.transfer.title')), form);
  }

  function commentsCard(task: Task, comments: Comment[]): HTMLElement {
    const text = h('textarea', { id: 'comment-text', rows: 2, required: true, maxlength: 2000, 'aria-label': t('inbox.comments.new') });
    const problem = h('p', { class: 'error', role: 'alert', hidden: true });
    const submit = h('button', { type: 'submit' }, t('inbox.comments.add'));
    const form = h('form', { class: 'stack-form', id: 'comment-form' }, text, problem, submit);
    form.addEventListener('submit', (event) => {
      event.preventDefault();
      act(submit, problem, () => api.post<Comment>(`/api/tasks/${encodeURIComponent(task.id)}/comments`, { text: text.value }), () => {
        // Comments of tasks outside a complaint are not listed by the API: keep what was said here.
        if (!task.complaintId) localComments.push({ author: `staff:${me.id}`, text: text.value, at: new Date().toISOString() });
        void refresh();
      });
    });
    return h('section', { class: 'card', id: 'comments' },
      h('h3', {}, t('inbox.comments.title', { count: comments.length })),
      comments.length ? h('ul', { class: 'plain comments' }, ...comments.map((c) => h('li', {},
        h('p', {}, c.text), h('p', { class: 'notice' }, `${whoLabel(c.author, me)} · ${formatTime(c.at, locale())}`)))) : null,
      form);
  }

  await show();
  return () => {
    alive = false;
    form?.destroy();
  };
}
