/**
 * The agent's and engineer's inbox (`#/inbox`, `#/inbox/:taskId`). Mobile first: on a phone
 * the list or the open task fills the screen; from 900 px they sit side by side. The list
 * polls GET /api/tasks every 5 s while the page is visible (paused when hidden) and says when
 * it last updated; see docs/decisions/0010-inbox-polling.md.
 */
import './inbox.css';
import { h, render } from '../../core/dom';
import { loadLabels } from '../../core/processLabels';
import { registerMessages, t } from '../../i18n';
import type { ProcessLabels } from '../../i18n/processText';
import { departmentMessages, inboxMessages, photoMessages, statusMessages } from './messages';
import { listActiveTasks, loadMe, type Me, type Task } from './model';
import { DONE_KEY, FLASH_KEY, mountTask } from './taskPanel';
import { applyFilter, byUrgency, filterBar, taskRow, type ListState } from './taskList';
import { staffPhoneMessages } from './staffPhoneMessages';
import { searchForm, searchWorkOrders, type WorkOrderQuery } from './workOrderSearch';

registerMessages(inboxMessages);
registerMessages(photoMessages);
registerMessages(statusMessages);
registerMessages(departmentMessages);
registerMessages(staffPhoneMessages);

export const POLL_MS = 5000;
const FILTER_KEY = 'complaint-bpm.inbox.filter';
/** The search stays while the tab is open: opening one of its work orders keeps the results beside it. */
const SEARCH_KEY = 'complaint-bpm.inbox.search';

function savedSearch(): WorkOrderQuery | null {
  try {
    return JSON.parse(sessionStorage.getItem(SEARCH_KEY) ?? 'null') as WorkOrderQuery | null;
  } catch {
    return null;
  }
}

function savedState(): ListState {
  try {
    const raw = JSON.parse(sessionStorage.getItem(FILTER_KEY) ?? 'null') as Partial<ListState> | null;
    return { filter: raw?.filter ?? 'all', sla: raw?.sla ?? '' };
  } catch {
    return { filter: 'all', sla: '' };
  }
}

/** Ids of tasks completed or transferred here in the last minute (the read model may lag). */
function recentlyDone(): Set<string> {
  try {
    const done = JSON.parse(sessionStorage.getItem(DONE_KEY) ?? '{}') as Record<string, number>;
    const fresh = Object.entries(done).filter(([, at]) => Date.now() - at < 60_000);
    sessionStorage.setItem(DONE_KEY, JSON.stringify(Object.fromEntries(fresh)));
    return new Set(fresh.map(([id]) => id));
  } catch {
    return new Set();
  }
}

