import { contribute, elementTimes, pendingMilestones, slaContribution, type ComplaintView, type MilestoneContext } from '../../../server/analytics/contributions';
import { bucketOf } from '../../../server/analytics/histogram';
import { openTrend } from '../../../server/analytics/workload';
import { emptyCell } from '../../../server/analytics/rollups';

const filed = new Date('2026-11-02T09:00:00Z');
const base: ComplaintView = { _id: 'cmp-1', category: null, departments: [], engineer: null, status: 'open', evaluations: [], createdAt: filed };
const ctx = (now: string, extra: Partial<MilestoneContext> = {}): MilestoneContext =>
  ({ now: new Date(now), region: "Jing'an", outlet: 'outlet-02', tasks: [], definitionKey: 'complaint', events: [], ...extra });
const incOf = (r: ReturnType<typeof contribute>, id: string) => r.increments.find((i) => i.id === id)?.inc;

describe('what a complaint change contributes to the rollups', () => {
  it('counts nothing for an unclassified open complaint', () => {
    expect(pendingMilestones(base, [])).toEqual([]);
  });

  it('counts the intake on the day filed, per department, and holds the open load', () => {
    const c = { ...base, category: 'refrigeration', departments: ['after-sales', 'technical'], status: 'in_progress' as const };
    const r = contribute(c, [], [], pendingMilestones(c, []), ctx('2026-11-03T10:00:00Z'));
    expect(incOf(r, 'day|2026-11-02|all|all')).toEqual({ "c.refrigeration~Jing'an.in": 1 });
    expect(incOf(r, 'month|2026-11|department|technical')).toEqual({ "c.refrigeration~Jing'an.in": 1 });
    expect(incOf(r, 'now||department|after-sales')).toEqual({ "c.refrigeration~Jing'an.open": 1 });
    expect(r.counted).toEqual(['intake', 'dept:after-sales', 'dept:technical']);
    // counted once: the same change again contributes nothing
    expect(pendingMilestones(c, r.counted)).toEqual([]);
  });

  it('counts a department brought in after intake once, on the day filed, without counting the intake again', () => {
    const c = { ...base, category: 'refrigeration', departments: ['technical'], status: 'in_progress' as const };
    const first = contribute(c, [], [], pendingMilestones(c, []), ctx('2026-11-02T10:00:00Z'));
    const later = { ...c, departments: ['technical', 'finance'] };
    expect(pendingMilestones(later, first.counted)).toEqual([{ kind: 'department', department: 'finance' }]);
    const r = contribute(later, first.counted, first.load, pendingMilestones(later, first.counted), ctx('2026-11-04T10:00:00Z'));
    expect(incOf(r, 'day|2026-11-02|department|finance')).toEqual({ "c.refrigeration~Jing'an.in": 1 });
    expect(incOf(r, 'now||department|finance')).toEqual({ "c.refrigeration~Jing'an.open": 1 });
    expect(incOf(r, 'day|2026-11-02|all|all')).toBeUndefined();
    expect(incOf(r, 'day|2026-11-02|department|technical')).toBeUndefined();
  });

  it('takes a department back out when who must act is decided anew without it', () => {
    const c = { ...base, category: 'refrigeration', departments: ['after-sales', 'technical'], status: 'in_progress' as const };
    const first = contribute(c, [], [], pendingMilestones(c, []), ctx('2026-11-02T10:00:00Z'));
    const decided = { ...c, departments: ['technical', 'finance'] };
    const milestones = pendingMilestones(decided, first.counted);
    expect(milestones).toEqual([{ kind: 'department', department: 'finance' }, { kind: 'departmentLeft', department: 'after-sales' }]);
    const r = contribute(decided, first.counted, first.load, milestones, ctx('2026-11-02T11:00:00Z'));
    expect(incOf(r, 'day|2026-11-02|department|after-sales')).toEqual({ "c.refrigeration~Jing'an.in": -1 });
    expect(incOf(r, 'now||department|after-sales')).toEqual({ "c.refrigeration~Jing'an.open": -1 });
    expect(r.counted).toEqual(['intake', 'dept:technical', 'dept:finance']);
    expect(pendingMilestones(decided, r.counted)).toEqual([]);
  });

  it('moves the load from a previous engineer to the new one and releases everything at close, with handling times; SLA clocks count where it was counted', () => {
    const c = { ...base, category: 'billing', departments: ['finance'], status: 'in_progress' as const, engineer: 'staff-001' };
    const first = contribute(c, [], [], pendingMilestones(c, []), ctx('2026-11-02T10:00:00Z'));
    expect(incOf(first, 'now||engineer|staff-001')).toEqual({ "c.billing~Jing'an.open": 1 });
    expect(incOf(first, 'day|2026-11-02|outlet|outlet-02')).toEqual({ "c.billing~Jing'an.in": 1 });
    const moved = { ...c, engineer: 'staff-002' };
    const second = contribute(moved, first.counted, first.load, pendingMilestones(moved, first.counted), ctx('2026-11-03T10:00:00Z', { outlet: 'outlet-05' }));
    expect(incOf(second, 'now||engineer|staff-001')).toEqual({ "c.billing~Jing'an.open": -1 });
    expect(incOf(second, 'now||outlet|outlet-02')).toEqual({ "c.billing~Jing'an.open": -1 });
    expect(incOf(second, 'now||engineer|staff-002')).toEqual({ "c.billing~Jing'an.open": 1 });
    const closed = { ...moved, status: 'closed' as const };
    const tasks = [{ elementId: 'FirstResponse', state: 'completed', createdAt: new Date('2026-11-03T10:00:00Z'), closedAt: new Date('2026-11-03T12:00:00Z') }];
    const third = contribute(closed, second.counted, second.load, pendingMilestones(closed, second.counted), ctx('2026-11-04T09:00:00Z', { outlet: 'outlet-05', tasks }));
    expect(third.load).toEqual([]);
    const cell = "c.billing~Jing'an";
    expect(incOf(third, 'day|2026-11-04|engineer|staff-002')).toEqual({
      [`${cell}.cl`]: 1,
      [`${cell}.h.FirstResponse.${bucketOf(7_200_000)}`]: 1, [`${cell}.hs.FirstResponse`]: 7_200_000,
      [`${cell}.h.total.${bucketOf(2 * 86_400_000)}`]: 1, [`${cell}.hs.total`]: 2 * 86_400_000,
    });
    const breached = slaContribution(third.countedAs, { state: 'breached', targetMs: 7_200_000, metAt: null, breachedAt: new Date('2026-11-03T23:00:00Z') });
    expect(breached.find((i) => i.id === 'day|2026-11-03|outlet|outlet-05')?.inc).toEqual({ [`${cell}.sb`]: 1, [`${cell}.st`]: 7_200_000 });
    expect(breached.map((i) => i.id).sort()).toEqual(['all|all', 'department|finance', 'engineer|staff-002', 'outlet|outlet-05'].flatMap((k) => [`day|2026-11-03|${k}`, `month|2026-11|${k}`]).sort());
    expect(slaContribution(third.countedAs, { state: 'ok', targetMs: 1, metAt: null, breachedAt: null })).toEqual([]);
    expect(incOf(third, 'now||all|all')).toEqual({ [`${cell}.open`]: -1 });
    expect(incOf(third, 'now||engineer|staff-002')).toEqual({ [`${cell}.open`]: -1 });
  });

  it('joins a low evaluation to every element of the path with the time spent there', () => {
    const c = { ...base, category: 'billing', departments: ['finance'], status: 'reopened' as const, engineer: 'staff-001',
      evaluations: [{ id: 'ev-1', stars: 2, tags: ['slow', 'rude.staff'], comment: null, engineerId: 'staff-001', at: new Date('2026-11-05T08:00:00Z'), state: 'delivered' as const }] };
    const events = [
      { elementId: 'Dispatch', event: 'activated', time: new Date('2026-11-02T09:00:00Z') },
      { elementId: 'Dispatch', event: 'completed', time: new Date('2026-11-02T11:00:00Z') },
      { elementId: 'Repair', event: 'activated', time: new Date('2026-11-02T11:00:00Z') },
      { elementId: 'Repair', event: 'completed', time: new Date('2026-11-03T11:00:00Z') },
      { elementId: 'Dispatch', event: 'activated', time: new Date('2026-11-04T09:00:00Z') },
      { elementId: 'Dispatch', event: 'completed', time: new Date('2026-11-04T10:00:00Z') },
      { elementId: 'Evaluate', event: 'activated', time: new Date('2026-11-04T10:00:00Z') },
      { elementId: 'Evaluate', event: 'completed', time: new Date('2026-11-05T09:00:00Z') },
      { elementId: 'Redo', event: 'activated', time: new Date('2026-11-05T09:00:00Z') },
    ];
    expect(elementTimes(events, new Date('2026-11-05T08:00:00Z'))).toEqual([
      { elementId: 'Dispatch', ms: 7_200_000 }, { elementId: 'Repair', ms: 86_400_000 }, { elementId: 'Dispatch', ms: 3_600_000 }, { elementId: 'Evaluate', ms: 22 * 3_600_000 },
    ]);
    const r = contribute(c, ['intake', 'assign:staff-001'], [], [{ kind: 'eval', evaluation: c.evaluations[0]! }], ctx('2026-11-05T08:00:01Z', { events }));
    expect(incOf(r, 'day|2026-11-05|element|complaint:Redo')).toBeUndefined();
    expect(incOf(r, 'day|2026-11-05|element|complaint:Evaluate')).toMatchObject({ "c.billing~Jing'an.ms": 22 * 3_600_000 });
    const cell = "c.billing~Jing'an";
    expect(incOf(r, 'day|2026-11-05|element|complaint:Dispatch')).toEqual({
      [`${cell}.e`]: 1, [`${cell}.es`]: 2, [`${cell}.ms`]: 10_800_000, [`${cell}.lo`]: 1, [`${cell}.mslo`]: 10_800_000,
      [`${cell}.tg.slow`]: 1, [`${cell}.tg.rude_staff`]: 1,
    });
    expect(incOf(r, 'month|2026-11|engineer|staff-001')).toMatchObject({ [`${cell}.e`]: 1, [`${cell}.lo`]: 1 });
    expect(r.counted).toContain('eval:ev-1');
  });
});

describe('the open load per day', () => {
  it('steps back from the load now through what was filed and closed after each day', () => {
    const cell = (i: number, cl: number) => ({ ...emptyCell(), in: i, cl });
    const byDay = new Map([['2026-11-02', cell(3, 0)], ['2026-11-03', cell(2, 1)], ['2026-11-04', cell(0, 2)]]);
    // 2 open now (after 11-04): end of 11-03 there were 4, end of 11-02 3.
    expect(openTrend(['2026-11-02', '2026-11-03'], byDay, 2, '2026-11-04')).toEqual([3, 4]);
  });
});
