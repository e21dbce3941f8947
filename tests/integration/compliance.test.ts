/**
 * Compliance over real HTTP on the whole stack (Temporal dev server, FerretDB): search by
 * recorded fields, the complete record with names, form data and the engine's history
 * (decrypted for compliance only), the diagram, streamed exports, and `npm run audit:verify`
 * naming the first altered entry after one stored entry is changed.
 */
import { execFile } from 'node:child_process';
import path from 'node:path';
import { promisify } from 'node:util';
import { deployShippedProcesses } from '../../server/complaints/shippedProcesses';
import { auditModels } from '../../server/compliance/auditChain';
import { complaintModels } from '../../server/complaints/model';
import { testEnv } from '../support/servers';
import { startStack, type Stack } from '../support/stack';
import type { Api } from '../support/auth';
import { complete, intake, openTask } from './complaintSupport';

interface Hit { id: string; status: string; customerId: string }
interface FullRecord {
  complaint: { _id: string; customer: { name: string | null; roles: string[] } };
  activity: Array<{ who: { ref: string; name: string | null; roles: string[] }; what: string }>;
  tasks: Array<{ elementId: string; state: string; formData?: Record<string, unknown>; comments: Array<{ text: string; author: { name: string | null } }> }>;
  instances: Array<{ id: string; definitionKey: string; definitionVersion: number; path: string[] }>;
  engine: Array<{ decrypted: boolean; events: Array<{ type: string; attributes: unknown }> }>;
  audit: { entries: number; head: string | null; problem: unknown };
}

const VERIFY_CLI = path.resolve(__dirname, '../../dist/server/compliance/verifyCli.js');

