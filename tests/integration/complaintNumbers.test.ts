/**
 * Complaint numbers (issue 14 item 6, decision 0050 addendum) on the real API, Temporal and
 * FerretDB: every intake gets a unique `C-000123`, in sequence; a retried intake keeps its
 * number (also when the first request died between its key and its complaint); concurrent
 * intakes, and a second allocator standing for another process, never share one; the number
 * finds the complaint and its tasks, and task views carry it.
 */
import { createHash, randomUUID } from 'node:crypto';
import { deployShippedProcesses } from '../../server/complaints/shippedProcesses';
import { complaintModels } from '../../server/complaints/model';
import { createComplaintNumbers } from '../../server/complaints/numbers';
import { eventually, startStack, type Stack } from '../support/stack';
import { intake } from './complaintSupport';

interface Filed { id: string; number: string | null; instanceId: string }
interface TaskView { id: string; complaintId?: string | null; complaintNumber?: string }

const NUMBER = /^C-\d{6,}$/;
const seq = (n: string | null) => Number(n!.slice(2));

let stack: Stack;
let token: string;

beforeAll(async () => {
  stack = await startStack();
  await deployShippedProcesses(stack.services.definitions);
  const agent = await stack.createUser({ roles: ['agent'] });
  ({ token } = await stack.login(agent.email, agent.password));
});

afterAll(async () => {
  await stack?.stop();
});

/** Files an intake as an agent, with an Idempotency-Key when given. */
const file = async (customerId: string, key?: string, overrides: Record<string, unknown> = {}) => {
  const res = await fetch(`${stack.url}/api/complaints`, {
    method: 'POST',
    headers: { 'content-type': 'application/json', authorization: `Bearer ${token}`, ...(key ? { 'idempotency-key': key } : {}) },
    body: JSON.stringify(intake(customerId, overrides)),
  });
  const body = (await res.json()) as Filed;
  if (res.status !== 201 && res.status !== 200) throw new Error(`intake answered ${res.status}: ${JSON.stringify(body)}`);
  return { status: res.status, body };
};

describe('complaint numbers', () => {
  it('gives two intakes consecutive, distinct numbers, shown in the detail and the list', async () => {
    const a = await file('cust-num-a');
    const b = await file('cust-num-b');
    expect(a.body.number).toMatch(NUMBER);
    expect(b.body.number).toMatch(NUMBER);
    expect(seq(b.body.number)).toBe(seq(a.body.number) + 1);

    const detail = await stack.api<Filed>('GET', `/api/complaints/${a.body.id}`);
    expect(detail.body.number).toBe(a.body.number);
    const list = await stack.api<{ items: Filed[] }>('GET', '/api/complaints?pageSize=100');
    expect(list.body.items.find((c) => c.id === b.body.id)?.number).toBe(b.body.number);
  });

  it('keeps one complaint with one number for the same Idempotency-Key', async () => {
    const key = `num-${randomUUID()}`;
    const [first, second] = await Promise.all([file('cust-num-key', key), file('cust-num-key', key)]);
    const later = await file('cust-num-key', key);
    expect(new Set([first, second, later].map((r) => r.body.id)).size).toBe(1);
    expect(new Set([first, second, later].map((r) => r.body.number)).size).toBe(1);
    expect(first.body.number).toMatch(NUMBER);
    expect([first.status, second.status, later.status].sort()).toEqual([200, 200, 201]);
    const mine = await stack.api<{ items: Filed[]; total: number }>('GET', `/api/complaints?q=${first.body.number}`);
    expect(mine.body.items.map((c) => c.id)).toEqual([first.body.id]);
  });

  it('files a complaint whose first request died after its key with the number the key holds', async () => {
    // given a key document written by a request that died before its complaint (and a number it took)
    const key = `num-crash-${randomUUID()}`;
    const complaintId = `cmp-${randomUUID()}`;
    const held = 'C-990001';
    await complaintModels(stack.mongo).intakeKeys.create({
      _id: createHash('sha256').update(`cust-num-crash\u0000${key}`).digest('hex'), complaintId, number: held, createdAt: new Date(),
    });

    // when the customer's retry comes with the same key
    const retry = await file('cust-num-crash', key);

    // then the complaint is filed under the key's id, with the key's number
    expect(retry.status).toBe(201);
    expect(retry.body).toMatchObject({ id: complaintId, number: held });
    expect((await stack.api<Filed>('GET', `/api/complaints/${complaintId}`)).body.number).toBe(held);
  });

  it('never gives two concurrent intakes, or two processes, the same number', async () => {
    // another process taking numbers from the same database at the same time
    const otherProcess = createComplaintNumbers(stack.mongo);
    const [filed, taken] = await Promise.all([
      Promise.all(Array.from({ length: 20 }, (_, i) => file(`cust-num-par-${i}`))),
      Promise.all(Array.from({ length: 20 }, () => otherProcess.allocate(`cmp-${randomUUID()}`))),
    ]);
    const numbers = filed.map((r) => r.body.number);
    expect(numbers.every((n) => n !== null && NUMBER.test(n))).toBe(true);
    expect(new Set(numbers).size).toBe(20);
    expect(new Set([...numbers, ...taken]).size).toBe(40);
    expect(new Set(filed.map((r) => r.body.id)).size).toBe(20);
  });

  it("finds a complaint's tasks by its number, and the tasks carry it", async () => {
    const target = await file('cust-num-search', undefined, { title: 'Toaster sparks' });
    const other = await file('cust-num-other', undefined, { title: 'Toaster sparks' });
    const number = target.body.number!;
    // the complaint's process reaches its first task
    const found = await eventually<{ items: TaskView[] }>(stack, `/api/tasks?q=${encodeURIComponent(number)}`, (page) => page.items.length > 0, 'a task found by number');
    expect(found.items.every((t) => t.complaintId === target.body.id && t.complaintNumber === number)).toBe(true);
    // the short spelling finds the same, and no task of the other complaint (asked again while
    // the process is still opening the tasks of its intake: both spellings read one moment)
    const ids = (page: { items: TaskView[] }) => page.items.map((t) => t.id).sort();
    let both: Array<{ items: TaskView[] }> = [];
    for (let attempt = 0; attempt < 50; attempt += 1) {
      both = (await Promise.all([`/api/tasks?q=${encodeURIComponent(number)}`, `/api/tasks?q=${number.replace('-', '').toLowerCase()}`]
        .map((path) => stack.api<{ items: TaskView[] }>('GET', path)))).map((r) => r.body);
      if (JSON.stringify(ids(both[0]!)) === JSON.stringify(ids(both[1]!))) break;
      await new Promise((resolve) => setTimeout(resolve, 200));
    }
    const [long, short] = both as [{ items: TaskView[] }, { items: TaskView[] }];
    expect(ids(short)).toEqual(ids(long));
    expect(ids(short)).toEqual(expect.arrayContaining(ids(found)));
    expect(short.items.some((t) => t.complaintId === other.body.id)).toBe(false);
    // the single task read carries the number too
    const one = await stack.api<TaskView>('GET', `/api/tasks/${found.items[0]!.id}`);
    expect(one.body.complaintNumber).toBe(number);
    // and the complaint list finds the complaint by it
    const list = await stack.api<{ items: Filed[] }>('GET', `/api/complaints?q=${encodeURIComponent(number.toLowerCase())}`);
    expect(list.body.items.map((c) => c.id)).toEqual([target.body.id]);
  });
});
