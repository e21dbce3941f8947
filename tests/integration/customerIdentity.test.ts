/**
 * Issue 12, item 2 (customers): a customer and their link see customer-facing timeline entries
 * only; identity fields come from the directory and the complaint, never from the request.
 * Real servers: the shipped complaint process on the Temporal dev server, FerretDB, HTTP.
 */
import { deployShippedProcesses } from '../../server/complaints/shippedProcesses';
import { seedDirectory } from '../../server/domain/seed';
import { apiClient, type Api } from '../support/auth';
import { eventually, startStack, type Stack } from '../support/stack';
import { complete, completeDepartmentWork, intake, openTask, statusIs, type ComplaintDetail } from './complaintSupport';

const SERVED = 'staff-served';
const STRANGER = 'staff-stranger';
const NOTE = 'INTERNAL NOTE: goodwill budget is 500';
interface StaffItem { id: string; satisfaction: { count: number } }
const staff = (id: string) => ({
  _id: id, name: `Engineer ${id}`, roles: ['engineer'], skills: ['defect'], products: id === SERVED ? ['Kettle K2'] : ['Toaster T1'], outletId: null,
  regions: [], languages: ['English'], home: { lat: 31.23, lon: 121.47 }, currentLoad: 0, maxLoad: 5, onDuty: id === SERVED,
  satisfaction: { sum: 0, count: 0, rate: 0 },
});

