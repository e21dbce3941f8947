/**
 * The simulated people in a process of their own (forked by bench/complaints.ts), so that
 * their work is not counted as the service's: users created in the database and signed in
 * through the API, staff working their inboxes, the customer evaluating, and the load
 * generator filing complaints at a fixed rate (open loop). Sends `load-start` right before the
 * first intake and `drained` when every lifecycle closed or the drain ran out (the CPU window
 * of the orchestrator), then checks the closed complaints and sends the measurements.
 */
import { createAuthService } from '../../server/auth/service';
import type { Role } from '../../server/auth/roles';
import { connectMongo } from '../../server/db/mongo';
import { apiClient, httpErrors, type Api } from './http';
import { childMain, type PeopleConfig, type PeopleResult } from './protocol';
import { closedWatcher, customer, expect, inbox, stopAll, type InboxStats, type Loop, type StaffMember, type TaskView } from './staff';

const CUSTOMER_ID = 'cust-bench';
// Hashes of the bench users are cheap; verification reads the parameters from the hash.
const CHEAP_HASH = { N: 2 ** 10, r: 8, p: 1 };
const sleep = (ms: number) => new Promise<void>((resolve) => setTimeout(resolve, ms));

/** Bench users in the database, signed in through the API. */
async function signInPeople(config: PeopleConfig) {
  const mongo = await connectMongo(config.mongoUri, 'bench', { maxPoolSize: 2 });
  try {
    const users = createAuthService({ mongo, hashParams: CHEAP_HASH });
    let userCount = 0;
    const person = async (roles: Role[], spec: { groups?: string[]; customerId?: string } = {}): Promise<StaffMember> => {
      userCount += 1;
      const email = `${roles.join('-')}-${userCount}@bench.test`;
      const user = await users.createUser({ email, name: email, password: 'bench-password', roles, ...spec });
      const login = await apiClient(config.url)<{ token: string }>('POST', '/api/auth/login', { email, password: 'bench-password' });
      if (login.status !== 200) throw new Error(`login as ${email} answered ${login.status}: ${JSON.stringify(login.body)}`);
      return { id: user.id, api: apiClient(config.url, login.body.token) };
    };
    const team = (n: number, roles: Role[], groups: string[]) => Promise.all(Array.from({ length: n }, () => person(roles, { groups })));
    return {
      dispatchers: await team(2, ['agent'], ['dispatch']),
      engineers: await team(4, ['engineer'], ['after-sales']),
      afterSales: await team(2, ['agent'], ['after-sales']),
      technical: await team(2, ['engineer'], ['technical']),
      finance: await team(2, ['agent'], ['finance']),
      logistics: await team(1, ['agent'], ['logistics']),
      supervisors: await team(1, ['supervisor'], []),
      theCustomer: await person(['customer'], { customerId: CUSTOMER_ID }),
    };
  } finally {
    await mongo.close();
  }
}

