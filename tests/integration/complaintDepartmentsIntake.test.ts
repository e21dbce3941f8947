/**
 * Every department starts at intake (issue 14 item 1, decision 0052): the departments that must
 * act get their tasks right after classification, beside the dispatch; every department's staff
 * read the complaint from intake; a complaint on the previous version keeps its course. Over
 * HTTP, on the real Temporal dev server and database.
 */
import fs from 'node:fs';
import path from 'node:path';
import { deployShippedProcesses } from '../../server/complaints/shippedProcesses';
import { eventually, startStack, type Stack } from '../support/stack';
import { complete, completeDepartmentWork, intake, mustAct, openTask, type ComplaintDetail } from './complaintSupport';

interface DepartmentRow { department: string; role: string; tasks: Array<{ elementId: string; state: string }> }
type Detail = ComplaintDetail & { title: string; departments: string[]; departmentWork: DepartmentRow[] };

const billing = { title: 'Charged twice', description: 'My invoice shows the same payment twice' };

describe('every department from intake', () => {
  let stack: Stack;
  let resolveComplaint: string;

  beforeAll(async () => {
    stack = await startStack();
    // the version of decision 0044 (departments' tasks in Resolve, after the first response), with a complaint running on it
    const atResolve = fs.readFileSync(path.join(__dirname, 'fixtures/complaint-handling-departments-at-resolve.bpmn'));
    await stack.services.definitions.deploy({ bytes: atResolve, resourceName: 'complaint-handling.bpmn' });
    resolveComplaint = (await stack.api<Detail>('POST', '/api/complaints', intake('cust-dept-0044'))).body.id;
    await mustAct(stack, resolveComplaint);
    await deployShippedProcesses(stack.services.definitions);
  });

  afterAll(async () => {
    await stack?.stop();
  });

  it('opens the tasks of every department that must act right after classification, beside the dispatch; the summary waits for both', async () => {
    // when a defect is filed (the rule: all four must act)
    const filed = await stack.api<Detail>('POST', '/api/complaints', intake('cust-dept-1'));
    expect(filed.status).toBe(201);
    // then each department's task is open from intake, beside the dispatch, which nobody has done yet
    const working = await eventually<Detail>(stack, `/api/complaints/${filed.body.id}`,
      (c) => c.departmentWork.every((w) => w.tasks.some((t) => t.state === 'open')) && c.tasks.some((t) => t.elementId === 'Dispatch'), 'a task open for every department, and the dispatch');
    expect(working.departmentWork.map((w) => [w.department, w.tasks.filter((t) => t.state === 'open').map((t) => t.elementId)])).toEqual([
      ['after-sales', ['AfterSalesContact']], ['technical', ['TechnicalAnalysis']], ['finance', ['FinanceCompensation']], ['logistics', ['LogisticsReplacement']],
    ]);
    expect(working.tasks.filter((t) => t.state === 'open').map((t) => t.elementId).sort()).toEqual(
      ['AfterSalesContact', 'Dispatch', 'FinanceCompensation', 'LogisticsReplacement', 'TechnicalAnalysis']);
    // and the resolution summary waits for both: the departments' work and the first response
    await completeDepartmentWork(stack, stack.api, filed.body.id);
    await eventually<{ activeElements: string[] }>(stack, `/api/instances/${working.instanceId}`, (i) => !i.activeElements.includes('Resolve'), 'department work done');
    const waiting = await stack.api<Detail>('GET', `/api/complaints/${filed.body.id}`);
    expect(waiting.body.tasks.filter((t) => t.state === 'open').map((t) => t.elementId)).toEqual(['Dispatch']);
    await complete(stack, stack.api, filed.body.id, 'Dispatch', { assignee: 'eng-dept' });
    await complete(stack, stack.api, filed.body.id, 'FirstResponse');
    await openTask(stack, filed.body.id, 'ResolutionSummary');
  });

  it('lets the staff of every department read the complaint from intake, each seeing their task', async () => {
    // given a defect just filed (all four must act) and a billing complaint (logistics only informed)
    const defect = (await stack.api<Detail>('POST', '/api/complaints', intake('cust-dept-view'))).body.id;
    const bill = (await stack.api<Detail>('POST', '/api/complaints', intake('cust-dept-view-2', billing))).body.id;
    await eventually<Detail>(stack, `/api/complaints/${defect}`, (c) => c.departmentWork.every((w) => w.tasks.some((t) => t.state === 'open')), 'department tasks open');
    await mustAct(stack, bill);
    const staff: Array<[department: string, role: 'agent' | 'engineer', elementId: string]> = [
      ['after-sales', 'agent', 'AfterSalesContact'], ['technical', 'engineer', 'TechnicalAnalysis'], ['finance', 'agent', 'FinanceCompensation'], ['logistics', 'agent', 'LogisticsReplacement'],
    ];
    for (const [department, role, elementId] of staff) {
      const member = stack.as({ roles: [role], groups: [department] });
      // when a member of the department reads the complaint, its list and their inbox
      const read = await member<Detail>('GET', `/api/complaints/${defect}`);
      const listed = await member<{ items: Array<{ id: string }> }>('GET', `/api/complaints?department=${department}`);
      const inbox = await member<{ items: Array<{ elementId: string; instanceId: string }> }>('GET', `/api/tasks?instanceId=${read.body.instanceId}&state=open`);
      // then they see the whole complaint, their department must act with its task open, and the task is in their inbox
      expect([department, read.status]).toEqual([department, 200]);
      expect(read.body.title).toBe('Kettle stopped heating');
      const mine = read.body.departmentWork.find((w) => w.department === department)!;
      expect([department, mine.role, mine.tasks.map((t) => [t.elementId, t.state])]).toEqual([department, 'must-act', [[elementId, 'open']]]);
      expect(read.body.departmentWork.map((w) => w.department)).toEqual(['after-sales', 'technical', 'finance', 'logistics']);
      expect(listed.body.items.map((i) => i.id)).toContain(defect);
      expect(inbox.body.items.map((t) => t.elementId)).toEqual([elementId]);
      // and a complaint their department is only informed of is readable too
      const informed = await member<Detail>('GET', `/api/complaints/${bill}`);
      expect([department, informed.status, informed.body.departmentWork.find((w) => w.department === department)!.role])
        .toEqual([department, 200, department === 'after-sales' || department === 'finance' ? 'must-act' : 'informed']);
    }
  });

  it('keeps a complaint on the version before 0052 as it was: department tasks only after the first response', async () => {
    // given the complaint filed on the previous version (who must act decided before dispatch, departments in Resolve)
    const running = await eventually<Detail>(stack, `/api/complaints/${resolveComplaint}`, (c) => c.tasks.some((t) => t.elementId === 'Dispatch' && t.state === 'open'), 'dispatch open');
    // then it has its dispatch task and no department task, after the new version was deployed
    expect(running.tasks.map((t) => t.elementId)).toEqual(['Dispatch']);
    expect(running.departments).toEqual(['after-sales', 'technical', 'finance', 'logistics']);
    // and the departments' tasks open only once dispatch and first response are done
    await complete(stack, stack.api, resolveComplaint, 'Dispatch', { assignee: 'eng-dept-old' });
    await complete(stack, stack.api, resolveComplaint, 'FirstResponse', { needAfterSales: true, needTechnical: false, needFinance: false, needLogistics: false });
    await openTask(stack, resolveComplaint, 'AfterSalesContact');
    const after = await stack.api<Detail>('GET', `/api/complaints/${resolveComplaint}`);
    expect(after.body.tasks.filter((t) => t.state === 'open').map((t) => t.elementId)).toEqual(['AfterSalesContact']);
  });
});
