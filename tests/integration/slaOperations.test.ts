/**
 * SLA operations over HTTP on the real servers: clocks, breaches and element events are
 * seeded straight into FerretDB (as the SLA engine's writer would leave them), and every
 * figure is checked against a count computed here, independently, from the seeded documents.
 */
import { slaModels, type SlaBreachRecord, type SlaClockRecord, type SlaState } from '../../server/projections/slaModels';
import { middle, query, random } from '../support/slaSeed';
import { startStack, type Stack } from '../support/stack';

const DAY = 86_400_000;
const HOUR = 3_600_000;
const NOW = Date.now();
const TO = new Date(Math.floor(NOW / DAY) * DAY + DAY); // the end of today (UTC)
const FROM = new Date(TO.getTime() - 14 * DAY);
const STATES: SlaState[] = ['ok', 'at_risk', 'breached', 'met'];
const DEPARTMENTS = ['after-sales', 'technical', 'finance', null];
const SEVERITIES = ['low', 'high', 'critical'];
const ELEMENTS = ['dispatch', 'repair', null];


function seedClocks(count: number): SlaClockRecord[] {
  const next = random(7);
  const pick = <T>(list: readonly T[]) => list[Math.floor(next() * list.length)] as T;
  return Array.from({ length: count }, (_, i) => {
    const state = pick(STATES);
    const startedAt = new Date(TO.getTime() - Math.floor(next() * 20 * DAY)); // some before FROM
    const metric = i % 3 === 0 ? 'firstResponse' : i % 3 === 1 ? 'resolution' : 'element';
    const open = state === 'ok' || state === 'at_risk';
    const paused = open && i % 7 === 0;
    const dueAt = open && !paused ? new Date(NOW + Math.floor((next() - 0.2) * 3 * DAY)) : state === 'breached' ? new Date(startedAt.getTime() + 8 * HOUR) : null;
    const instanceId = `pi-sla-${String(i).padStart(4, '0')}`;
    const clockKey = `${metric}-policy`;
    return {
      _id: `${instanceId}.${clockKey}`, instanceId, clockKey, complaintId: `C-${i}`,
      definitionKey: i % 5 === 0 ? 'alert-process' : 'complaint-handling', definitionVersion: 1, policyId: `${metric}-policy`, metric,
      elementId: metric === 'element' ? pick(ELEMENTS) : null, taskId: null,
      department: pick(DEPARTMENTS), severity: pick(SEVERITIES), customerTier: null, engineerId: i % 4 === 0 ? null : `eng-${i % 6}`,
      state, paused, startedAt, targetMs: 8 * HOUR, dueAt,
      remainingMs: paused ? HOUR : null, pausedMs: 0, warningsFired: [],
      metAt: state === 'met' ? new Date(startedAt.getTime() + HOUR) : null,
      breachedAt: state === 'breached' ? new Date(startedAt.getTime() + 8 * HOUR) : null,
      elapsedMs: state === 'met' || state === 'breached' ? Math.floor(next() * 10 * HOUR) : null,
      updatedAt: new Date(NOW), sequence: 1,
    };
  });
}

interface Counts { ok: number; at_risk: number; breached: number; met: number }
interface Group extends Counts { key: string | null }
interface Overview {
  totals: Counts; byDepartment: Group[]; bySeverity: Group[]; byElement: Group[]; byEngineer: Group[];
  breachingNext: Array<{ instanceId: string; clockKey: string; dueAt: string; remainingMs: number }>;
  trends: Array<{ day: string; started: number; met: number; breached: number; breachRate: number | null; medianFirstResponseMs: number | null; medianResolutionMs: number | null }>;
}
interface Problem { fields: Array<{ path: string }> }

const inPeriod = (c: SlaClockRecord) => c.startedAt >= FROM && c.startedAt < TO;
function countBy(clocks: SlaClockRecord[], key: (c: SlaClockRecord) => string | null): Map<string | null, Counts> {
  const out = new Map<string | null, Counts>();
  for (const c of clocks) {
    const counts = out.get(key(c)) ?? { ok: 0, at_risk: 0, breached: 0, met: 0 };
    counts[c.state] += 1;
    out.set(key(c), counts);
  }
  return out;
}
const asMap = (groups: Group[]) => new Map(groups.map(({ key, ...counts }) => [key, counts]));
const period = { from: FROM.toISOString(), to: TO.toISOString() };