export default async function inboxPage(root: HTMLElement, params: Record<string, string>): Promise<() => void> {
  const taskId = params.taskId ?? null;
  let state = savedState();
  let tasks: Task[] = [];
  let labels: ReadonlyMap<string, ProcessLabels> = new Map();
  let me: Me | null = null;
  let timer: number | undefined;
  let alive = true;
  let cleanupTask: (() => void) | undefined;
  /** A search (server-side, paged) replaces the live list until it is cleared. */
  let search: WorkOrderQuery | null = savedSearch();
  let searchPage = 1;
  let searchTotal = 0;

  const flashText = sessionStorage.getItem(FLASH_KEY);
  sessionStorage.removeItem(FLASH_KEY);
  const flash = flashText ? h('p', { class: 'flash', role: 'status' }, flashText) : null;
  const updated = h('span', { class: 'updated', id: 'inbox-updated', 'aria-live': 'off' }, t('common.loading'));
  const refreshButton = h('button', { type: 'button', class: 'icon-button', 'aria-label': t('common.refresh'), title: t('common.refresh'), onclick: () => void (search ? runSearch(1) : poll()) }, '⟳');
  const filters = h('div', {});
  const searchBox = h('div', {});
  const more = h('div', { class: 'search-more' });
  const list = h('ul', { class: 'task-list', id: 'task-list', 'aria-live': 'polite' });
  const problem = h('p', { class: 'error', role: 'alert', hidden: true });
  const listPane = h('section', { class: 'inbox-list', 'aria-label': t('inbox.title') },
    h('div', { class: 'inbox-head' }, h('h1', {}, t('inbox.title')), h('span', { class: 'inbox-refresh' }, updated, refreshButton)),
    flash, searchBox, filters, problem, list, more);
  const taskPane = h('section', { class: 'inbox-task', id: 'task-pane', 'aria-label': t('inbox.task.title') });
  const layout = h('div', { class: `inbox${taskId ? ' has-task' : ''}` }, listPane, taskPane);
  render(root, layout);

  const draw = () => {
    render(filters, filterBar(state, tasks, (next) => {
      state = next;
      sessionStorage.setItem(FILTER_KEY, JSON.stringify(state));
      draw();
    }));
    const done = recentlyDone();
    // A search keeps the server's order (newest first); the live list puts the most urgent on top.
    const kept = applyFilter(tasks.filter((task) => !done.has(task.id)), state, me);
    const shown = search ? kept : kept.sort(byUrgency);
    const now = Date.now();
    if (shown.length === 0) render(list, h('li', { class: 'empty' }, tasks.length ? t('inbox.emptyFiltered') : t('inbox.empty')));
    else render(list, ...shown.map((task) => taskRow(task, me, task.id === taskId, now, labels)));
    render(more, search ? h('p', { class: 'notice', id: 'search-count' }, t('search.count', { shown: tasks.length, total: searchTotal })) : null,
      search && tasks.length < searchTotal ? h('button', { type: 'button', id: 'search-more', onclick: () => void runSearch(searchPage + 1) }, t('search.more')) : null);
  };

  const drawSearch = () => render(searchBox, searchForm(search, (next) => {
    search = next;
    if (search) sessionStorage.setItem(SEARCH_KEY, JSON.stringify(search));
    else sessionStorage.removeItem(SEARCH_KEY);
    drawSearch();
    if (search) void runSearch(1);
    else void poll();
  }));

  /** One page of the search: the first replaces the list, the next ones add to it. */
  const runSearch = async (page: number) => {
    window.clearTimeout(timer);
    if (!search) return;
    try {
      const found = await searchWorkOrders(search, page);
      const named = await loadLabels(found.items.map((x) => x.definitionKey));
      if (!alive || !search) return;
      labels = new Map([...labels, ...named]);
      tasks = page === 1 ? found.items : [...tasks, ...found.items];
      searchPage = page;
      searchTotal = found.total;
      problem.hidden = true;
      draw();
    } catch (err) {
      if (!alive) return;
      problem.textContent = t('error.generic', { message: (err as Error).message });
      problem.hidden = false;
    }
  };

  const poll = async () => {
    window.clearTimeout(timer);
    if (search) return;
    try {
      const page = await listActiveTasks();
      // Task names in the reader's language (decision 0050); asked once a session per process.
      const named = await loadLabels(page.items.map((x) => x.definitionKey));
      if (!alive || search) return;
      tasks = page.items;
      labels = named;
      problem.hidden = true;
      updated.textContent = t('common.refreshedAt', { time: new Date().toLocaleTimeString(undefined, { hour: '2-digit', minute: '2-digit', second: '2-digit', hour12: false }) });
      draw();
    } catch (err) {
      if (!alive) return;
      problem.textContent = t('error.generic', { message: (err as Error).message });
      problem.hidden = false;
    }
    schedule();
  };

  const schedule = () => {
    window.clearTimeout(timer);
    if (alive && document.visibilityState === 'visible') timer = window.setTimeout(() => void poll(), POLL_MS);
  };
  const onVisibility = () => {
    if (document.visibilityState === 'visible') void poll();
    else window.clearTimeout(timer);
  };
  document.addEventListener('visibilitychange', onVisibility);

  me = await loadMe();
  drawSearch();
  await (search ? runSearch(1) : poll());
  if (taskId && alive && me) {
    render(taskPane, h('p', { class: 'loading' }, t('common.loading')));
    try {
      const cleanup = await mountTask(taskPane, taskId, me);
      if (alive) cleanupTask = cleanup;
      else cleanup();
    } catch (err) {
      render(taskPane, h('a', { class: 'back-link', href: '#/inbox' }, '← ', t('inbox.back')), h('p', { class: 'error' }, t('error.generic', { message: (err as Error).message })));
    }
  } else if (alive) {
    render(taskPane, h('p', { class: 'notice pick' }, t('inbox.pick')));
  }

  return () => {
    alive = false;
    window.clearTimeout(timer);
    document.removeEventListener('visibilitychange', onVisibility);
    cleanupTask?.();
  };
}
