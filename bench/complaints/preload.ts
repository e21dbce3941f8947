/**
 * BENCH_PRELOAD: complaints of earlier days stored straight into the database before the load,
 * with their process instances and tasks (the projections), so that the collections the hot
 * path reads — `complaints`, `instances`, `tasks` — are large. Documents have the shapes the
 * service writes (ComplaintRecord, InstanceRecord, TaskRecord: taken from a real closed
 * lifecycle of this bench) with other customers, statuses, classifications and dates over the
 * past year. None belongs to the bench customer and no task is open (`open_tasks` stays empty),
 * so the simulated people never see them. Not preloaded: element events, SLA clocks, locks.
 *
 * Batches: FerretDB 1.24 hangs for good on a command carrying ~50 or more statements
 * (bulkWrite, update). An insertMany is different: FerretDB turns it into multi-row INSERTs in one
 * transaction. Measured on the embedded FerretDB 1.24 (SQLite backend), complaint documents:
 * insertMany of 16, 32, 50, 64, 100 and 200 documents all answered (8–120 ms each, ~400 → ~3,000
 * documents/s as the batch grows), none hung. Default 100 (BENCH_PRELOAD_BATCH); every
 * insertMany is bounded (60 s) so a hang ends the run with a message instead of stalling it.
 */
import { randomUUID } from 'node:crypto';
import type { Connection, Model } from 'mongoose';
import { complaintModels, type ComplaintRecord } from '../../server/complaints/model';
import { projectionModels, type InstanceRecord, type TaskRecord } from '../../server/projections/models';

const DAY = 86_400_000;
const CHANNELS = ['web', 'app', 'phone', 'email', 'store', 'social'];
const PRODUCTS = ['Kettle K2', 'Toaster T1', 'Blender B5', 'Coffee maker C3', 'Fridge F9', 'Washer W7'];
const CLASSES: Array<{ category: string; severity: 'low' | 'medium' | 'high'; departments: string[]; title: string }> = [
  { category: 'defect', severity: 'medium', departments: ['technical', 'logistics'], title: 'Stopped working after a week' },
  { category: 'delivery', severity: 'low', departments: ['logistics', 'after-sales'], title: 'Parcel arrived late' },
  { category: 'billing', severity: 'low', departments: ['finance'], title: 'Charged twice' },
  { category: 'service', severity: 'low', departments: ['after-sales'], title: 'Nobody called back' },
  { category: 'safety', severity: 'high', departments: ['after-sales', 'technical'], title: 'Smoke from the plug' },
];
/** Mostly closed, as in a service that has run for a while. */
const STATUSES: Array<[ComplaintRecord['status'], number]> = [['closed', 0.85], ['awaiting_evaluation', 0.05], ['in_progress', 0.05], ['open', 0.03], ['reopened', 0.02]];

/** A small deterministic generator: the same preload on every run. */
function random(seed: number) {
  let s = seed >>> 0;
  const next = () => {
    s = (s + 0x6d2b79f5) >>> 0;
    let t = s;
    t = Math.imul(t ^ (t >>> 15), t | 1);
    t ^= t + Math.imul(t ^ (t >>> 7), t | 61);
    return ((t ^ (t >>> 14)) >>> 0) / 4_294_967_296;
  };
  return { next, pick: <T>(items: T[]) => items[Math.floor(next() * items.length)]! };
}

interface Lifecycle { complaint: ComplaintRecord; instance: InstanceRecord; tasks: TaskRecord[] }

