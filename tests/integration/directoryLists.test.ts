import { demoDirectory, seedDirectory } from '../../server/domain/seed';
import { startStack, type Stack } from '../support/stack';

interface Page<T> { items: T[]; page: number; pageSize: number; total: number }

describe('directory lists', () => {
  let stack: Stack;
  const demo = demoDirectory();

  beforeAll(async () => {
    stack = await startStack({ worker: false });
    await seedDirectory(stack.mongo);
  });
  afterAll(async () => {
    await stack?.stop();
  });

  it('pages through staff by id, without their home location', async () => {
    // when
    const first = await stack.api<Page<Record<string, unknown>>>('GET', '/api/staff?page=1&pageSize=20');
    const last = await stack.api<Page<{ id: string }>>('GET', '/api/staff?page=3&pageSize=20');
    // then
    expect(first.body).toMatchObject({ page: 1, pageSize: 20, total: 50 });
    expect(first.body.items.map((s) => s.id)).toEqual(demo.staff.slice(0, 20).map((s) => s._id));
    expect(first.body.items[0]).not.toHaveProperty('home');
    expect(last.body.items).toHaveLength(10);
  });

  it('filters staff by outlet and duty', async () => {
    // when
    const res = await stack.api<Page<{ id: string }>>('GET', '/api/staff?outletId=outlet-02&onDuty=true&pageSize=100');
    // then
    const expected = demo.staff.filter((s) => s.outletId === 'outlet-02' && s.onDuty).map((s) => s._id);
    expect(res.body.items.map((s) => s.id)).toEqual(expected);
  });

  it('lists departments and outlets', async () => {
    // when
    const departments = await stack.api<Page<{ key: string; candidateGroup: string }>>('GET', '/api/departments');
    const outlets = await stack.api<Page<{ id: string; location: unknown }>>('GET', '/api/outlets?pageSize=5');
    // then
    expect(departments.body.items.map((d) => d.key).sort()).toEqual(['after-sales', 'finance', 'logistics', 'technical']);
    expect(outlets.body).toMatchObject({ total: 8, pageSize: 5 });
    expect(outlets.body.items[0]).toMatchObject({ id: 'outlet-01', location: demo.outlets[0]?.location });
  });

  it('refuses a page size over 100, naming it', async () => {
    // when
    const res = await stack.api<{ fields: Array<{ path: string }> }>('GET', '/api/outlets?pageSize=500');
    // then
    expect(res.status).toBe(400);
    expect(res.body.fields.map((f) => f.path)).toEqual(['pageSize']);
  });
});
