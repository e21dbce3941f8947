/**
 * Simulated people: staff who poll their inbox (/api/tasks) and claim + complete what they
 * find, the customer who gives 5 stars when asked, and a watcher counting closed complaints.
 * Each is a loop that runs until `stop()`; every unexpected answer is counted, never thrown.
 */
import { countError, routeOf, type Api } from './http';

export interface TaskView { id: string; instanceId: string; elementId: string; state: string; assignee: string | null; createdAt: string }
interface Page<T> { items: T[]; total: number }

const sleep = (ms: number) => new Promise<void>((resolve) => setTimeout(resolve, ms));

/** A request whose unexpected status (or failure) is counted; returns undefined then. */
export async function expect<T>(api: Api, expected: number[], method: string, path: string, body?: unknown, headers?: Record<string, string>): Promise<{ status: number; body: T } | undefined> {
  try {
    const res = await api<T>(method, path, body, headers);
    if (expected.includes(res.status)) return res;
    countError(`${method} ${routeOf(path)} ${res.status}`);
  } catch (err) {
    countError(`${method} ${routeOf(path)} failed: ${(err as Error).message}`);
  }
  return undefined;
}

/** Every page of a list (pageSize ≤ the route's maximum), or what could be read. */
async function allPages<T>(api: Api, path: string, pageSize: number): Promise<T[]> {
  const first = await expect<Page<T>>(api, [200], 'GET', `${path}&pageSize=${pageSize}&page=1`);
  if (!first) return [];
  const pages = Math.ceil(first.body.total / pageSize);
  const rest = await Promise.all(Array.from({ length: Math.max(0, pages - 1) }, (_, i) =>
    expect<Page<T>>(api, [200], 'GET', `${path}&pageSize=${pageSize}&page=${i + 2}`)));
  return [first.body.items, ...rest.map((r) => r?.body.items ?? [])].flat();
}

/** The first page of a list, or nothing when it could not be read. */
async function firstPage<T>(api: Api, path: string, pageSize: number): Promise<T[]> {
  const page = await expect<Page<T>>(api, [200], 'GET', `${path}&pageSize=${pageSize}&page=1`);
  return page?.body.items ?? [];
}

/** What the web inbox asks for (web/src/pages/inbox/model.ts): one page of 200. */
export const INBOX_PAGE_SIZE = 200;

export interface Loop { done: Promise<void> }

let running = true;
export const stopAll = () => { running = false; };

/** Runs `tick` every `intervalMs` (measured from the end of one tick to the start of the next). */
function loop(intervalMs: number, tick: () => Promise<void>): Loop {
  const done = (async () => {
    while (running) {
      await tick();
      await sleep(intervalMs);
    }
  })();
  return { done };
}

export interface StaffMember { id: string; api: Api }

export interface InboxOptions {
  /** Query of /api/tasks, e.g. `state=open&candidateGroup=dispatch`. */
  query: string;
  /** Who works the inbox: tasks go round-robin to them. */
  members: StaffMember[];
  intervalMs: number;
  /** Tasks in work at once per member. */
  concurrency: number;
  /**
   * Which page each look reads: the inbox shows one page (INBOX_PAGE_SIZE), never all of them.
   * `oldest` is a queue worked from its head; `newest` is the web inbox's own order, with the
   * oldest page read every `catchUpEvery`-th look so that a backlog longer than a page is worked too.
   */
  order?: { newest: true; catchUpEvery: number } | { newest: false };
  /** Variables to complete the task with. */
  variables: (task: TaskView) => Record<string, unknown>;
  /** Called with every listed task and when it was seen (after the list answered). */
  onSeen?: (task: TaskView, seenAt: number) => void;
  /** Called with how long reading the inbox took (ms). */
  onListed?: (ms: number) => void;
}

export interface InboxStats { completed: number }

/** A group's inbox: one poller, the members claim (unless already theirs) and complete. */
export function inbox(options: InboxOptions, stats: InboxStats): Loop {
  const inWork = new Set<string>();
  const done = new Set<string>();
  const busy = new Map<string, number>(options.members.map((m) => [m.id, 0]));
  let next = 0;
  let looks = 0;
  const order = options.order ?? { newest: false };

  const work = async (member: StaffMember, task: TaskView) => {
    try {
      if (task.assignee !== member.id) {
        const claimed = await expect(member.api, [204], 'POST', `/api/tasks/${task.id}/claim`, { assignee: member.id });
        if (!claimed) return;
      }
      const completed = await expect(member.api, [200], 'POST', `/api/tasks/${task.id}/complete`, { variables: options.variables(task) });
      if (completed) {
        done.add(task.id);
        stats.completed += 1;
      }
    } finally {
      inWork.delete(task.id);
      busy.set(member.id, busy.get(member.id)! - 1);
    }
  };

  return loop(options.intervalMs, async () => {
    const asked = performance.now();
    looks += 1;
    const newest = order.newest && looks % order.catchUpEvery !== 0;
    const tasks = await firstPage<TaskView>(options.members[0]!.api, `/api/tasks?${options.query}&sort=${newest ? '-createdAt' : 'createdAt'}`, INBOX_PAGE_SIZE);
    const seenAt = performance.now();
    options.onListed?.(seenAt - asked);
    for (const task of tasks) {
      options.onSeen?.(task, seenAt);
      // A completed task stays listed until its projection write lands.
      if (inWork.has(task.id) || done.has(task.id)) continue;
      const member = options.members.map((_, i) => options.members[(next + i) % options.members.length]!)
        .find((m) => busy.get(m.id)! < options.concurrency);
      if (!member) break;
      next += 1;
      inWork.add(task.id);
      busy.set(member.id, busy.get(member.id)! + 1);
      void work(member, task);
    }
  });
}

export interface Complaint { id: string; status: string }

/** The customer: evaluates every complaint awaiting evaluation with 5 stars, once. */
export function customer(api: Api, intervalMs: number, stats: { evaluated: number }): Loop {
  const evaluated = new Set<string>();
  return loop(intervalMs, async () => {
    const waiting = await allPages<Complaint>(api, '/api/complaints?status=awaiting_evaluation', 100);
    await Promise.all(waiting.filter((c) => !evaluated.has(c.id)).map(async (c) => {
      evaluated.add(c.id);
      const res = await expect(api, [201], 'POST', `/api/complaints/${c.id}/evaluation`, { stars: 5, tags: ['fast'] });
      if (res) stats.evaluated += 1;
      else evaluated.delete(c.id); // asked again at the next look
    }));
  });
}

/** Counts closed complaints; `onChange(total, at)` when the count grows. */
export function closedWatcher(api: Api, intervalMs: number, onChange: (total: number, at: number) => void): Loop {
  let last = 0;
  return loop(intervalMs, async () => {
    const res = await expect<Page<Complaint>>(api, [200], 'GET', '/api/complaints?status=closed&pageSize=1');
    if (res && res.body.total > last) {
      last = res.body.total;
      onChange(last, performance.now());
    }
  });
}
