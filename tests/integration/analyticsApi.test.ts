/**
 * Workload analytics and the drivers of low scores, counted from complaints worked through the
 * real API and process (the demo complaints: one closed with 5 stars, one reopened after 2
 * stars, the rest open in several states). Every figure is checked against a count made here
 * from the stored complaints, tasks and SLA clocks.
 */
import { trusted } from 'mongoose';
import { LOW_STARS } from '../../server/analytics/model';
import type { ComplaintRecord } from '../../server/complaints/model';
import { deployShippedProcesses } from '../../server/complaints/shippedProcesses';
import { seedDirectory } from '../../server/domain/seed';
import { seedDemoComplaints } from '../../server/domain/seed/complaints';
import { directoryModels } from '../../server/domain/directory/models';
import { TEST_PASSWORD } from '../support/auth';
import { startStack, type Stack } from '../support/stack';

interface Figures { open: number; intake: number; closed: number; evaluations: number; lowScoreShare: number | null; satisfaction: number | null; slaMet: number; slaBreached: number; handling: Array<{ step: string; count: number; medianMs: number | null }> }
interface Workload { from: string; to: string; total: Figures; rows: Array<Figures & { key: string; name: string }>; trend: Array<{ day: string; intake: number; closed: number; open: number }> }
interface DriverRow { key: string; evaluations: number; low: number; lowScoreShare: number | null; tags: Array<{ tag: string; count: number }> }
interface Drivers { elements: Array<DriverRow & { definitionKey: string; elementId: string; meanMs: number | null }>; department: DriverRow[]; engineer: DriverRow[] }

let stack: Stack;
let complaints: ComplaintRecord[];
const today = new Date().toISOString().slice(0, 10);

beforeAll(async () => {
  stack = await startStack();
  await deployShippedProcesses(stack.services.definitions);
  await seedDirectory(stack.mongo);
  const admin = await stack.createUser({ roles: ['admin'] });
  const { token } = await stack.login(admin.email, TEST_PASSWORD);
  await seedDemoComplaints({ baseUrl: stack.url, token });
  // The last one filed is classified by the process within moments, and who must act recorded
  // beside its dispatch (decision 0052: the keyword table's departments until then); then everything is counted.
  const { complaints: model } = stack.services.complaintStore.models;
  const decided = (c: ComplaintRecord) => c.category !== null && c.timeline.some((e) => e.what.startsWith('departments that must act: '));
  for (let i = 0; ; i += 1) {
    complaints = await model.find({}).lean<ComplaintRecord[]>();
    if (complaints.every(decided)) break;
    if (i > 100) throw new Error('a demo complaint was never classified');
    await new Promise((r) => setTimeout(r, 200));
  }
  await stack.services.drainProjections();
});

afterAll(async () => {
  await stack?.stop();
});

const delivered = () => complaints.flatMap((c) => c.evaluations.filter((e) => e.state !== 'pending').map((e) => ({ c, e })));