describe('SLA operations API', () => {
  let stack: Stack;
  const clocks = seedClocks(400);
  const breaches: SlaBreachRecord[] = clocks.filter((c) => c.state === 'breached').map((c) => ({
    _id: c._id, instanceId: c.instanceId, clockKey: c.clockKey, complaintId: c.complaintId, definitionKey: c.definitionKey,
    policyId: c.policyId, metric: c.metric, elementId: c.elementId, taskId: c.taskId, department: c.department,
    severity: c.severity, engineerId: c.engineerId, dueAt: c.dueAt!, breachedAt: c.breachedAt!, escalatedTo: ['supervisor-1'],
  }));

  beforeAll(async () => {
    stack = await startStack({ worker: false });
    const sla = slaModels(stack.mongo);
    await sla.clocks.insertMany(clocks);
    await sla.breaches.insertMany(breaches);
  });
  afterAll(async () => {
    await stack?.stop();
  });

  it('counts clocks by state, department, severity, element and engineer as the documents say', async () => {
    // when
    const res = await stack.api<Overview>('GET', `/api/sla/overview?${query(period)}`);
    // then
    expect(res.status).toBe(200);
    const seeded = clocks.filter(inPeriod);
    expect(res.body.totals).toEqual(countBy(seeded, () => 'all').get('all'));
    expect(asMap(res.body.byDepartment)).toEqual(countBy(seeded, (c) => c.department));
    expect(asMap(res.body.bySeverity)).toEqual(countBy(seeded, (c) => c.severity));
    expect(asMap(res.body.byElement)).toEqual(countBy(seeded, (c) => c.elementId));
    expect(asMap(res.body.byEngineer)).toEqual(countBy(seeded, (c) => c.engineerId));
  });

  it('filters by department and definition', async () => {
    // when
    const res = await stack.api<Overview>('GET', `/api/sla/overview?${query({ ...period, department: 'technical', definitionKey: 'complaint-handling' })}`);
    // then
    const seeded = clocks.filter((c) => inPeriod(c) && c.department === 'technical' && c.definitionKey === 'complaint-handling');
    expect(seeded.length).toBeGreaterThan(0);
    expect(res.body.totals).toEqual(countBy(seeded, () => 'all').get('all'));
  });

  it('lists what breaches next: running clocks only, soonest due first, whatever their start', async () => {
    // when
    const res = await stack.api<Overview>('GET', `/api/sla/overview?${query({ ...period, limit: '200' })}`);
    const short = await stack.api<Overview>('GET', `/api/sla/overview?${query(period)}`);
    // then
    const running = clocks
      .filter((c) => (c.state === 'ok' || c.state === 'at_risk') && !c.paused && c.dueAt !== null)
      .sort((a, b) => a.dueAt!.getTime() - b.dueAt!.getTime() || (a._id < b._id ? -1 : 1));
    expect(running.length).toBeGreaterThan(20);
    expect(res.body.breachingNext.map((b) => `${b.instanceId}.${b.clockKey}`)).toEqual(running.slice(0, 200).map((c) => c._id));
    expect(short.body.breachingNext.map((b) => b.dueAt)).toEqual(running.slice(0, 20).map((c) => c.dueAt!.toISOString()));
    expect(res.body.breachingNext.some((b) => b.remainingMs < 0)).toBe(true);
  });

  it('gives one trend entry per day of the period with breach rate and medians', async () => {
    // when
    const res = await stack.api<Overview>('GET', `/api/sla/overview?${query(period)}`);
    // then
    expect(res.body.trends).toHaveLength(14);
    for (const day of res.body.trends) {
      const started = clocks.filter((c) => inPeriod(c) && c.startedAt.toISOString().startsWith(day.day));
      const ended = started.filter((c) => c.state === 'met' || c.state === 'breached');
      const met = started.filter((c) => c.state === 'met').length;
      const breached = started.filter((c) => c.state === 'breached').length;
      expect(day).toEqual({
        day: day.day,
        started: started.length,
        met,
        breached,
        breachRate: met + breached ? breached / (met + breached) : null,
        medianFirstResponseMs: middle(ended.filter((c) => c.metric === 'firstResponse').map((c) => c.elapsedMs!)),
        medianResolutionMs: middle(ended.filter((c) => c.metric === 'resolution').map((c) => c.elapsedMs!)),
      });
    }
    expect(res.body.trends.some((d) => d.medianResolutionMs !== null)).toBe(true);
  });

  it('pages through the breach records, newest first, without repeats', async () => {
    // when
    const seen: string[] = [];
    let cursor: string | null = null;
    do {
      const page: { status: number; body: { items: Array<{ id: string }>; nextCursor: string | null } } =
        await stack.api('GET', `/api/sla/breaches?${query({ limit: '7', ...(cursor ? { cursor } : {}) })}`);
      expect(page.status).toBe(200);
      seen.push(...page.body.items.map((b) => b.id));
      cursor = page.body.nextCursor;
    } while (cursor);
    const finance = await stack.api<{ items: Array<{ department: string }> }>('GET', '/api/sla/breaches?department=finance&limit=200');
    // then
    const expected = [...breaches].sort((a, b) => b.breachedAt.getTime() - a.breachedAt.getTime() || (a._id < b._id ? 1 : -1)).map((b) => b._id);
    expect(seen).toEqual(expected);
    expect(finance.body.items.length).toBe(breaches.filter((b) => b.department === 'finance').length);
  });

  it('refuses bad parameters with 400 and the field paths', async () => {
    // when
    const cases = await Promise.all([
      stack.api<Problem>('GET', '/api/sla/overview?from=yesterday'),
      stack.api<Problem>('GET', '/api/sla/overview?limit=500'),
      stack.api<Problem>('GET', `/api/sla/overview?${query({ from: TO.toISOString(), to: FROM.toISOString() })}`),
      stack.api<Problem>('GET', '/api/sla/heatmap?version=0'),
      stack.api<Problem>('GET', '/api/sla/breaches?cursor=garbage'),
    ]);
    // then
    expect(cases.map((c) => c.status)).toEqual([400, 400, 400, 400, 400]);
    expect(cases.map((c) => c.body.fields.map((f) => f.path).sort())).toEqual([['from'], ['limit'], ['from'], ['definitionKey', 'version'], ['cursor']]);
  });

  it('refuses agents, engineers and customers; answers compliance and department heads', async () => {
    // when
    const paths = ['/api/sla/overview', '/api/sla/breaches', '/api/sla/heatmap?definitionKey=complaint-handling'];
    const statuses = async (role: 'agent' | 'engineer' | 'customer' | 'compliance' | 'department_head') =>
      Promise.all(paths.map(async (p) => (await stack.as(role)('GET', p)).status));
    // then
    expect(await statuses('agent')).toEqual([403, 403, 403]);
    expect(await statuses('engineer')).toEqual([403, 403, 403]);
    expect(await statuses('customer')).toEqual([403, 403, 403]);
    expect(await statuses('compliance')).toEqual([200, 200, 200]);
    expect(await statuses('department_head')).toEqual([200, 200, 200]);
    expect((await stack.anonymous('GET', paths[0]!)).status).toBe(401);
  });

  it('shows a clock the writer hands over at once, without re-reading the collection', async () => {
    // given a clock written after the index was read
    const live: SlaClockRecord = { ...clocks[1]!, _id: 'pi-live.resolution-policy', instanceId: 'pi-live', definitionKey: 'live-check', state: 'at_risk', paused: false, startedAt: new Date(NOW - HOUR), dueAt: new Date(NOW - 10 * DAY), sequence: 3 };
    await slaModels(stack.mongo).clocks.create(live);
    // when the writer tells the service
    stack.services.slaEvents.clockWritten(live);
    const res = await stack.api<Overview>('GET', '/api/sla/overview?definitionKey=live-check');
    // then
    expect(res.body.totals).toEqual({ ok: 0, at_risk: 1, breached: 0, met: 0 });
    expect(res.body.breachingNext.map((b) => b.instanceId)).toEqual(['pi-live']);
    // and an older write of the same clock does not turn it back
    stack.services.slaEvents.clockWritten({ ...live, state: 'ok', sequence: 2 });
    expect((await stack.api<Overview>('GET', '/api/sla/overview?definitionKey=live-check')).body.totals.at_risk).toBe(1);
    // and a newer write that meets it takes it off the breach-next list
    stack.services.slaEvents.clockWritten({ ...live, state: 'met', dueAt: null, metAt: new Date(NOW), elapsedMs: HOUR, sequence: 4 });
    const met = await stack.api<Overview>('GET', '/api/sla/overview?definitionKey=live-check');
    expect(met.body.totals).toEqual({ ok: 0, at_risk: 0, breached: 0, met: 1 });
    expect(met.body.breachingNext).toEqual([]);
  });
});
