/**
 * SLA clocks over HTTP on the shipped complaint lifecycle: the instance and the complaint show
 * their clocks (target by severity, time left, state) and tasks their clock and priority; a
 * definition with a broken policy is refused with the element at fault and stores nothing.
 */
import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import { deployShippedProcesses } from '../../server/complaints/shippedProcesses';
import { eventually, startStack, type Stack } from '../support/stack';
import { intake, type ComplaintDetail } from './complaintSupport';

const HOUR = 3_600_000;
interface ApiClock { clockKey: string; state: string; paused: boolean; severity: string | null; targetMs: number; dueAt: string | null; remainingMs: number | null; taskId?: string | null }
interface InstanceBody { slaClocks?: ApiClock[]; tasks: Array<{ elementId: string; priority?: number; sla?: { clockKey: string; state: string } | null }> }
type Detail = Omit<ComplaintDetail, 'tasks'> & { slaClocks: ApiClock[]; tasks: Array<ComplaintDetail['tasks'][number] & { priority?: number; sla?: { clockKey: string } | null }> };

describe('SLA clocks of complaints over HTTP', () => {
  let stack: Stack;

  beforeAll(async () => {
    stack = await startStack();
    await deployShippedProcesses(stack.services.definitions);
  });

  afterAll(async () => {
    await stack?.stop();
  });

  it('shows first-response and resolution clocks with the target of the classified severity on the instance and the complaint', async () => {
    const filed = await stack.api<{ id: string }>('POST', '/api/complaints', intake('cust-sla'));
    expect(filed.status).toBe(201);
    const complaint = await eventually<Detail>(stack, `/api/complaints/${filed.body.id}`,
      (c) => c.severity !== null && c.instanceId !== null && c.slaClocks.length === 2, 'classified with clocks');
    const severity = complaint.severity!;
    const firstResponseTarget = { high: 4, medium: 8, low: 24 }[severity as 'high' | 'medium' | 'low'] * HOUR;
    const resolutionTarget = { high: 8, medium: 24, low: 40 }[severity as 'high' | 'medium' | 'low'] * HOUR;

    const instance = await eventually<InstanceBody>(stack, `/api/instances/${complaint.instanceId}`,
      (i) => i.slaClocks?.find((c) => c.clockKey === 'first-response')?.severity === severity, 'severity on the clock');
    const first = instance.slaClocks!.find((c) => c.clockKey === 'first-response')!;
    expect(first).toMatchObject({ state: 'ok', paused: false, targetMs: firstResponseTarget });
    expect(first.dueAt).not.toBeNull();
    expect(first.remainingMs).toBeGreaterThan(0);
    expect(first.remainingMs).toBeLessThanOrEqual(firstResponseTarget);
    expect(instance.slaClocks!.find((c) => c.clockKey === 'resolution')).toMatchObject({ state: 'ok', targetMs: resolutionTarget });

    // The complaint detail reads the projection: same clocks, tasks with priority and their clock.
    const detail = await eventually<Detail>(stack, `/api/complaints/${filed.body.id}`,
      (c) => c.slaClocks.some((k) => k.clockKey === 'first-response' && k.targetMs === firstResponseTarget), 'projected target');
    expect(detail.slaClocks.map((c) => c.clockKey).sort()).toEqual(['first-response', 'resolution']);
    const dispatch = await eventually<Detail>(stack, `/api/complaints/${filed.body.id}`, (c) => c.tasks.some((t) => t.priority !== undefined), 'a task');
    expect(dispatch.tasks.find((t) => t.priority !== undefined)).toMatchObject({ priority: 50 });
  });

  it('feeds a breach once to the overview, the breach list and the metrics', async () => {
    // A 3-second resolution target on the 24/7 calendar: it breaches while the task waits.
    const xml = readFileSync(join(__dirname, '..', 'unit', 'sla', 'fixtures', 'sla-clocks.bpmn'), 'utf8')
      .replace('id="sla-clocks"', 'id="sla-fast"')
      .replace(/calendar="berlin-office"/g, 'calendar="around-the-clock"')
      .replace('<sla:target duration="PT16H" />', '<sla:target duration="PT3S" />');
    const deployed = await stack.api('POST', '/api/definitions', xml, 'application/xml');
    expect(deployed.status).toBe(201);
    const breachesBefore = await breachCount();
    const started = await stack.api<{ instanceId: string }>('POST', '/api/processes/sla-fast/instances', { variables: { severity: 'low' } });
    expect(started.status).toBe(201);
    const { instanceId } = started.body;

    const instance = await eventually<InstanceBody>(stack, `/api/instances/${instanceId}`,
      (i) => i.slaClocks?.find((c) => c.clockKey === 'resolution')?.state === 'breached', 'the resolution clock breached', 30_000);
    expect(instance.slaClocks!.find((c) => c.clockKey === 'first-response')?.state).not.toBe('breached');

    // The breach list and the overview (its in-memory index is fed by the writer, not re-read).
    const breaches = await eventually<{ items: Array<{ instanceId: string; clockKey: string; policyId: string }> }>(stack,
      '/api/sla/breaches?limit=200', (b) => b.items.some((x) => x.instanceId === instanceId), 'the breach record');
    expect(breaches.items.filter((x) => x.instanceId === instanceId)).toEqual([expect.objectContaining({ clockKey: 'resolution', policyId: 'resolution' })]);
    const overview = await eventually<{ byElement: Array<{ key: string; breached: number }>; totals: { breached: number } }>(stack,
      '/api/sla/overview?definitionKey=sla-fast', (o) => o.totals.breached === 1, 'the overview counting the breach');
    expect(overview.totals.breached).toBe(1);

    // Counted once in /metrics although later snapshots of the instance rewrite the clock.
    await stack.api('PUT', `/api/instances/${instanceId}/variables`, { variables: { note: 'a later step' } });
    await eventually<InstanceBody>(stack, `/api/instances/${instanceId}`, () => true, 'a later snapshot');
    expect(await breachCount()).toBe(breachesBefore + 1);
  });

  async function breachCount(): Promise<number> {
    const res = await stack.api<string>('GET', '/metrics');
    expect(res.status).toBe(200);
    return String(res.body).split('\n')
      .filter((line) => line.startsWith('complaint_bpm_sla_breaches_total{') && line.includes('metric="resolution"'))
      .reduce((sum, line) => sum + Number(line.split(' ').pop()), 0);
  }

  it('refuses a definition whose policy names an unknown calendar, naming the element, and stores nothing', async () => {
    const xml = readFileSync(join(__dirname, '..', 'unit', 'sla', 'fixtures', 'sla-clocks.bpmn'), 'utf8')
      .replace('id="sla-clocks"', 'id="sla-refused"')
      .replace('calendar="berlin-office" thresholds="50"', 'calendar="atlantis" thresholds="50"');
    const res = await stack.api<{ error: string; errors: Array<{ elementId: string; message: string }> }>('POST', '/api/definitions', xml, 'application/xml');
    expect(res.status).toBe(422);
    expect(res.body.error).toBe('invalid_bpmn');
    expect(res.body.errors).toContainEqual(expect.objectContaining({ elementId: 'Resolve', message: expect.stringContaining("unknown calendar 'atlantis'") }));
    expect((await stack.api('GET', '/api/definitions/sla-refused/versions')).status).toBe(404);
  });
});
