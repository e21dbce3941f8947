/**
 * Demo complaints in every state, made the way users make them: filed through the HTTP API,
 * worked by the real process (tasks completed by the assigned engineer's own account,
 * evaluations through the customer's signed link). Nothing is written to the database directly.
 * Bounded: gives up at the deadline and says how far it got. Prints one line per step.
 */
import { randomBytes } from 'node:crypto';

interface Task { id: string; elementId: string; state: string; assignee: string | null }
interface Complaint { id: string; status: string; tasks: Task[]; engineerChoice: { state: string } | null; departments: string[]; timeline: Array<{ what: string }> }
type Call = <T>(method: string, path: string, body?: unknown) => Promise<{ status: number; body: T }>;

export interface DemoComplaintsOptions {
  /** The running service, e.g. http://127.0.0.1:3000. */
  baseUrl: string;
  /** An admin's bearer token. */
  token: string;
  progress?: (line: string) => void;
  /** Give up after this long (default 3 minutes). */
  timeoutMs?: number;
  signal?: AbortSignal;
}

/** What each demo complaint is left as. `open` is filed last: the process classifies it within a second. */
export const DEMO_COMPLAINT_STATES = ['closed', 'reopened', 'awaiting_evaluation', 'in_progress', 'engineer_choice', 'open'] as const;

/** Each department's task in the shipped diagram, and what it is completed with (finance: nothing, so auto-approved). */
const DEPARTMENT_TASKS: Readonly<Record<string, readonly [elementId: string, variables: Record<string, unknown>]>> = {
  'after-sales': ['AfterSalesContact', { contactOutcome: 'Called the customer back.' }],
  technical: ['TechnicalAnalysis', { technicalFinding: 'Thermostat failed.' }],
  finance: ['FinanceCompensation', { compensationAmount: 0 }],
  logistics: ['LogisticsReplacement', {}],
};

const sleep = (ms: number) => new Promise((resolve) => setTimeout(resolve, ms));

function client(baseUrl: string, token: string, signal?: AbortSignal): Call {
  return async <T>(method: string, path: string, body?: unknown) => {
    const res = await fetch(`${baseUrl}${path}`, {
      method,
      headers: { authorization: `Bearer ${token}`, ...(body === undefined ? {} : { 'content-type': 'application/json' }) },
      ...(body === undefined ? {} : { body: JSON.stringify(body) }),
      ...(signal ? { signal } : {}),
    });
    const text = await res.text();
    return { status: res.status, body: (text ? JSON.parse(text) : undefined) as T };
  };
}

