/**
 * The demo complaints of `npm run seed` and the first embedded start: filed and worked through
 * the real API and process (server/domain/seed/complaints.ts), one left in every state.
 */
import { deployShippedProcesses } from '../../server/complaints/shippedProcesses';
import { seedDirectory } from '../../server/domain/seed';
import { DEMO_COMPLAINT_STATES, seedDemoComplaints } from '../../server/domain/seed/complaints';
import { TEST_PASSWORD } from '../support/auth';
import { startStack, type Stack } from '../support/stack';

interface Detail { id: string; status: string; engineerChoice: { state: string; offered: unknown[] } | null; timeline: Array<{ who: string; what: string }> }

describe('demo complaints in every state', () => {
  let stack: Stack;

  beforeAll(async () => {
    stack = await startStack();
    await deployShippedProcesses(stack.services.definitions);
    await seedDirectory(stack.mongo);
  });

  afterAll(async () => {
    await stack?.stop();
  });

  it('leaves at least one complaint in each state, made through the API', async () => {
    // given an admin's session on the running service
    const admin = await stack.createUser({ roles: ['admin'] });
    const { token } = await stack.login(admin.email, TEST_PASSWORD);
    const lines: string[] = [];

    // when the demo complaints are seeded
    const made = await seedDemoComplaints({ baseUrl: stack.url, token, progress: (l) => lines.push(l) });

    // then progress was printed per complaint
    expect(Object.keys(made).sort()).toEqual([...DEMO_COMPLAINT_STATES].sort());
    expect(lines).toHaveLength(DEMO_COMPLAINT_STATES.length);
    // and every lifecycle status has a complaint
    for (const status of ['closed', 'reopened', 'awaiting_evaluation', 'in_progress']) {
      const page = await stack.api<{ total: number }>('GET', `/api/complaints?status=${status}`);
      expect({ status, some: page.body.total > 0 }).toEqual({ status, some: true });
    }
    // and one waits for its customer's choice of engineer, with the engineers offered
    const choice = await stack.api<Detail>('GET', `/api/complaints/${made.engineer_choice}`);
    expect(choice.body.engineerChoice).toMatchObject({ state: 'waiting' });
    expect(choice.body.engineerChoice!.offered.length).toBeGreaterThan(1);
    // and the last one was filed as open (the process classifies it within moments)
    const filed = await stack.api<Detail>('GET', `/api/complaints/${made.open}`);
    expect(['open', 'in_progress']).toContain(filed.body.status);
    // and the work was done by people: the closed one was evaluated by its customer, through the link
    const closed = await stack.api<Detail>('GET', `/api/complaints/${made.closed}`);
    expect(closed.body.status).toBe('closed');
    expect(closed.body.timeline.map((e) => e.what)).toEqual(expect.arrayContaining(['evaluated with 5 star(s)', 'closed']));
  });
});