function lifecycle(i: number, now: number, rnd: ReturnType<typeof random>): Lifecycle {
  const id = `cmp-${randomUUID()}`;
  const instanceId = `pi-${randomUUID()}`;
  const x = rnd.next();
  let acc = 0;
  const status = STATUSES.find(([, p]) => (acc += p) >= x)?.[0] ?? 'closed';
  const cls = rnd.pick(CLASSES);
  const created = new Date(now - 1 * DAY - Math.floor(rnd.next() * 364 * DAY));
  const at = (minutes: number) => new Date(created.getTime() + minutes * 60_000);
  const engineer = `staff-${1 + Math.floor(rnd.next() * 50)}`;
  const customerId = `cust-${1 + Math.floor(rnd.next() * 20_000)}`;
  const tier = rnd.next() < 0.2 ? 'gold' : 'standard';
  const closed = status === 'closed';
  const stars = 1 + Math.floor(rnd.next() * 5);
  const timeline = [
    { id: randomUUID(), who: `customer:${customerId}`, what: `complaint received via ${rnd.pick(CHANNELS)}`, when: at(0) },
    { id: `${instanceId}:4`, who: 'process', what: `classified as ${cls.category}, severity ${cls.severity}`, when: at(1) },
    ...(status === 'open' ? [] : [{ id: `${instanceId}:12`, who: 'process', what: 'dispatched', when: at(30) }]),
    ...(closed || status === 'awaiting_evaluation' ? [{ id: `${instanceId}:38`, who: 'process', what: "resolved: awaiting the customer's evaluation", when: at(2 * 24 * 60) }] : []),
    ...(closed ? [
      { id: `evl-${i}`, who: `customer:${customerId}`, what: `evaluated with ${stars} star(s)`, when: at(3 * 24 * 60) },
      { id: `${instanceId}:51`, who: 'process', what: 'closed', when: at(3 * 24 * 60 + 1) },
    ] : []),
  ];
  const updatedAt = timeline[timeline.length - 1]!.when;
  const complaint: ComplaintRecord = {
    _id: id, channel: rnd.pick(CHANNELS), customerId, customerTier: tier, product: rnd.pick(PRODUCTS), title: cls.title,
    description: `${cls.title}: preloaded complaint ${i}, the customer describes the problem in a few sentences.`,
    location: null, photos: [], category: cls.category, severity: cls.severity, departments: cls.departments,
    engineer: status === 'open' ? null : engineer, status, instanceId, commitments: [],
    evaluations: closed ? [{ id: `evl-${i}`, stars, tags: stars >= 4 ? ['fast'] : ['slow'], comment: null, engineerId: null, at: at(3 * 24 * 60) }] : [],
    attachments: [], timeline, reopenCount: status === 'reopened' ? 1 : 0, loadHolder: closed || status === 'open' ? null : engineer,
    staffUpdates: status === 'open' ? [] : [
      { id: `${instanceId}:12:assign`, staffId: engineer, kind: 'load', amount: 1, state: 'skipped', claimedAt: at(30) },
      ...(closed ? [{ id: `${instanceId}:51:close`, staffId: engineer, kind: 'load' as const, amount: -1, state: 'skipped' as const, claimedAt: updatedAt }] : []),
    ],
    contact: null, dispatchMode: 'auto', engineerChoice: null, rev: timeline.length + 4, createdAt: created, updatedAt,
  };
  const needTechnical = cls.departments.includes('technical');
  const needFinance = cls.departments.includes('finance');
  const steps: Array<[string, string, string, number]> = [
    ['Dispatch', 'Dispatch to an engineer', 'dispatch', 5],
    ['FirstResponse', 'First response to the customer', 'after-sales', 60],
    ['AfterSalesContact', 'After-sales contact', 'after-sales', 24 * 60],
    ...(needTechnical ? [['TechnicalAnalysis', 'Technical analysis', 'technical', 24 * 60] as [string, string, string, number]] : []),
    ...(needFinance ? [['FinanceCompensation', 'Propose compensation', 'finance', 24 * 60] as [string, string, string, number]] : []),
    ['ResolutionSummary', 'Write resolution summary', 'after-sales', 2 * 24 * 60],
  ];
  // Closed lifecycles have all their tasks; the others only the first ones (all done: none open).
  const done = closed || status === 'awaiting_evaluation' ? steps.length : status === 'open' ? 0 : 2;
  const tasks: TaskRecord[] = steps.slice(0, done).map(([elementId, name, group, minutes], k) => ({
    _id: `${instanceId}.${9 + k * 7}`, instanceId, taskKey: String(9 + k * 7), elementId, name, definitionKey: 'complaint-handling',
    state: 'completed', assignee: elementId === 'Dispatch' ? `staff-d${k}` : engineer, candidateGroups: [group], candidateUsers: [],
    dueAt: null, followUpAt: null, formKey: null, createdAt: at(minutes - 5), closedAt: at(minutes), priority: 50,
    sla: elementId === 'FirstResponse' ? { clockKey: 'first-response', state: 'met', paused: false, dueAt: at(4 * 60) } : null, sequence: 5 + k * 2,
  }));
  const instance: InstanceRecord = {
    _id: instanceId, definitionKey: 'complaint-handling', definitionVersion: 1, businessKey: id, status: closed ? 'completed' : 'active',
    activeElements: closed ? [] : [status === 'awaiting_evaluation' ? 'AwaitEvaluation' : 'Resolve'],
    variables: {
      complaintId: id, channel: complaint.channel, customerTier: tier, customerId, product: complaint.product, location: null, onSite: false,
      compensationAutoApproveLimit: 100, reopenCount: complaint.reopenCount, assignee: engineer, recommendations: [], notifyChannel: 'none',
      dispatchMode: 'auto', engineerChoiceTimeout: 'PT4H', category: cls.category, severity: cls.severity, needAfterSales: true, needTechnical,
      needFinance, needLogistics: cls.departments.includes('logistics'), ...(closed ? { stars, resolutionSummary: 'contacted, fixed and followed up', openCommitments: 0 } : {}),
    },
    incidents: [], timers: [], subscriptionKeys: [], openTaskCount: 0, openTaskKeys: [], sequence: 5 + tasks.length * 2 + (closed ? 4 : 0),
    startedAt: at(0), updatedAt,
  };
  return { complaint, instance, tasks };
}