export async function seedDemoComplaints(options: DemoComplaintsOptions): Promise<Record<string, string>> {
  const deadline = Date.now() + (options.timeoutMs ?? 180_000);
  const progress = options.progress ?? (() => undefined);
  const base = options.baseUrl.replace(/\/+$/, '');
  const admin = client(base, options.token, options.signal);
  /** Engineers' sessions by staff id: an account is made for each assigned demo engineer. */
  const engineers = new Map<string, Call>();

  const must = async <T>(what: string, call: Promise<{ status: number; body: T }>, ok = [200, 201, 202, 204]) => {
    const res = await call;
    if (!ok.includes(res.status)) throw new Error(`${what} answered ${res.status}: ${JSON.stringify(res.body)}`);
    return res.body;
  };

  async function until(id: string, what: string, predicate: (c: Complaint) => boolean): Promise<Complaint> {
    for (;;) {
      options.signal?.throwIfAborted();
      const c = await must<Complaint>('GET complaint', admin('GET', `/api/complaints/${id}`));
      if (predicate(c)) return c;
      if (Date.now() > deadline) throw new Error(`gave up waiting for ${what} on ${id}`);
      await sleep(250);
    }
  }

  const openTask = (c: Complaint, elementId: string) => c.tasks.find((t) => t.elementId === elementId && (t.state === 'open' || t.state === 'claimed'));

  async function engineerFor(staffId: string): Promise<Call> {
    const known = engineers.get(staffId);
    if (known) return known;
    const email = `${staffId}@demo.example.com`;
    const password = randomBytes(18).toString('base64url');
    const created = await admin('POST', '/api/users', { email, name: `Demo engineer ${staffId}`, password, roles: ['engineer'], groups: ['after-sales'], staffId });
    // An account from an earlier seed: its password is unknown, so the admin acts for it.
    if (created.status !== 201) return admin;
    const login = await must<{ token: string }>('login', admin('POST', '/api/auth/login', { email, password }));
    const session = client(base, login.token, options.signal);
    engineers.set(staffId, session);
    return session;
  }

  async function complete(id: string, elementId: string, variables: Record<string, unknown> = {}) {
    const c = await until(id, elementId, (x) => Boolean(openTask(x, elementId)));
    const task = openTask(c, elementId)!;
    const who = task.assignee ? await engineerFor(task.assignee) : admin;
    await must(`complete ${elementId}`, who('POST', `/api/tasks/${task.id}/complete`, { variables }));
    await until(id, `${elementId} completed`, (x) => x.tasks.some((t) => t.id === task.id && t.state === 'completed'));
  }

  async function file(n: number, extra: Record<string, unknown> = {}): Promise<string> {
    const body = {
      channel: 'app', customer: { id: `cust-${String(n).padStart(3, '0')}`, tier: 'standard' }, product: 'fridge',
      title: `Demo: fridge stopped working (${n})`, description: 'The fridge stopped working after a week; the light is on but it does not cool.',
      ...extra,
    };
    return (await must<{ id: string }>('file complaint', admin('POST', '/api/complaints', body))).id;
  }

  /** Dispatch (the recommended engineer accepts, or a dispatcher picks one), first response, the departments' work, resolution: awaiting evaluation. */
  async function dispatch(id: string) {
    const c = await until(id, 'dispatch', (x) => Boolean(openTask(x, 'DispatchRecommended') ?? openTask(x, 'Dispatch')));
    if (openTask(c, 'DispatchRecommended')) await complete(id, 'DispatchRecommended');
    else await complete(id, 'Dispatch', { assignee: 'staff-001' });
  }
  /** The departments that must act work from intake, beside the dispatch (decision 0052). */
  async function departmentWork(id: string) {
    const c = await until(id, 'departments that must act', (x) => x.timeline.some((e) => e.what.startsWith('departments that must act: ')));
    await Promise.all(c.departments.map((department) => {
      const task = DEPARTMENT_TASKS[department];
      return task ? complete(id, task[0], task[1]) : undefined;
    }));
  }
  async function resolve(id: string) {
    await Promise.all([dispatch(id).then(() => complete(id, 'FirstResponse')), departmentWork(id)]);
    await complete(id, 'ResolutionSummary', { resolutionSummary: 'Replaced the thermostat on site.' });
    await until(id, 'awaiting_evaluation', (x) => x.status === 'awaiting_evaluation');
  }
  async function evaluate(id: string, stars: number) {
    // As the customer would: through their signed link.
    const { token } = await must<{ token: string }>('customer link', admin('POST', `/api/complaints/${id}/customer-link`, {}));
    await must('evaluation', client(base, token, options.signal)('POST', `/api/complaints/${id}/evaluation`, { stars, tags: [] }));
  }

  const made: Record<string, string> = {};
  const step = async (state: (typeof DEMO_COMPLAINT_STATES)[number], work: () => Promise<string>) => {
    made[state] = await work();
    progress(`demo complaint ${DEMO_COMPLAINT_STATES.indexOf(state) + 1}/${DEMO_COMPLAINT_STATES.length}: ${state} (${made[state]})`);
  };
  await step('closed', async () => {
    const id = await file(1);
    await resolve(id);
    await evaluate(id, 5);
    await until(id, 'closed', (x) => x.status === 'closed');
    return id;
  });
  await step('reopened', async () => {
    const id = await file(2);
    await resolve(id);
    await evaluate(id, 2);
    await until(id, 'reopened', (x) => x.status === 'reopened');
    return id;
  });
  await step('awaiting_evaluation', async () => {
    const id = await file(3, { contact: { phone: '+86 21 5555 0103' } });
    await resolve(id);
    return id;
  });
  await step('in_progress', async () => {
    const id = await file(4);
    await dispatch(id);
    return id;
  });
  await step('engineer_choice', async () => {
    const id = await file(5, { dispatchMode: 'customer' });
    await until(id, 'the engineer offer', (x) => x.engineerChoice?.state === 'waiting' || Boolean(openTask(x, 'Dispatch')));
    return id;
  });
  await step('open', () => file(6));
  return made;
}
