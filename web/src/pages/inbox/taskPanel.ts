/**
 * One task: claim / unclaim, its form and complete, transfer with a reason, comments and a
 * photo from the camera; beside it (or below, on a phone) the complaint it works on. The cards
 * are in ./taskCards.ts (the task itself) and ./taskOutcome.ts (complete, transfer).
 */
import { h, render } from '../../core/dom';
import { navigate } from '../../core/router';
import { t } from '../../i18n';
import { complaintPanel } from './complaintPanel';
import type { Comment, ComplaintDetail, Me, Task } from './model';
import { photoInput } from './photo';
import { videoInput } from './evidence';
import { alertReopenCard } from './reopenCard';
import { claimActions, commentsCard, feedbackCard, taskHeader } from './taskCards';
import { problemText, runAction, type TaskContext } from './taskContext';
import { taskForm, type TaskFormView } from './taskForm';
import { completeCard, FLASH_KEY, transferCard } from './taskOutcome';
import { readTaskUntil } from './taskRead';

export { DONE_KEY, FLASH_KEY } from './taskOutcome';

const back = (): HTMLElement => h('a', { class: 'back-link', href: '#/inbox' }, '← ', t('inbox.back'));

/** The evidence card of a complaint's task (photo and video clip); the notices are the last uploads' confirmations. */
interface EvidenceNotices { photo: string | null; video: string | null }
function photoCard(detail: ComplaintDetail, notices: EvidenceNotices, uploaded: (kind: keyof EvidenceNotices, notice: string) => void): HTMLElement {
  return h('section', { class: 'card' }, h('h3', {}, t('photo.title')), h('p', { class: 'notice' }, t('photo.hint')),
    photoInput(detail.id, (notice) => uploaded('photo', notice), 'task-photo', notices.photo),
    videoInput(detail.id, (notice) => uploaded('video', notice), notices.video));
}

/** The task's own column: header, actions or why there are none, the cards. */
function taskMain(task: Task, detail: ComplaintDetail | null, form: TaskFormView | null, ctx: TaskContext, photo: HTMLElement | null): HTMLElement {
  const active = task.state === 'open' || task.state === 'claimed';
  const comments: Comment[] = [...(detail?.tasks.find((x) => x.id === task.id)?.comments ?? []), ...ctx.localComments];
  return h('div', { class: 'task-main' },
    back(),
    taskHeader(task, detail, ctx),
    active ? claimActions(task, ctx) : h('p', { class: 'notice' }, t('inbox.task.closed', { state: t(`inbox.state.${task.state}`) })),
    task.feedback ? feedbackCard(task.feedback) : null,
    !active && task.feedback ? alertReopenCard(task.feedback.id, ctx.me, () => {
      sessionStorage.setItem(FLASH_KEY, t('reopen.alertDone', { group: task.feedback?.ownerGroup ?? task.candidateGroups.join(', ') }));
      navigate('/inbox');
    }) : null,
    active && form ? completeCard(task, form, ctx) : null,
    active ? transferCard(task, ctx) : null,
    commentsCard(task, comments, ctx),
    photo);
}

/** Loads the task (and its complaint) and renders it into `root`; returns a cleanup. */
export async function mountTask(root: HTMLElement, taskId: string, me: Me): Promise<() => void> {
  let form: TaskFormView | null = null;
  let alive = true;
  /** The last photo confirmation: the card is re-rendered by the refresh the upload triggers. */
  const notices: EvidenceNotices = { photo: null, video: null };

  const show = async (until?: (task: Task | null) => boolean) => {
    const { task, detail, names, labels } = await readTaskUntil(taskId, until, () => alive);
    if (!alive) return;
    ctx.names = names;
    ctx.labels = labels;
    form?.destroy();
    form = null;
    if (!task) {
      render(root, back(), h('p', { class: 'notice' }, t('inbox.task.gone')));
      return;
    }
    if (task.state === 'open' || task.state === 'claimed') form = await taskForm(task.id);
    if (!alive) { form?.destroy(); return; }
    const photo = detail ? photoCard(detail, notices, (kind, notice) => { notices[kind] = notice; ctx.refresh(); }) : null;
    render(root, h('div', { class: 'task-layout' },
      taskMain(task, detail, form, ctx, photo),
      detail ? complaintPanel(detail, me, () => ctx.refresh(), { names, labels }) : null));
  };

  const ctx: TaskContext = {
    me,
    act: runAction,
    refresh: (until) => { show(until).catch((err: unknown) => { if (alive) render(root, back(), h('p', { class: 'error' }, problemText(err))); }); },
    localComments: [],
    names: new Map(),
    labels: new Map(),
  };

  await show();
  return () => {
    alive = false;
    form?.destroy();
  };
}
