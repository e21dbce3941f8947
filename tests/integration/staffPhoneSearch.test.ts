/**
 * Searching work orders (issue 14 item 5, decision 0051) over HTTP on the real Temporal dev
 * server and database: text, status, department and creation range on GET /api/tasks (and the
 * range on GET /api/complaints), server-side and paged; bad values are 400 with field paths.
 */
import { deployShippedProcesses } from '../../server/complaints/shippedProcesses';
import { startStack, type Stack } from '../support/stack';
import { complete, intake, openTask } from './complaintSupport';

interface TaskPage { items: Array<{ id: string; elementId: string; state: string; complaintId: string | null; complaintNumber?: string; candidateGroups: string[]; createdAt: string }>; total: number }
interface Problem { error: string; fields?: Array<{ path: string; message: string }> }

describe('searching work orders', () => {
  let stack: Stack;

  beforeAll(async () => {
    stack = await startStack();
    await deployShippedProcesses(stack.services.definitions);
  });

  afterAll(async () => {
    await stack?.stop();
  });

  it('searches work orders by text, status, department and creation range, server-side and paged', async () => {
    const filedFirst = (await stack.api<{ id: string; number: string }>('POST', '/api/complaints', intake('cust-phone-search-1'))).body;
    const first = filedFirst.id;
    const second = (await stack.api<{ id: string }>('POST', '/api/complaints', intake('cust-phone-search-2'))).body.id;
    await openTask(stack, first, 'Dispatch');
    await openTask(stack, second, 'Dispatch');
    const number = first.slice(4, 12).toUpperCase();
    // text: the complaint number as the inbox shows it (upper case) finds that complaint's work orders only
    // (its dispatch and the departments' tasks open since intake)
    const byNumber = await stack.api<TaskPage>('GET', `/api/tasks?state=open,claimed&q=${number}`);
    expect(byNumber.status).toBe(200);
    expect([...new Set(byNumber.body.items.map((t) => t.complaintId))]).toEqual([first]);
    expect(byNumber.body.items.map((t) => t.elementId)).toContain('Dispatch');
    // the complaint number given at intake (C-000123) finds the same work orders, and they carry it
    const byComplaintNumber = await stack.api<TaskPage>('GET', `/api/tasks?state=open,claimed&q=${filedFirst.number}`);
    expect(byComplaintNumber.body.items.map((t) => t.id).sort()).toEqual(byNumber.body.items.map((t) => t.id).sort());
    expect(byComplaintNumber.body.items.every((t) => t.complaintNumber === filedFirst.number)).toBe(true);
    // department: the dispatch group's open work orders include both; another department's are its own tasks only
    const dispatch = await stack.api<TaskPage>('GET', '/api/tasks?state=open&department=dispatch&pageSize=200');
    expect(dispatch.body.items.map((t) => t.complaintId)).toEqual(expect.arrayContaining([first, second]));
    const finance = await stack.api<TaskPage>('GET', '/api/tasks?state=open&department=finance&pageSize=200');
    expect(finance.body.items.map((t) => t.elementId)).not.toContain('Dispatch');
    expect(finance.body.items.every((t) => t.candidateGroups.includes('finance'))).toBe(true);
    // paged: one a page, newest first, the total says how many
    const page1 = await stack.api<TaskPage>('GET', '/api/tasks?state=open&department=dispatch&q=Dispatch&sort=-createdAt&pageSize=1&page=1');
    const page2 = await stack.api<TaskPage>('GET', '/api/tasks?state=open&department=dispatch&q=Dispatch&sort=-createdAt&pageSize=1&page=2');
    expect(page1.body.items).toHaveLength(1);
    expect(page1.body.total).toBeGreaterThanOrEqual(2);
    expect(page2.body.items[0]!.id).not.toBe(page1.body.items[0]!.id);
    expect(page1.body.items[0]!.createdAt >= page2.body.items[0]!.createdAt).toBe(true);
    // creation range: a range in the future holds nothing; one around now holds them
    const future = await stack.api<TaskPage>('GET', '/api/tasks?state=open&createdFrom=2099-01-01');
    expect(future.body.items).toEqual([]);
    const since = new Date(Date.now() - 3_600_000).toISOString();
    const recent = await stack.api<TaskPage>('GET', `/api/tasks?state=open&q=${number}&createdFrom=${encodeURIComponent(since)}&createdTo=${new Date(Date.now() + 60_000).toISOString().slice(0, 10)}`);
    expect([...new Set(recent.body.items.map((t) => t.complaintId))]).toEqual([first]);
    // status: once completed, the work order is found among the completed ones and not among the open
    await complete(stack, stack.api, first, 'Dispatch', { assignee: 'S-phone-eng' });
    const done = await stack.api<TaskPage>('GET', `/api/tasks?state=completed&q=${number}`);
    expect(done.body.items.map((t) => [t.elementId, t.state])).toEqual([['Dispatch', 'completed']]);
    // complaints: the same range filter
    const complaints = await stack.api<{ items: Array<{ id: string }> }>('GET', `/api/complaints?createdFrom=${encodeURIComponent(since)}&pageSize=100`);
    expect(complaints.body.items.map((c) => c.id)).toEqual(expect.arrayContaining([first, second]));
    expect((await stack.api<{ items: unknown[] }>('GET', '/api/complaints?createdTo=2000-01-01')).body.items).toEqual([]);
  });

  it('refuses a bad search with 400 naming the fields', async () => {
    const reversed = await stack.api<Problem>('GET', '/api/tasks?createdFrom=2026-12-05&createdTo=2026-12-01');
    expect(reversed.status).toBe(400);
    expect(reversed.body.fields?.map((f) => f.path)).toEqual(['createdTo']);
    const malformed = await stack.api<Problem>('GET', '/api/tasks?createdFrom=yesterday&department=Not%20A%20Group');
    expect(malformed.status).toBe(400);
    expect(malformed.body.fields?.map((f) => f.path).sort()).toEqual(['createdFrom', 'department']);
    const tooLong = await stack.api<Problem>('GET', `/api/tasks?q=${'x'.repeat(101)}`);
    expect(tooLong.body.fields?.map((f) => f.path)).toEqual(['q']);
    const complaints = await stack.api<Problem>('GET', '/api/complaints?createdFrom=2026-12-05&createdTo=2026-12-01');
    expect(complaints.status).toBe(400);
    expect(complaints.body.fields?.map((f) => f.path)).toEqual(['createdTo']);
  });
});