childMain<PeopleConfig>('the simulated people', async (config, send) => {
  const { dispatchers, engineers, afterSales, technical, finance, logistics, supervisors, theCustomer } = await signInPeople(config);
  await send({ type: 'ready' });

  // Intake → first task (Dispatch) visible in the dispatchers' inbox.
  const r: PeopleResult = {
    visibleMs: [], openedMs: [], intakeMs: [], inboxQueryMs: [], sent: 0, answered: 0, filed: 0, closed: 0, throughput: NaN,
    tasksCompleted: 0, evaluations: 0, unclassified: 0, httpErrors: [],
  };
  const intakeAt = new Map<string, { perf: number; wall: number }>();
  const seenEarly = new Map<string, number>();
  const seen = new Set<string>();
  const onDispatchSeen = (task: TaskView, seenAt: number) => {
    if (task.elementId !== 'Dispatch' || seen.has(task.instanceId)) return;
    seen.add(task.instanceId);
    const filed = intakeAt.get(task.instanceId);
    if (!filed) {
      seenEarly.set(task.instanceId, seenAt);
      return;
    }
    r.visibleMs.push(seenAt - filed.perf);
    r.openedMs.push(Date.parse(task.createdAt) - filed.wall);
  };

  const taskStats: InboxStats = { completed: 0 };
  let rr = 0;
  const staffPoll = config.staffPollMs;
  const loops: Loop[] = [
    inbox({
      // The dispatchers' inbox as the web page shows it (newest first), the oldest page once a second.
      query: 'state=open&candidateGroup=dispatch', members: dispatchers, intervalMs: config.visibilityPollMs, concurrency: 16, onSeen: onDispatchSeen,
      order: { newest: true, catchUpEvery: Math.max(1, Math.round(config.staffPollMs / config.visibilityPollMs)) },
      onListed: (ms) => r.inboxQueryMs.push(ms),
      variables: () => ({ assignee: engineers[rr++ % engineers.length]!.id }),
    }, taskStats),
    ...engineers.map((e) => inbox({
      query: `state=claimed&assignee=${e.id}`, members: [e], intervalMs: staffPoll, concurrency: 16,
      // Who must act is the diagram's rule, decided at intake (decision 0052): the first response completes without variables.
      variables: (t) => (t.elementId === 'FirstResponse' ? {} : { resolutionSummary: 'contacted, fixed and followed up' }),
    }, taskStats)),
    inbox({ query: 'state=open&candidateGroup=after-sales', members: afterSales, intervalMs: staffPoll, concurrency: 16, variables: () => ({ contactOutcome: 'called' }) }, taskStats),
    inbox({ query: 'state=open&candidateGroup=technical', members: technical, intervalMs: staffPoll, concurrency: 16, variables: () => ({ technicalFinding: 'thermostat' }) }, taskStats),
    inbox({ query: 'state=open&candidateGroup=finance', members: finance, intervalMs: staffPoll, concurrency: 16, variables: () => ({ compensationAmount: 30 }) }, taskStats),
    inbox({ query: 'state=open&candidateGroup=logistics', members: logistics, intervalMs: staffPoll, concurrency: 16, variables: () => ({}) }, taskStats),
    // Escalations and approvals should not happen in this run; if they do, they are worked too.
    inbox({ query: 'state=open&candidateGroup=supervisor', members: supervisors, intervalMs: staffPoll, concurrency: 8, variables: () => ({ needAfterSales: true, needTechnical: false, needFinance: false }) }, taskStats),
  ];
  const evaluations = { evaluated: 0 };
  // Complaint lists are full scans on FerretDB: the customer and the counter look every 3 s.
  loops.push(customer(theCustomer.api, 3 * staffPoll, evaluations));
  // The customer's own closed complaints: preloaded complaints (other customers) do not count.
  const closedAt: Array<{ total: number; at: number }> = [];
  loops.push(closedWatcher(theCustomer.api, 3 * staffPoll, (total, at) => {
    r.closed = total;
    closedAt.push({ total, at });
  }));

  // The load: one intake every 1/rate s, not waiting for answers (open loop).
  const total = Math.round(config.rate * config.seconds);
  await send({ type: 'load-start', total });
  const t0 = performance.now();
  const intakes: Array<Promise<void>> = [];
  const file = async (i: number, api: Api) => {
    const sent = performance.now();
    const res = await expect<{ id: string; instanceId: string | null }>(api, [201], 'POST', '/api/complaints', {
      channel: 'app', customer: { id: CUSTOMER_ID, tier: i % 5 === 0 ? 'gold' : 'standard' }, product: 'Kettle K2',
      title: 'Kettle stopped heating', description: `Bench complaint ${i}: the kettle is broken after two days`,
    }, { 'idempotency-key': `bench-${config.runId}-${i}` });
    const at = performance.now();
    if (!res) return;
    r.intakeMs.push(at - sent);
    r.answered += 1;
    const instanceId = res.body.instanceId;
    if (!instanceId) return;
    r.filed += 1;
    intakeAt.set(instanceId, { perf: at, wall: Date.now() });
    const early = seenEarly.get(instanceId);
    if (early !== undefined) r.visibleMs.push(Math.max(0, early - at));
  };
  for (let i = 0; i < total; i += 1) {
    const wait = t0 + (i * 1000) / config.rate - performance.now();
    if (wait > 0) await sleep(wait);
    r.sent += 1;
    intakes.push(file(i, theCustomer.api));
  }
  // Drain: until every intake has answered and every filed lifecycle is closed, or the drain timeout
  // (counted from the end of the load, not from the last answer: a stuck intake must not stretch the run).
  let answeredAll = false;
  void Promise.all(intakes).then(() => { answeredAll = true; });
  const deadline = t0 + (config.seconds + config.drainSeconds) * 1000;
  while (!(answeredAll && r.closed >= r.filed) && performance.now() < deadline) await sleep(100);
  const t1 = performance.now();
  await send({ type: 'drained', seconds: (t1 - t0) / 1000, filed: r.filed, closed: r.closed });
  stopAll();
  // A loop may wait on a request stuck behind a locked database: give them 10 s, then report anyway.
  await Promise.race([Promise.all(loops.map((l) => l.done)), sleep(10_000)]);
  // Closed complaints should carry their classification; count those that lost it. Bounded like the
  // loops: behind a backlog of requests the check could wait minutes (NaN then).
  const checked = (async () => {
    for (let page = 1; page <= Math.ceil(r.filed / 100); page += 1) {
      const res = await expect<{ items: Array<{ status: string; category: string | null }> }>(theCustomer.api, [200], 'GET', `/api/complaints?status=closed&pageSize=100&page=${page}`);
      r.unclassified += res?.body.items.filter((c) => c.category === null).length ?? 0;
    }
    return true;
  })();
  if (!(await Promise.race([checked, sleep(20_000).then(() => false)]))) r.unclassified = NaN;

  const first = closedAt[0];
  const last = closedAt[closedAt.length - 1];
  // Sustained rate: completions per second between the first and the last count seen (ramp-up excluded).
  r.throughput = first && last && last.at > first.at ? (last.total - first.total) / ((last.at - first.at) / 1000) : NaN;
  r.tasksCompleted = taskStats.completed;
  r.evaluations = evaluations.evaluated;
  r.httpErrors = [...httpErrors.entries()];
  await send({ type: 'result', result: r });
});
