import { simulate } from '../../../processes/simulation';
import type { ProcessModel } from '../../../processes/model';
import { compileOne, HOUR, profile, ROUTING_XML, shippedXml } from './fixtures';

const START = Date.UTC(2026, 0, 5, 7); // a Monday, 08:00 in Berlin

describe('what-if simulation', () => {
  let routing: ProcessModel;
  let shipped: ProcessModel;
  beforeAll(async () => {
    routing = await compileOne(ROUTING_XML);
    shipped = await compileOne(shippedXml('complaint-handling.bpmn'));
  });

  const recorded = profile({
    durations: [
      { elementId: 'Check', samplesMs: [1000] },
      { elementId: 'Call', samplesMs: [2 * HOUR] },
      { elementId: 'Letter', samplesMs: [HOUR, 3 * HOUR, 5 * HOUR] },
    ],
    flows: [{ flowId: 'Urgent', count: 80 }, { flowId: 'Normal', count: 20 }],
  });

  it('gives the same result for the same seed and a different one for another seed', () => {
    // given
    const options = { seed: 11, count: 300, startAt: START };
    // when
    const first = simulate(routing, recorded, options);
    const again = simulate(routing, recorded, options);
    const other = simulate(routing, recorded, { ...options, seed: 12 });
    // then
    expect(again).toEqual(first);
    expect(other.elements).not.toEqual(first.elements);
  });

  it('takes the branches in their recorded shares, whatever the conditions read', () => {
    // when (no instance has the `urgent` variable the condition reads)
    const result = simulate(routing, recorded, { seed: 3, count: 2000, startAt: START });
    // then
    const count = (id: string) => result.elements.find((e) => e.elementId === id)?.count ?? 0;
    expect(result.completed).toBe(2000);
    expect(count('Call') + count('Letter')).toBe(2000);
    expect(count('Call') / 2000).toBeGreaterThan(0.75);
    expect(count('Call') / 2000).toBeLessThan(0.85);
  });

  it('samples each element\'s recorded durations and reports p50 and p90 per element and overall', () => {
    // given: every complaint is urgent
    const allUrgent = { ...recorded, flows: [{ flowId: 'Urgent', count: 1 }] };
    // when
    const result = simulate(routing, allUrgent, { seed: 5, count: 50, startAt: START });
    // then
    const call = result.elements.find((e) => e.elementId === 'Call');
    expect(call).toMatchObject({ count: 50, p50Ms: 2 * HOUR, p90Ms: 2 * HOUR });
    expect(result.overall.p90Ms).toBe(2 * HOUR + 1000);
    expect(result.elements.find((e) => e.elementId === 'Letter')).toBeUndefined();
  });

  it('counts the user tasks and their hours per candidate group', () => {
    // given
    const allUrgent = { ...recorded, flows: [{ flowId: 'Urgent', count: 1 }] };
    // when
    const result = simulate(routing, allUrgent, { seed: 5, count: 40, startAt: START });
    // then
    expect(result.departments).toEqual([expect.objectContaining({ group: 'after-sales', tasks: 40, hours: 80 })]);
  });

  it('marks what the history has nothing for as estimated and uses the defaults there', () => {
    // when
    const result = simulate(routing, profile(), { seed: 1, count: 20, startAt: START, defaults: { waitMs: HOUR } });
    // then
    expect(result.estimated).toEqual(['Check', 'Route', 'Call', 'Letter']);
    expect(result.elements.find((e) => e.elementId === 'Call')?.p90Ms).toBe(HOUR);
  });

  describe('the shipped complaint process, with its SLA policies on the Berlin office calendar', () => {
    const variables = [{ severity: 'high', customerTier: 'standard', engineerChoiceTimeout: 'P2D', assignee: 'engineer-1', complaintId: 'c-1', reopenCount: 0 }];
    const withTaskTime = (ms: number) => profile({
      startVariables: variables,
      durations: shipped.elements.filter((e) => e.kind === 'userTask').map((e) => ({ elementId: e.id, samplesMs: [ms] })),
      flows: [{ flowId: 'ToRecommendedEngineer', count: 1 }, { flowId: 'f17', count: 1 }, { flowId: 'SatisfiedYes', count: 1 }, { flowId: 'ByEmail', count: 1 }],
    });

    it('breaches no first-response SLA when every task takes ten minutes', () => {
      // when
      const result = simulate(shipped, withTaskTime(10 * 60_000), { seed: 2, count: 100, startAt: START });
      // then
      expect(result.completed).toBe(100);
      expect(result.policies.find((p) => p.policyId === 'first-response')).toEqual({ policyId: 'first-response', clocks: 100, breached: 0, breachRate: 0 });
    });

    it('breaches every first-response SLA when every task takes three days, and says where', () => {
      // when
      const result = simulate(shipped, withTaskTime(3 * 24 * HOUR), { seed: 2, count: 100, startAt: START });
      // then
      expect(result.policies.find((p) => p.policyId === 'first-response')).toMatchObject({ clocks: 100, breached: 100, breachRate: 1 });
      expect(result.overall.breachRate).toBe(1);
      expect(result.elements.find((e) => e.elementId === 'DispatchRecommended')?.breachRate).toBe(1);
      expect(result.elements.find((e) => e.elementId === 'ComplaintReceived')?.breachRate).toBe(0);
    });
    describe('a department brought in by message (the event subprocess BringInDepartment)', () => {
      // every complaint gets a department-requested message; its task goes to the group the message names
      const broughtIn = (messages?: Array<{ elementId: string; samples: Array<Record<string, unknown>> }>) => profile({
        instances: 100,
        startVariables: variables,
        durations: shipped.elements.filter((e) => e.kind === 'userTask').map((e) => ({ elementId: e.id, samplesMs: [HOUR] })),
        activations: [{ elementId: 'DepartmentRequested', count: 100 }],
        flows: [{ flowId: 'ToRecommendedEngineer', count: 1 }, { flowId: 'f17', count: 1 }, { flowId: 'SatisfiedYes', count: 1 }, { flowId: 'ByEmail', count: 1 }],
        ...(messages ? { messages } : {}),
      });
      const broughtInTasks = (result: ReturnType<typeof simulate>) => result.departments.filter((d) => ['legal', 'warehouse', 'simulated-department'].includes(d.group));

      it('gives the task to the departments the recorded messages named, in their shares', () => {
        // given: recorded payloads, three for legal to one for warehouse
        const messages = [{ elementId: 'DepartmentRequested', samples: [
          { department: 'legal', reason: 'refund' }, { department: 'legal', reason: 'refund' }, { department: 'legal', reason: 'credit' }, { department: 'warehouse', reason: 'defect' },
        ] }];
        // when
        const result = simulate(shipped, broughtIn(messages), { seed: 8, count: 400, startAt: START });
        // then
        const groups = broughtInTasks(result);
        const legal = groups.find((d) => d.group === 'legal')?.tasks ?? 0;
        const warehouse = groups.find((d) => d.group === 'warehouse')?.tasks ?? 0;
        expect(result.elements.find((e) => e.elementId === 'BroughtInWork')?.count).toBe(legal + warehouse);
        expect(legal + warehouse).toBeGreaterThan(300);
        expect(legal / (legal + warehouse)).toBeGreaterThan(0.65);
        expect(legal / (legal + warehouse)).toBeLessThan(0.85);
        expect(result.departments.find((d) => d.group === '(no group)')).toBeUndefined();
        expect(result.estimated).not.toContain('DepartmentRequested');
      });

      it('without recorded payloads, sends the defaults\' value or a synthetic one and flags the message as estimated', () => {
        // when
        const synthetic = simulate(shipped, broughtIn(), { seed: 8, count: 50, startAt: START });
        const fromDefaults = simulate(shipped, broughtIn(), { seed: 8, count: 50, startAt: START, defaults: { variables: { department: 'warehouse' } } });
        // then
        const tasks = synthetic.elements.find((e) => e.elementId === 'BroughtInWork')?.count;
        expect(tasks).toBeGreaterThan(40);
        expect(broughtInTasks(synthetic)).toEqual([expect.objectContaining({ group: 'simulated-department', tasks })]);
        expect(synthetic.estimated).toContain('DepartmentRequested');
        expect(broughtInTasks(fromDefaults)).toEqual([expect.objectContaining({ group: 'warehouse' })]);
      });
    });

    it('steers inclusive and event-based gateways and error boundaries by their recorded shares', () => {
      // given: 90 % after-sales and 30 % finance work; 80 % of customers never answer; commitments open on every other check
      const shares = profile({
        startVariables: variables,
        durations: shipped.elements.filter((e) => e.kind === 'userTask').map((e) => ({ elementId: e.id, samplesMs: [HOUR] })),
        activations: [{ elementId: 'WhichDepartments', count: 100 }, { elementId: 'CheckCommitments', count: 100 }, { elementId: 'CommitmentsOpen', count: 50 }],
        flows: [
          { flowId: 'ToRecommendedEngineer', count: 1 }, { flowId: 'ByEmail', count: 1 }, { flowId: 'SatisfiedYes', count: 1 },
          { flowId: 'ToAfterSales', count: 90 }, { flowId: 'ToFinance', count: 30 },
          { flowId: 'f17', count: 20 }, { flowId: 'f19', count: 80 },
        ],
      });
      // when
      const result = simulate(shipped, shares, { seed: 4, count: 1000, startAt: START });
      // then
      const count = (id: string) => result.elements.find((e) => e.elementId === id)?.count ?? 0;
      expect(result.completed).toBe(1000);
      expect(count('AfterSalesContact') / 1000).toBeGreaterThan(0.85);
      expect(count('FinanceCompensation') / 1000).toBeGreaterThan(0.25);
      expect(count('FinanceCompensation') / 1000).toBeLessThan(0.35);
      expect(count('TechnicalAnalysis')).toBe(0);
      expect(count('NoEvaluation') / 1000).toBeGreaterThan(0.75);
      expect(count('Evaluated') + count('NoEvaluation')).toBe(1000);
      expect(count('ReopenRequested')).toBe(0);
      // each check opens commitments with probability 1/2: twice as many checks as complaints on average
      expect(count('CommitmentsOpen')).toBe(count('CheckCommitments') - 1000);
      expect(count('CheckCommitments') / 1000).toBeGreaterThan(1.8);
      expect(count('CheckCommitments') / 1000).toBeLessThan(2.2);
    });
  });
});