describe('customers see their own, customer-facing view and act only as themselves', () => {
  let stack: Stack;
  let customer: Api;
  let id: string;
  let instanceId: string;

  beforeAll(async () => {
    stack = await startStack();
    await deployShippedProcesses(stack.services.definitions);
    await seedDirectory(stack.mongo, {
      departments: [{ _id: 'dep-after-sales', key: 'after-sales', name: 'After-sales', candidateGroup: 'after-sales' }],
      outlets: [],
      staff: [staff(SERVED), staff(STRANGER)],
      customers: [{ _id: 'cust-ident', name: 'Standard Customer', tier: 'standard', region: 'Shanghai', language: 'English' }],
    });
    customer = stack.as({ roles: ['customer'], customerId: 'cust-ident' });
    // when the customer declares a platinum tier at intake
    const filed = await customer<ComplaintDetail>('POST', '/api/complaints', intake('cust-ident', { customer: { id: 'cust-ident', tier: 'platinum' } }));
    expect(filed.status).toBe(201);
    id = filed.body.id;
    instanceId = (await statusIs(stack, id, 'in_progress')).instanceId!;
    // staff work on it, with an internal comment and a transfer on the way
    const engineer = stack.as({ roles: ['engineer'], groups: ['after-sales', 'dispatch'], staffId: SERVED });
    const dispatch = await openTask(stack, id, 'DispatchRecommended');
    expect((await stack.api('POST', `/api/tasks/${dispatch.id}/comments`, { text: NOTE })).status).toBe(201);
    await complete(stack, engineer, id, 'DispatchRecommended');
    const first = await openTask(stack, id, 'FirstResponse');
    expect((await stack.api('POST', `/api/tasks/${first.id}/transfer`, { toUser: SERVED, reason: 'budget talk with finance-secret' })).status).toBe(204);
    await complete(stack, engineer, id, 'FirstResponse');
    await completeDepartmentWork(stack, stack.api, id);
    await complete(stack, engineer, id, 'ResolutionSummary', { resolutionSummary: 'seal replaced' });
    await statusIs(stack, id, 'awaiting_evaluation');
  });

  afterAll(async () => {
    await stack?.stop();
  });

  it('takes the tier from the directory, not from the intake', async () => {
    // then the complaint and the process variable carry the directory's tier
    const instance = await stack.api<{ variables: Record<string, unknown> }>('GET', `/api/instances/${instanceId}`);
    expect(instance.body.variables.customerTier).toBe('standard');
    const stored = await stack.services.complaintStore.get(id);
    expect(stored?.customerTier).toBe('standard');
  });

  it('shows the customer and their link customer-facing entries only, without staff ids or groups', async () => {
    // given the staff view has the comment, the transfer and the engineer
    const staffView = await stack.api<ComplaintDetail>('GET', `/api/complaints/${id}`);
    expect(JSON.stringify(staffView.body)).toContain(NOTE);
    expect(staffView.body.engineer).toBe(SERVED);
    // when the customer reads it, signed in and through a link
    const link = await stack.api<{ token: string }>('POST', `/api/complaints/${id}/customer-link`, {});
    const views = [await customer<ComplaintDetail>('GET', `/api/complaints/${id}`), await apiClient(stack.url, link.body.token)<ComplaintDetail>('GET', `/api/complaints/${id}`)];
    const list = await customer<{ items: Array<Record<string, unknown>> }>('GET', '/api/complaints');
    // then neither holds the note, the transfer, a staff id or a group: the engineer who served
    // it appears once, as `servedBy`, the address of their public profile (decision 0045)
    for (const view of views) {
      expect(view.status).toBe(200);
      // and, with their name and the reasons a customer is told, as `coming`
      expect((view.body as unknown as { servedBy: string }).servedBy).toBe(SERVED);
      const { coming } = view.body as unknown as { coming: { name: string; reasons: string[] } };
      expect(coming.reasons.join(' ')).not.toMatch(/load|rated|satisfaction/);
      const text = JSON.stringify({ ...view.body, servedBy: null, coming: null });
      for (const secret of [NOTE, 'finance-secret', 'transferred', SERVED, 'staff:', 'after-sales', 'dispatch"']) expect(text).not.toContain(secret);
      expect(view.body.tasks).toEqual([]);
      expect(new Set(view.body.timeline.map((e) => e.who))).toEqual(new Set(['customer', 'service']));
      expect(view.body.timeline.map((e) => e.what)).toEqual(expect.arrayContaining(['dispatched']));
    }
    expect(JSON.stringify(list.body)).not.toContain(SERVED);
  });

  it('refuses complaint-evaluated from the integration account (and any other role): only the evaluation route delivers it', async () => {
    // when the integration account, and an admin, publish the evaluation message with 5 stars
    const message = { name: 'complaint-evaluated', correlationKey: id, variables: { stars: 5 } };
    const integration = await stack.as('integration')('POST', '/api/messages', message);
    const admin = await stack.api('POST', '/api/messages', message);
    // then both are refused and the complaint still awaits its evaluation
    expect([integration.status, admin.status]).toEqual([403, 403]);
    expect(integration.body).toMatchObject({ error: 'forbidden' });
    const instance = await stack.api<{ activeElements: string[] }>('GET', `/api/instances/${instanceId}`);
    expect(instance.body.activeElements).toEqual(expect.arrayContaining(['AwaitEvaluation']));
    expect((await stack.api<ComplaintDetail>('GET', `/api/complaints/${id}`)).body).toMatchObject({ status: 'awaiting_evaluation', evaluations: [] });
  });

  it('lets the customer rate only the engineer who served them, and changes nothing otherwise', async () => {
    // when the customer names another engineer
    const wrong = await customer<{ error: string; fields: Array<{ path: string }> }>('POST', `/api/complaints/${id}/evaluation`, { stars: 5, tags: [], engineerId: STRANGER });
    // then it is refused with the field, the stranger's rating and the complaint are untouched
    expect(wrong.status).toBe(422);
    expect(wrong.body).toMatchObject({ error: 'engineer_not_served', fields: [{ path: 'engineerId' }] });
    const after = await stack.api<ComplaintDetail>('GET', `/api/complaints/${id}`);
    expect(after.body).toMatchObject({ status: 'awaiting_evaluation', evaluations: [] });
    // and rating the served engineer counts for them alone
    expect((await customer('POST', `/api/complaints/${id}/evaluation`, { stars: 5, tags: [], engineerId: SERVED })).status).toBe(201);
    const directory = await eventually<{ items: StaffItem[] }>(stack, '/api/staff?pageSize=100',
      (b) => b.items.some((s) => s.id === SERVED && s.satisfaction.count === 1), 'served engineer rated');
    expect(directory.items.find((s) => s.id === STRANGER)?.satisfaction.count).toBe(0);
  });

  it("opens only the public profile of the engineer behind `servedBy`: name, photo, rating, tags, no staff internals", async () => {
    // given what the customer is told of their engineer, signed in and through their link
    const link = await stack.api<{ token: string }>('POST', `/api/complaints/${id}/customer-link`, {});
    const viaLink = apiClient(stack.url, link.body.token);
    const served = (await customer<{ servedBy: string }>('GET', `/api/complaints/${id}`)).body.servedBy;
    expect(served).toBe(SERVED);
    // when they open that profile (signed in, through the link, and anonymously: it is public)
    const anonymous = apiClient(stack.url);
    const profiles = await Promise.all([customer, viaLink, anonymous].map((who) => who<Record<string, unknown>>('GET', `/api/engineers/${served}`)));
    // then each is the public profile (decision 0045) and nothing of the staff record behind it
    const staffRecord = (await stack.api<{ items: Array<Record<string, unknown>> }>('GET', '/api/staff?pageSize=100')).body.items.find((s) => s.id === SERVED)!;
    expect(staffRecord).toMatchObject({ currentLoad: expect.any(Number), maxLoad: 5, onDuty: true });
    for (const profile of profiles) {
      expect(profile.status).toBe(200);
      expect(Object.keys(profile.body).sort()).toEqual(['id', 'languages', 'name', 'outlet', 'photoUrl', 'products', 'rating', 'recentComments', 'skills', 'tags']);
      expect(profile.body).toMatchObject({ id: SERVED, name: `Engineer ${SERVED}`, photoUrl: null, rating: { rate: 5, count: 1 }, tags: [] });
      const text = JSON.stringify(profile.body);
      for (const internal of ['currentLoad', 'maxLoad', 'onDuty', 'regions', 'home', '31.23', '121.47', 'satisfaction', 'roles', 'groups', 'email', 'cust-ident', id]) {
        expect([internal, text.includes(internal)]).toEqual([internal, false]);
      }
    }
  });

  it('files feedback only as the customer themselves', async () => {
    // when the customer files feedback in another customer's name, and in their own
    const asOther = await customer('POST', '/api/feedback', { touchpoint: 'store.checkout', score: 9, verbatim: 'fine', customerId: 'cust-victim' });
    const asSelf = await customer<{ id: string }>('POST', '/api/feedback', { touchpoint: 'store.checkout', score: 9, verbatim: 'fine' });
    // then the first is refused, the second is stored under their own reference
    expect(asOther.status).toBe(403);
    expect(asSelf.status).toBe(201);
    const stored = await stack.services.complaintStore.models.feedback.find({}).lean();
    expect(stored.map((f) => f.customerId)).toEqual(['cust-ident']);
  });
});
