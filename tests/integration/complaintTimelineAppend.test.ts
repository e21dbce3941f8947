/**
 * Timeline entries that change nothing else on a complaint (task completions through the API,
 * comments, transfers) are appended beside it in `complaint_timeline` (decision 0060): one
 * insert, no document lock, no read or write of the complaint. On the whole stack (Temporal
 * dev server, FerretDB): they show in the detail, stay out of the customer view, are written
 * once per id, survive two completions at once, and are sealed and verified by the audit.
 */
import type { Connection } from 'mongoose';
import { deployShippedProcesses } from '../../server/complaints/shippedProcesses';
import { complaintModels } from '../../server/complaints/model';
import { createComplaintStore } from '../../server/complaints/store';
import { createTaskActions } from '../../server/complaints/taskActions';
import { auditModels } from '../../server/compliance/auditChain';
import { auditVerifier } from '../../server/compliance/verify';
import { connectMongo } from '../../server/db/mongo';
import { projectionModels } from '../../server/projections/models';
import { testEnv } from '../support/servers';
import { startStack, type Stack } from '../support/stack';
import { DEPARTMENT_TASKS, intake, mustAct, openTask, type ComplaintDetail } from './complaintSupport';

const DISPATCH = "'Dispatch to an engineer'";
const DATA_COMMANDS = new Set(['find', 'insert', 'update', 'delete', 'findAndModify', 'aggregate', 'count']);