describe('compliance: search, record, export and a tamper-evident history', () => {
  let stack: Stack;
  let compliance: Api;
  let complianceToken: string;
  let complaintId: string;

  beforeAll(async () => {
    stack = await startStack();
    await deployShippedProcesses(stack.services.definitions);
    const officer = await stack.createUser({ roles: ['compliance'], name: 'Li Na' });
    ({ api: compliance, token: complianceToken } = await stack.login(officer.email, officer.password));
    const engineer = await stack.createUser({ roles: ['engineer', 'agent'], name: 'Wang Fang', groups: ['dispatch', 'engineers'] });
    const { api: asEngineer } = await stack.login(engineer.email, engineer.password);
    const filed = await stack.api<{ id: string }>('POST', '/api/complaints', intake('cust-audit-1', { title: 'Dishwasher leaks water', description: 'Water on the kitchen floor after every cycle' }));
    complaintId = filed.body.id;
    await stack.api('POST', '/api/complaints', intake('cust-audit-2', { title: 'Oven door cracked' }));
    const dispatch = await openTask(stack, complaintId, 'Dispatch');
    expect((await asEngineer('POST', `/api/tasks/${dispatch.id}/comments`, { text: 'customer asks for a morning visit' })).status).toBe(201);
    expect((await asEngineer('POST', `/api/tasks/${dispatch.id}/claim`, { assignee: engineer.id })).status).toBe(204);
    await complete(stack, asEngineer, complaintId, 'Dispatch', { assignee: 'eng-1' });
    await stack.services.drainProjections();
  }, 120_000);

  afterAll(async () => {
    await stack?.stop();
  });

  it('finds a complaint by customer, by words of its text, by state and period, and by its instance id', async () => {
    const byCustomer = await compliance<{ items: Hit[] }>('GET', '/api/compliance/complaints?customer=cust-audit-1');
    const byWords = await compliance<{ items: Hit[] }>('GET', '/api/compliance/complaints?q=kitchen%20floor');
    const from = new Date(Date.now() - 3_600_000).toISOString();
    const byPeriod = await compliance<{ items: Hit[] }>('GET', `/api/compliance/complaints?from=${from}&to=${new Date(Date.now() + 60_000).toISOString()}&status=in_progress`);
    const record = await compliance<FullRecord>('GET', `/api/compliance/complaints/${complaintId}?engine=false`);
    const byInstance = await compliance<{ items: Hit[] }>('GET', `/api/compliance/complaints?q=${record.body.instances[0]!.id}`);
    const nothing = await compliance<{ items: Hit[] }>('GET', '/api/compliance/complaints?q=kitchen%20toaster');
    const byProcess = await compliance<{ items: Hit[] }>('GET', '/api/compliance/complaints?process=complaint-handling&customer=cust-audit-1');
    const otherProcess = await compliance<{ items: Hit[] }>('GET', '/api/compliance/complaints?process=low-score-alert&customer=cust-audit-1');

    expect(byCustomer.body.items.map((i) => i.id)).toEqual([complaintId]);
    expect(byWords.body.items.map((i) => i.id)).toEqual([complaintId]);
    expect(byPeriod.body.items.map((i) => i.id)).toContain(complaintId);
    expect(byPeriod.body.items.every((i) => i.status === 'in_progress')).toBe(true);
    expect(byInstance.body.items.map((i) => i.id)).toEqual([complaintId]);
    expect(nothing.body.items).toEqual([]);
    expect(byProcess.body.items.map((i) => i.id)).toEqual([complaintId]);
    expect(otherProcess.body.items).toEqual([]);
  });

  it('seals and finds a complaint stored before the audit chain existed, once the backfill has run', async () => {
    // given a complaint document written straight into the database, as an older version did
    const id = 'cmp-00000000-0000-4000-8000-0000000000b1';
    const at = new Date(Date.now() - 40 * 86_400_000);
    await complaintModels(stack.mongo).complaints.collection.insertOne({
      _id: id as never, channel: 'phone', customerId: 'cust-before', customerTier: 'standard', product: 'Heater H1', title: 'Heater smells of smoke', description: 'old record',
      location: null, photos: [], category: null, severity: null, departments: [], engineer: null, status: 'open', instanceId: null, commitments: [], evaluations: [], attachments: [],
      timeline: [{ id: 'old-1', who: 'customer:cust-before', what: 'complaint received via phone', when: at }], reopenCount: 0, rev: 0, createdAt: at, updatedAt: at,
    });
    const before = await compliance<{ items: Hit[] }>('GET', '/api/compliance/complaints?customer=cust-before');

    // when the backfill runs (the reconciler starts it once per database), and again
    const sealed = await stack.services.sealer.backfill();
    const again = await stack.services.sealer.backfill();

    // then it is searchable and its chain holds its intake and timeline
    const after = await compliance<{ items: Hit[] }>('GET', '/api/compliance/complaints?q=smoke');
    expect(before.body.items).toEqual([]);
    expect(sealed).toBeGreaterThanOrEqual(1);
    expect(again).toBe(0);
    expect(after.body.items.map((i) => i.id)).toEqual([id]);
    expect((await auditModels(stack.mongo).entries.find({ complaintId: id }).lean()).map((e) => e.key).sort()).toEqual(['complaint:filed', 'timeline:old-1']);
  });

  it('refuses a bad search with the field path', async () => {
    const res = await compliance<{ fields: Array<{ path: string }> }>('GET', '/api/compliance/complaints?status=lost&from=2020-01-01&to=2026-01-01');
    const long = await compliance<{ fields: Array<{ path: string }> }>('GET', '/api/compliance/complaints?from=2000-01-01&to=2026-01-01');
    expect(res.status).toBe(400);
    expect(res.body.fields.map((f) => f.path)).toEqual(['status']);
    expect(long.status).toBe(400);
    expect(long.body.fields.map((f) => f.path)).toEqual(['from']);
  });

  it('shows the complete record in order, people by name and role, form data and the decrypted engine history', async () => {
    const { status, body } = await compliance<FullRecord>('GET', `/api/compliance/complaints/${complaintId}`);

    expect(status).toBe(200);
    const dispatch = body.tasks.find((t) => t.elementId === 'Dispatch')!;
    expect(dispatch).toMatchObject({ state: 'completed', formData: { assignee: 'eng-1' }, comments: [{ text: 'customer asks for a morning visit', author: { name: 'Wang Fang' } }] });
    expect(body.activity.find((a) => a.what.startsWith("task 'Dispatch") && a.what.endsWith('completed'))?.who).toMatchObject({ name: 'Wang Fang', roles: ['engineer', 'agent'] });
    expect(body.instances[0]).toMatchObject({ definitionKey: 'complaint-handling' });
    expect(body.instances[0]!.path.slice(0, 1)).toEqual([expect.any(String)]);
    expect(body.instances[0]!.path).toContain('Dispatch');
    const started = body.engine[0]!.events[0]!;
    expect(body.engine[0]!.decrypted).toBe(true);
    expect(started.type).toBe('WORKFLOW_EXECUTION_STARTED');
    expect(JSON.stringify(started.attributes)).toContain(complaintId);
    expect(body.audit.entries).toBeGreaterThan(5);
    expect(body.audit.problem).toBeNull();
  });

  it('keeps the engine payloads encrypted for a supervisor, who may read the record', async () => {
    const { status, body } = await stack.as('supervisor')<FullRecord>('GET', `/api/compliance/complaints/${complaintId}`);
    expect(status).toBe(200);
    expect(body.engine[0]!.decrypted).toBe(false);
    expect(JSON.stringify(body.engine[0]!.events[0]!.attributes)).toContain('{"encrypted":true}');
    expect(JSON.stringify(body.engine[0]!.events[0]!.attributes)).not.toContain('cust-audit-1');
    expect(body.tasks.find((t) => t.elementId === 'Dispatch')!.formData).toBeUndefined();
  });

  it('gives compliance the diagram of the version the complaint ran, with its path, and nobody else', async () => {
    const res = await compliance<{ xml: string; definitionVersion: number; path: string[] }>('GET', `/api/compliance/complaints/${complaintId}/diagram`);
    const customer = await stack.as('customer')('GET', `/api/compliance/complaints/${complaintId}/diagram`);
    expect(res.status).toBe(200);
    expect(res.body.xml).toContain('id="Dispatch"');
    expect(res.body.path).toContain('Dispatch');
    expect(customer.status).toBe(403);
  });

  it('exports one complaint as JSON lines and a period as an HTML document, with progress and a digest', async () => {
    const jsonRes = await fetch(`${stack.url}/api/compliance/export?complaintId=${complaintId}`, { headers: { authorization: `Bearer ${complianceToken}` } });
    const lines = (await jsonRes.text()).trim().split('\n').map((l) => JSON.parse(l) as { type: string; index?: number; total?: number; record?: FullRecord; digest?: string });
    const from = new Date(Date.now() - 3_600_000).toISOString();
    const to = new Date(Date.now() + 60_000).toISOString();
    const htmlRes = await fetch(`${stack.url}/api/compliance/export?format=html&from=${from}&to=${to}`, { headers: { authorization: `Bearer ${complianceToken}` } });
    const html = await htmlRes.text();

    expect(jsonRes.headers.get('x-export-total')).toBe('1');
    expect(lines.map((l) => l.type)).toEqual(['export', 'complaint', 'end']);
    expect(lines[1]).toMatchObject({ index: 1, total: 1, record: { complaint: { _id: complaintId }, audit: { problem: null } } });
    expect(lines[2]!.digest).toMatch(/^[0-9a-f]{64}$/);
    expect(htmlRes.headers.get('content-type')).toContain('text/html');
    expect(htmlRes.headers.get('x-export-total')).toBe('2');
    expect(html.match(/<article /g)).toHaveLength(2);
    expect(html).toContain('Dishwasher leaks water');
    expect(html).toContain('Wang Fang');
    expect(html.trim().endsWith('</html>')).toBe(true);
  });

  it('refuses an export without a complaint or a period, with the field path', async () => {
    const res = await compliance<{ fields: Array<{ path: string }> }>('GET', '/api/compliance/export?from=2026-01-01T00:00:00Z');
    expect(res.status).toBe(400);
    expect(res.body.fields.map((f) => f.path)).toEqual(['to']);
  });

  it('audit:verify passes a whole chain, then names the first altered entry and exits 1', async () => {
    const run = (...ids: string[]) => promisify(execFile)(process.execPath, [VERIFY_CLI, ...ids], {
      env: { ...process.env, MONGODB_URI: testEnv.mongoUri, MONGODB_DATABASE: stack.mongo.name },
    }).then((r) => ({ code: 0, stdout: r.stdout }), (err: { code: number; stdout: string }) => ({ code: err.code, stdout: err.stdout }));
    const clean = await run();
    expect(clean).toMatchObject({ code: 0, stdout: expect.stringMatching(/^OK/m) });
    expect(clean.stdout).toMatch(/^OK: [2-9] chain\(s\)/m);

    // when someone rewrites what one sealed comment says, in the audit collection itself
    const { entries } = auditModels(stack.mongo);
    const comment = await entries.findOne({ complaintId, kind: 'comment' }).lean();
    await entries.collection.updateOne({ _id: comment!._id as never }, { $set: { 'data.text': 'no visit wanted' } });
    const altered = await run();

    expect(altered.code).toBe(1);
    expect(altered.stdout).toContain(`ALTERED complaint ${complaintId} entry ${comment!.seq} (${comment!._id}) field data.text`);
    expect(altered.stdout).toMatch(/FAILED: \d+ chain\(s\), \d+ entries, 1 altered/);
  });

  it('audit:verify names an entry of the stored record changed after it was sealed', async () => {
    const other = (await compliance<{ items: Hit[] }>('GET', '/api/compliance/complaints?customer=cust-audit-2')).body.items[0]!.id;
    await compliance('GET', `/api/compliance/complaints/${other}?engine=false`);
    const { complaints } = complaintModels(stack.mongo);
    const doc = await complaints.findById(other).lean();
    const first = doc!.timeline[0]!;
    // (raising `rev` as any write must: the revision guard refuses one that does not, decision 0067)
    await complaints.collection.updateOne({ _id: other as never }, { $set: { 'timeline.0.who': 'staff:someone-else', rev: doc!.rev + 1 } });
    const sealed = await auditModels(stack.mongo).entries.findOne({ complaintId: other, key: `timeline:${first.id}` }).lean();

    const result = await promisify(execFile)(process.execPath, [VERIFY_CLI, other], { env: { ...process.env, MONGODB_URI: testEnv.mongoUri, MONGODB_DATABASE: stack.mongo.name } })
      .then(() => ({ code: 0, stdout: '' }), (err: { code: number; stdout: string }) => ({ code: err.code, stdout: err.stdout }));
    expect(result.code).toBe(1);
    expect(result.stdout).toContain(`ALTERED complaint ${other} entry ${sealed!.seq} (${sealed!._id}) field data.who`);
  });
});