export interface PreloadResult { complaints: number; instances: number; tasks: number; seconds: number }

/**
 * Stores `count` lifecycles in batches of `batch` documents per insertMany (the three
 * collections written side by side), printing `# preload: N/M` progress lines.
 */
export async function preload(mongo: Connection, count: number, batch: number, print: (line: string) => void): Promise<PreloadResult> {
  const started = performance.now();
  const { complaints } = complaintModels(mongo);
  const { instances, tasks } = projectionModels(mongo);
  const rnd = random(20_260_101);
  const now = Date.now();
  const insert = async <T>(model: Model<T>, docs: T[]) => {
    for (let i = 0; i < docs.length; i += batch) {
      const part = docs.slice(i, i + batch);
      let timer: NodeJS.Timeout | undefined;
      const timeout = new Promise<never>((_resolve, reject) => {
        timer = setTimeout(() => reject(new Error(`preload: an insertMany of ${part.length} documents into ${model.collection.name} did not answer within 60 s (lower BENCH_PRELOAD_BATCH)`)), 60_000);
      });
      try {
        await Promise.race([model.insertMany(part, { ordered: false, lean: true }), timeout]);
      } finally {
        clearTimeout(timer);
      }
    }
  };
  const totals = { complaints: 0, instances: 0, tasks: 0 };
  // Progress about every 5 % (and at the end); generation is per chunk to keep memory flat.
  const chunk = Math.max(batch, Math.min(5_000, Math.ceil(count / 20 / batch) * batch));
  for (let done = 0; done < count;) {
    const n = Math.min(chunk, count - done);
    const lifecycles = Array.from({ length: n }, (_, k) => lifecycle(done + k, now, rnd));
    const taskDocs = lifecycles.flatMap((l) => l.tasks);
    await Promise.all([
      insert(complaints, lifecycles.map((l) => l.complaint)),
      insert(instances, lifecycles.map((l) => l.instance)),
      insert(tasks, taskDocs),
    ]);
    done += n;
    totals.complaints += n;
    totals.instances += n;
    totals.tasks += taskDocs.length;
    print(`# preload: ${done}/${count}`);
  }
  return { ...totals, seconds: (performance.now() - started) / 1000 };
}
