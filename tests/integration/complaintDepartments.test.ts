/**
 * Every department sees a complaint, the diagram decides who must act, and staff bring another
 * department in from a task (issue 14 item 1, decision 0044): over HTTP, on the real Temporal
 * dev server and database.
 */
import fs from 'node:fs';
import path from 'node:path';
import { deployShippedProcesses, processesDir } from '../../server/complaints/shippedProcesses';
import { eventually, startStack, type Stack } from '../support/stack';
import { complete, intake, openTask, statusIs, type ComplaintDetail } from './complaintSupport';

interface DepartmentRow { department: string; role: string; broughtIn: { reason: string; by: string } | null; tasks: Array<{ elementId: string; state: string }> }
type Detail = ComplaintDetail & { departments: string[]; departmentWork: DepartmentRow[] };

const billing = { title: 'Charged twice', description: 'My invoice shows the same payment twice' };
const roles = (d: Detail) => Object.fromEntries(d.departmentWork.map((w) => [w.department, w.role]));

describe('every department at once', () => {
  let stack: Stack;
  let oldComplaint: string;

  beforeAll(async () => {
    stack = await startStack();
    // the version shipped before issue 14 first, with a complaint running on it
    const before = fs.readFileSync(path.join(__dirname, 'fixtures/complaint-handling-before-departments.bpmn'));
    await stack.services.definitions.deploy({ bytes: before, resourceName: 'complaint-handling.bpmn' });
    const old = await stack.api<Detail>('POST', '/api/complaints', intake('cust-dept-old'));
    expect(old.status).toBe(201);
    oldComplaint = old.body.id;
    await statusIs(stack, oldComplaint, 'in_progress');
    await deployShippedProcesses(stack.services.definitions);
  });

  afterAll(async () => {
    await stack?.stop();
  });

  it('shows every department from intake and has the diagram decide who must act', async () => {
    // when a defect is filed
    const filed = await stack.api<Detail>('POST', '/api/complaints', intake('cust-dept-1'));
    expect(filed.status).toBe(201);
    // then from intake every department has its row on the complaint, all informed
    expect(filed.body.departmentWork.map((w) => [w.department, w.role])).toEqual([
      ['after-sales', 'informed'], ['technical', 'informed'], ['finance', 'informed'], ['logistics', 'informed'],
    ]);
    // and the diagram's rule for "defect" makes all four act (the keyword table alone named technical and logistics)
    const decided = await eventually<Detail>(stack, `/api/complaints/${filed.body.id}`, (c) => c.departments.length === 4, 'departments decided');
    expect(roles(decided)).toEqual({ 'after-sales': 'must-act', technical: 'must-act', finance: 'must-act', logistics: 'must-act' });
    expect(decided.timeline.map((e) => e.what)).toContain('departments that must act: after-sales, technical, finance, logistics');
    // and each department finds it in its list
    for (const department of ['after-sales', 'finance']) {
      const list = await stack.api<{ items: Array<{ id: string }> }>('GET', `/api/complaints?department=${department}`);
      expect(list.body.items.map((i) => i.id)).toContain(filed.body.id);
    }
  });

  it('brings another department in from a task: its task opens in the running instance', async () => {
    // given a billing complaint: after-sales and finance must act, technical is informed
    const filed = await stack.api<Detail>('POST', '/api/complaints', intake('cust-dept-2', billing));
    const id = filed.body.id;
    const decided = await eventually<Detail>(stack, `/api/complaints/${id}`, (c) => c.timeline.some((e) => e.what.startsWith('departments that must act')), 'departments decided');
    expect(roles(decided)).toEqual({ 'after-sales': 'must-act', technical: 'informed', finance: 'must-act', logistics: 'informed' });
    await complete(stack, stack.api, id, 'Dispatch', { assignee: 'eng-dept-2' });
    await openTask(stack, id, 'FirstResponse');
    const agent = stack.as({ roles: ['agent'], groups: ['after-sales'] });

    // when an after-sales agent, working on the first response (after-sales), brings technical in
    const res = await agent<{ department: string; role: string }>('POST', `/api/complaints/${id}/departments`, { department: 'technical', reason: 'Check the meter reading' });
    expect(res.status).toBe(201);
    expect(res.body).toMatchObject({ department: 'technical', role: 'brought-in' });

    // then a task for the technical group opens in the running instance (the event subprocess)
    const task = await openTask(stack, id, 'BroughtInWork');
    expect(task.candidateGroups).toEqual(['technical']);
    const detail = await stack.api<Detail>('GET', `/api/complaints/${id}`);
    const technical = detail.body.departmentWork.find((w) => w.department === 'technical')!;
    expect(technical).toMatchObject({ role: 'brought-in', broughtIn: { reason: 'Check the meter reading' } });
    expect(technical.broughtIn!.by).toMatch(/^staff:/);
    expect(technical.tasks.map((t) => t.elementId)).toEqual(['BroughtInWork']);
    expect(detail.body.timeline.map((e) => e.what)).toContain('technical brought in: Check the meter reading');
    const list = await stack.api<{ items: Array<{ id: string }> }>('GET', '/api/complaints?department=technical');
    expect(list.body.items.map((i) => i.id)).toContain(id);

    // and the technical department works it; the timeline says so
    await complete(stack, stack.as({ roles: ['engineer'], groups: ['technical'] }), id, 'BroughtInWork', { note: 'meter fine' });
    await eventually<Detail>(stack, `/api/complaints/${id}`, (c) => c.timeline.some((e) => e.what === 'technical: work done (meter fine)'), 'work recorded');
  });

  it('refuses a department already involved, an unknown one and a customer, changing nothing', async () => {
    const filed = await stack.api<Detail>('POST', '/api/complaints', intake('cust-dept-3', billing));
    const id = filed.body.id;
    await eventually<Detail>(stack, `/api/complaints/${id}`, (c) => c.departments.includes('finance'), 'departments decided');
    // the dispatcher works on its open task (Dispatch); a logistics agent has no task on it
    const agent = stack.as({ roles: ['agent'], groups: ['dispatch'] });
    await openTask(stack, id, 'Dispatch');
    const outsider = await stack.as({ roles: ['agent'], groups: ['logistics'] })<{ error: string }>('POST', `/api/complaints/${id}/departments`, { department: 'logistics', reason: 'me too' });
    expect([outsider.status, outsider.body.error]).toEqual([403, 'not_working_on_complaint']);

    const mustAct = await agent<{ error: string; fields: Array<{ path: string }> }>('POST', `/api/complaints/${id}/departments`, { department: 'finance', reason: 'again' });
    expect(mustAct.status).toBe(409);
    expect(mustAct.body.error).toBe('department_already_involved');

    const unknown = await agent<{ fields: Array<{ path: string }> }>('POST', `/api/complaints/${id}/departments`, { department: 'marketing', reason: 'x' });
    expect(unknown.status).toBe(400);
    expect(unknown.body.fields.map((f) => f.path)).toEqual(['department']);

    const noReason = await agent<{ fields: Array<{ path: string }> }>('POST', `/api/complaints/${id}/departments`, { department: 'logistics', reason: ' ' });
    expect(noReason.status).toBe(400);
    expect(noReason.body.fields.map((f) => f.path)).toEqual(['reason']);

    const customer = stack.as({ roles: ['customer'], customerId: 'cust-dept-3' });
    expect((await customer('POST', `/api/complaints/${id}/departments`, { department: 'logistics', reason: 'please' })).status).toBe(403);
    expect((await agent('POST', '/api/complaints/cmp-00000000-0000-4000-8000-000000000000/departments', { department: 'logistics', reason: 'x' })).status).toBe(404);

    const after = await stack.api<Detail>('GET', `/api/complaints/${id}`);
    expect(after.body.departments).toEqual(['after-sales', 'finance']);
    expect(after.body.tasks.some((t) => t.elementId === 'BroughtInWork')).toBe(false);
    // the customer's view shows no departments
    const seen = await customer<Detail>('GET', `/api/complaints/${id}`);
    expect(seen.body.departmentWork).toEqual([]);
  });

  it('follows the rule a designer edits in the diagram; a complaint on the earlier version cannot bring anyone in', async () => {
    // when a designer changes the rule in the diagram: billing goes to logistics alone
    const shipped = fs.readFileSync(path.join(processesDir(), 'complaint-handling.bpmn'), 'utf8');
    const rule = '&quot;billing&quot;: [&quot;after-sales&quot;, &quot;finance&quot;]';
    expect(shipped).toContain(rule);
    const edited = shipped.replace(rule, '&quot;billing&quot;: [&quot;logistics&quot;]');
    await stack.services.definitions.deploy({ bytes: Buffer.from(edited), resourceName: 'complaint-handling.bpmn' });
    // then a new billing complaint follows it, with no code changed
    const filed = await stack.api<Detail>('POST', '/api/complaints', intake('cust-dept-4', billing));
    const decided = await eventually<Detail>(stack, `/api/complaints/${filed.body.id}`, (c) => c.timeline.some((e) => e.what.startsWith('departments that must act')), 'departments decided');
    expect(decided.departments).toEqual(['logistics']);

    // and the complaint running on the version before issue 14 keeps it: no event subprocess, so 409 and nothing recorded
    const res = await stack.api<{ error: string }>('POST', `/api/complaints/${oldComplaint}/departments`, { department: 'finance', reason: 'refund' });
    expect(res.status).toBe(409);
    expect(res.body.error).toBe('department_request_not_possible');
    const old = await stack.api<Detail>('GET', `/api/complaints/${oldComplaint}`);
    expect(old.body.departments).toEqual(['technical', 'logistics']);
    expect(roles(old.body).finance).toBe('informed');
  }, 60_000);
});