describe('workload analytics', () => {
  it('counts intake, open load, throughput and evaluations per department as the complaints are', async () => {
    const res = await stack.api<Workload>('GET', '/api/analytics/workload?dim=department');
    expect(res.status).toBe(200);
    const w = res.body;
    expect(w.to).toBe(today);
    const closed = complaints.filter((c) => c.status === 'closed');
    expect(closed.length).toBeGreaterThan(0);
    expect(w.total.intake).toBe(complaints.length);
    expect(w.total.closed).toBe(closed.length);
    expect(w.total.open).toBe(complaints.length - closed.length);
    const evals = delivered();
    expect(w.total.evaluations).toBe(evals.length);
    expect(w.total.lowScoreShare).toBeCloseTo(evals.filter(({ e }) => e.stars <= LOW_STARS).length / evals.length, 4);
    for (const d of new Set(complaints.flatMap((c) => c.departments))) {
      const mine = complaints.filter((c) => c.departments.includes(d));
      const row = w.rows.find((r) => r.key === d);
      expect({ d, intake: row?.intake, open: row?.open }).toEqual({ d, intake: mine.length, open: mine.filter((c) => c.status !== 'closed').length });
    }
    // the trend ends today with the open load, and today's intake is every complaint (all filed today)
    expect(w.trend.at(-1)).toEqual({ day: today, intake: complaints.length, closed: closed.length, open: complaints.length - closed.length });
    // handling time per step from the closed complaint's tasks
    const total = w.total.handling.find((s) => s.step === 'total');
    expect(total?.count).toBe(closed.length);
    const tasks = await stack.services.projections.tasks.find({ instanceId: trusted({ $in: closed.map((c) => c.instanceId) }), state: 'completed' }).lean();
    const steps = new Set(tasks.map((t) => t.elementId));
    expect(new Set(w.total.handling.filter((s) => s.step !== 'total').map((s) => s.step))).toEqual(steps);
    // SLA clocks of every complaint, counted the day they were met or breached
    const clocks = await stack.services.projections.sla.clocks.find({ instanceId: trusted({ $in: complaints.map((c) => c.instanceId) }) }).lean();
    expect(clocks.some((k) => k.state === 'met')).toBe(true);
    expect(w.total.slaMet).toBe(clocks.filter((k) => k.state === 'met').length);
    expect(w.total.slaBreached).toBe(clocks.filter((k) => k.state === 'breached').length);
  });

  it('gives each engineer the open complaints assigned to them, and filters by category and region', async () => {
    const w = (await stack.api<Workload>('GET', '/api/analytics/workload?dim=engineer')).body;
    const engineers = new Set(complaints.map((c) => c.engineer).filter((e): e is string => e !== null));
    expect(engineers.size).toBeGreaterThan(0);
    const staff = await directoryModels(stack.mongo).staff.find({ _id: trusted({ $in: [...engineers] }) }).lean();
    for (const e of engineers) {
      const row = w.rows.find((r) => r.key === e);
      expect({ e, open: row?.open, name: row?.name }).toEqual({ e, open: complaints.filter((c) => c.engineer === e && c.status !== 'closed').length, name: staff.find((s) => s._id === e)?.name ?? e });
    }
    const customers = await directoryModels(stack.mongo).customers.find({}).lean();
    const regionOf = (c: ComplaintRecord) => customers.find((x) => x._id === c.customerId)?.region;
    const region = regionOf(complaints[0]!)!;
    const category = complaints[0]!.category!;
    const filtered = (await stack.api<Workload>('GET', `/api/analytics/workload?dim=department&region=${encodeURIComponent(region)}&category=${encodeURIComponent(category)}`)).body;
    expect(filtered.total.intake).toBe(complaints.filter((c) => regionOf(c) === region && c.category === category).length);
    const none = (await stack.api<Workload>('GET', '/api/analytics/workload?dim=department&category=no-such-category')).body;
    expect(none.total.intake).toBe(0);
    expect(none.rows).toEqual([]);
  });

  it('exports the rows as CSV', async () => {
    const w = (await stack.api<Workload>('GET', '/api/analytics/workload?dim=department')).body;
    const res = await fetch(`${stack.url}/api/analytics/workload.csv?dim=department`, { headers: { authorization: (await authHeader()) } });
    expect(res.status).toBe(200);
    expect(res.headers.get('content-type')).toMatch(/^text\/csv/);
    const lines = (await res.text()).trim().split('\r\n');
    expect(lines[0]!.split(',').slice(0, 3)).toEqual(['dimension', 'key', 'name']);
    expect(lines.slice(1).map((l) => l.split(',')[1])).toEqual(w.rows.map((r) => r.key));
    expect(lines.slice(1).map((l) => Number(l.split(',')[8]))).toEqual(w.rows.map((r) => r.intake));
  });

  it('answers bad queries with 400 naming the field, and refuses staff who are not managers', async () => {
    const bad = await stack.api<{ details: Array<{ path: string }> }>('GET', '/api/analytics/workload?dim=customer');
    expect(bad.status).toBe(400);
    expect(JSON.stringify(bad.body)).toContain('dim');
    const reversed = await stack.api('GET', '/api/analytics/workload?from=2026-11-10&to=2026-11-01');
    expect(reversed.status).toBe(400);
    expect(JSON.stringify(reversed.body)).toContain('from');
    const notADay = await stack.api('GET', '/api/analytics/forecast?weeks=20');
    expect(notADay.status).toBe(400);
    const engineer = await stack.createUser({ roles: ['engineer'] });
    const session = await stack.login(engineer.email, TEST_PASSWORD);
    const refused = await fetch(`${stack.url}/api/analytics/workload`, { headers: { authorization: `Bearer ${session.token}` } });
    expect(refused.status).toBe(403);
    const supervisor = await stack.createUser({ roles: ['supervisor'] });
    const sup = await stack.login(supervisor.email, TEST_PASSWORD);
    expect((await fetch(`${stack.url}/api/analytics/workload`, { headers: { authorization: `Bearer ${sup.token}` } })).status).toBe(200);
  });
});

describe('what drives low scores', () => {
  it('joins each evaluation to the elements its complaint passed through', async () => {
    const res = await stack.api<Drivers>('GET', '/api/analytics/drivers?definitionKey=complaint-handling');
    expect(res.status).toBe(200);
    const evals = delivered();
    expect(evals.length).toBe(2);
    const instances = evals.map(({ c }) => c.instanceId!);
    const events = await stack.services.projections.elementEvents.find({ instanceId: trusted({ $in: instances }) }).lean();
    // every element both evaluated complaints completed carries both evaluations; one of them is low
    // the elements each evaluated complaint had entered by the time of its evaluation
    const entered = evals.map(({ c, e }) => new Set(events.filter((x) => x.instanceId === c.instanceId && x.event === 'activated' && x.time <= new Date(e.at) && x.elementType !== 'bpmn:Process').map((x) => x.elementId)));
    const both = [...entered[0]!].filter((id) => entered[1]!.has(id));
    expect(both.length).toBeGreaterThan(2);
    for (const id of both) {
      const row = res.body.elements.find((e) => e.elementId === id);
      expect({ id, evaluations: row?.evaluations, low: row?.low, share: row?.lowScoreShare }).toEqual({ id, evaluations: 2, low: 1, share: 0.5 });
    }
    expect(res.body.elements.every((e) => e.definitionKey === 'complaint-handling')).toBe(true);
    const low = evals.find(({ e }) => e.stars <= LOW_STARS)!;
    const engineerRow = res.body.engineer.find((r) => r.key === low.c.engineer);
    expect(engineerRow?.low).toBe(1);
  });
});

async function authHeader(): Promise<string> {
  const admin = await stack.createUser({ roles: ['admin'] });
  return `Bearer ${(await stack.login(admin.email, TEST_PASSWORD)).token}`;
}