describe('timeline entries appended beside the complaint', () => {
  let stack: Stack;
  let watched: Connection;
  const commands: Array<{ name: string; collection: string }> = [];

  beforeAll(async () => {
    stack = await startStack();
    await deployShippedProcesses(stack.services.definitions);
    // A second connection to the stack's database whose every command is seen: the task actions below run on it.
    watched = await connectMongo(testEnv.mongoUri, stack.mongo.name, { monitorCommands: true });
    // Reads and writes (not the index creations mongoose sends when it first meets a model).
    watched.getClient().on('commandStarted', (e) => {
      if (DATA_COMMANDS.has(e.commandName)) commands.push({ name: e.commandName, collection: String((e.command as Record<string, unknown>)[e.commandName]) });
    });
  }, 120_000);

  afterAll(async () => {
    await watched?.close();
    await stack?.stop();
  });

  const file = async (customerId: string) => (await stack.api<{ id: string }>('POST', '/api/complaints', intake(customerId))).body.id;
  const detail = async (id: string) => (await stack.api<Omit<ComplaintDetail, 'timeline'> & { timeline: Array<{ who: string; what: string; when: string }> }>('GET', `/api/complaints/${id}`)).body;
  const completeTask = (taskId: string, variables: Record<string, unknown>, note?: string) =>
    stack.api<{ noted: boolean }>('POST', `/api/tasks/${taskId}/complete`, { variables, ...(note ? { note } : {}) });

  it('writes a comment, a transfer and a retried completion with one insert each, never touching the complaint document', async () => {
    // given a complaint waiting for dispatch, and the task actions on the watched connection
    const id = await file('cust-tl-1');
    const dispatch = await openTask(stack, id, 'Dispatch');
    const store = createComplaintStore(complaintModels(watched));
    const actions = createTaskActions({ projections: projectionModels(watched), store, instances: stack.services.instances });
    commands.length = 0;

    // when staff comment, transfer the task, and it is completed through the API and the completion told again (a retry)
    await actions.comment(dispatch.id, 'staff:tl-dispatcher', 'calls before noon only', undefined);
    await actions.transfer(dispatch.id, { toGroup: 'supervisor' }, 'VIP customer', 'staff:tl-dispatcher', undefined);
    expect((await completeTask(dispatch.id, { assignee: 'eng-1' }, 'engineer on site by noon')).body.noted).toBe(true);
    const record = await projectionModels(watched).tasks.findById(dispatch.id).lean();
    await actions.completed({ taskId: dispatch.id, who: 'staff:tl-dispatcher', name: 'Tess Lee', note: 'engineer on site by noon', task: record });

    // then each was one insert beside the complaint: no lock, no read or write of the complaint
    const onComplaint = commands.filter((c) => c.collection === 'complaints' || c.collection === 'document_locks');
    expect(onComplaint).toEqual([]);
    expect(commands.filter((c) => c.collection === 'complaint_timeline').map((c) => c.name)).toEqual(['insert', 'insert', 'insert']);

    // and the complaint document holds none of these entries; they are beside it, the completion once
    const stored = await complaintModels(stack.mongo).complaints.findById(id).lean();
    expect(stored!.timeline.filter((e) => /^(done|cmt|trf)-/.test(e.id))).toEqual([]);
    const beside = await complaintModels(stack.mongo).timeline.find({ complaintId: id }).lean();
    expect(beside.map((e) => e.id).sort()).toEqual([expect.stringMatching(/^cmt-/), `done-${dispatch.id}`, expect.stringMatching(/^trf-/)]);

    // and the detail shows them in time order with the entries the process wrote, the completion once
    const shown = await detail(id);
    const whats = shown.timeline.map((e) => e.what);
    expect(whats).toEqual(expect.arrayContaining([`commented on ${DISPATCH}`, `transferred ${DISPATCH} to group supervisor: VIP customer`]));
    expect(whats.filter((w) => w.startsWith(`completed ${DISPATCH}`))).toEqual([`completed ${DISPATCH}: engineer on site by noon`]);
    expect(whats.indexOf(`commented on ${DISPATCH}`)).toBeLessThan(whats.indexOf(`completed ${DISPATCH}: engineer on site by noon`));
    const times = shown.timeline.map((e) => Date.parse(e.when));
    expect(times).toEqual([...times].sort((a, b) => a - b));
    expect(whats[0]).toBe('complaint received via app');

    // and the customer's view keeps staff's entries internal, as before
    const customer = await stack.as({ roles: ['customer'], customerId: 'cust-tl-1' })<{ timeline: Array<{ who: string; what: string }> }>('GET', `/api/complaints/${id}`);
    expect(customer.status).toBe(200);
    expect(customer.body.timeline.map((e) => e.what)).toContain('complaint received via app');
    expect(customer.body.timeline.filter((e) => /^(commented|transferred|completed) /.test(e.what))).toEqual([]);
  });

  it('keeps both entries when two tasks of one complaint are completed at once', async () => {
    // given a complaint with its dispatch and a department's task open side by side (decision 0052)
    const id = await file('cust-tl-2');
    const [department] = await mustAct(stack, id);
    const [elementId, variables] = DEPARTMENT_TASKS[department!]!;
    const dispatch = await openTask(stack, id, 'Dispatch');
    const work = await openTask(stack, id, elementId);

    // when both are completed at the same time, while the process writes on the complaint
    const answers = await Promise.all([completeTask(dispatch.id, { assignee: 'eng-1' }, 'first'), completeTask(work.id, variables, 'second')]);

    // then both completions are on the timeline
    expect(answers.map((a) => [a.status, a.body.noted])).toEqual([[200, true], [200, true]]);
    const whats = (await detail(id)).timeline.map((e) => e.what);
    expect(whats).toContain(`completed ${DISPATCH}: first`);
    expect(whats.filter((w) => w.startsWith('completed ') && w.endsWith(': second'))).toHaveLength(1);
  });

  it('seals the appended entries: the compliance record and export show them, the verifier checks them and names one deleted', async () => {
    // given a complaint with a comment and a completion, and nothing else left to seal
    const id = await file('cust-tl-3');
    const dispatch = await openTask(stack, id, 'Dispatch');
    await stack.services.drainProjections();
    await stack.services.sealer.drain();
    const comment = await stack.api<{ id: string }>('POST', `/api/tasks/${dispatch.id}/comments`, { text: 'customer asks for a call' });
    expect(comment.status).toBe(201);

    // when the audit seals what it was told of (no record read, which would seal first)
    await stack.services.sealer.drain();

    // then the appended comment entry is in the chain
    const keys = async () => (await auditModels(stack.mongo).entries.find({ complaintId: id }).lean()).map((e) => e.key);
    expect(await keys()).toContain(`timeline:${comment.body.id}`);

    // and after a completion, the record and the export show its entry, sealed, and the chain verifies
    expect((await completeTask(dispatch.id, { assignee: 'eng-1' }, 'all set')).status).toBe(200);
    const compliance = stack.as('compliance');
    const record = await compliance<{ timeline: Array<{ id: string; what: string }>; activity: Array<{ source: string }>; audit: { problem: unknown } }>('GET', `/api/compliance/complaints/${id}?engine=false`);
    expect(record.status).toBe(200);
    expect(record.body.timeline.map((e) => e.id)).toEqual(expect.arrayContaining([comment.body.id, `done-${dispatch.id}`]));
    expect(record.body.activity.map((a) => a.source)).toContain(`timeline:done-${dispatch.id}`);
    expect(record.body.audit.problem).toBeNull();
    expect(await keys()).toContain(`timeline:done-${dispatch.id}`);
    const exported = (await compliance<string>('GET', `/api/compliance/export?complaintId=${id}`)).body.trim().split('\n')
      .map((l) => JSON.parse(l) as { type: string; record?: { timeline: Array<{ what: string }> } });
    expect(exported.find((l) => l.type === 'complaint')!.record!.timeline.map((e) => e.what)).toContain(`completed ${DISPATCH}: all set`);
    const verifier = auditVerifier(stack.mongo, stack.services.sealer.sources);
    expect((await verifier.verifyComplaint(id)).problem).toBeNull();

    // when someone rewrites the appended completion, then deletes it
    const { timeline } = complaintModels(stack.mongo);
    await timeline.collection.updateOne({ _id: `${id}:done-${dispatch.id}` as never }, { $set: { what: "completed 'Dispatch to an engineer'" } });
    const rewritten = await verifier.verifyComplaint(id);
    await timeline.collection.deleteOne({ _id: `${id}:done-${dispatch.id}` as never });
    const deleted = await verifier.verifyComplaint(id);

    // then the verifier names each
    expect(rewritten.problem).toMatchObject({ complaintId: id, field: 'data.what' });
    expect(deleted.problem).toMatchObject({ complaintId: id, field: 'key', message: `the stored record no longer holds timeline:done-${dispatch.id}` });
  });
});
