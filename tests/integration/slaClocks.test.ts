/**
 * SLA clocks on a time-skipping Temporal test server with the real worker, activities and
 * projection: business-hour breach instants, pause/resume, and the warning/escalation chain
 * firing once each and in order — also when the worker was down across the thresholds.
 * Notifications are asserted where they land: a loopback webhook receiver.
 */
import { readFileSync } from 'node:fs';
import { createServer, type Server } from 'node:http';
import type { AddressInfo } from 'node:net';
import { join } from 'node:path';
import { TestWorkflowEnvironment } from '@temporalio/testing';
import { NativeConnection, Worker } from '@temporalio/worker';
import type mongoose from 'mongoose';
import { createActivities } from '../../activities';
import { addBusinessDuration, businessTimeBetween } from '../../processes/calendar';
import { compileBpmn } from '../../processes/compiler';
import type { ProcessModel } from '../../processes/model';
import { SHIPPED_CALENDARS } from '../../processes/sla/calendars';
import { connectMongo } from '../../server/db/mongo';
import { createLogger } from '../../server/log';
import { ensureSearchAttributes } from '../../server/temporal/connection';
import { wireServices } from '../../server/wiring';
import { completeTaskUpdate, instanceStateQuery } from '../../workflows/processInstance/messages';
import type { InstanceView } from '../../workflows/processInstance/types';
import { quietRuntime, testClient, testEnv, uniqueName } from '../support/servers';

// Real-time waits (the dev-server test below, notifications) on a loaded CI machine.
jest.setTimeout(150_000);

const HOUR = 3_600_000;
const DAY = 24 * HOUR;
const berlin = SHIPPED_CALENDARS.get('berlin-office')!;

interface Received { threshold: number; event: string; clockKey: string }

let env: TestWorkflowEnvironment;
let mongo: mongoose.Connection;
let receiver: Server;
const received: Received[] = [];
let model: ProcessModel;
let xml = '';
let services: ReturnType<typeof wireServices>;
const taskQueue = uniqueName('sla');

/** The next Friday 17:30 in Berlin after `now` (the test server's clock). */
function nextFriday1730Berlin(now: number): number {
  for (let day = 1; day <= 8; day += 1) {
    const d = new Date(now + day * DAY);
    // 16:30 UTC is 17:30 in Berlin in winter (CET), 15:30 UTC in summer (CEST).
    for (const utcHour of [16, 15]) {
      const candidate = Date.UTC(d.getUTCFullYear(), d.getUTCMonth(), d.getUTCDate(), utcHour, 30);
      const wall = new Intl.DateTimeFormat('en-GB', { timeZone: 'Europe/Berlin', weekday: 'short', hour: '2-digit', minute: '2-digit', hourCycle: 'h23' }).format(candidate);
      if (wall === 'Fri 17:30' && candidate > now) return candidate;
    }
  }
  throw new Error('no Friday found');
}

async function startWorker() {
  const worker = await Worker.create({
    connection: env.nativeConnection,
    taskQueue,
    activities: createActivities(services.activityDeps),
    workflowBundle: { codePath: testEnv.workflowBundle },
    sinks: services.sinks,
  });
  const running = worker.run();
  return async () => {
    worker.shutdown();
    await running;
  };
}

async function startInstance(variables: Record<string, unknown> = {}) {
  const workflowId = `pi-${uniqueName('sla')}`;
  return env.client.workflow.start('processInstance', {
    taskQueue,
    workflowId,
    args: [{ definition: { key: model.id, version: 1 }, model, variables }],
  });
}

type Handle = Awaited<ReturnType<typeof startInstance>>;
const view = (h: Handle) => h.query(instanceStateQuery) as Promise<InstanceView>;
const clock = async (h: Handle, key: string) => {
  const found = (await view(h)).slaClocks?.find((c) => c.clockKey === key);
  if (!found) throw new Error(`no clock ${key}`);
  return found;
};
async function complete(h: Handle, elementId: string) {
  const task = (await view(h)).tasks.find((t) => t.elementId === elementId);
  if (!task) throw new Error(`no task at ${elementId}`);
  await h.executeUpdate(completeTaskUpdate, { args: [{ taskKey: task.key }] });
}
/** Waits (polling, no timing assertion) until `check` holds. */
async function eventually(check: () => Promise<boolean> | boolean, what: string): Promise<void> {
  for (let i = 0; i < 400; i += 1) {
    if (await check()) return;
    await new Promise((r) => setTimeout(r, 100));
  }
  throw new Error(`gave up waiting for ${what}`);
}

beforeAll(async () => {
  quietRuntime();
  receiver = createServer((req, res) => {
    let body = '';
    req.on('data', (chunk: Buffer) => (body += chunk.toString('utf8')));
    req.on('end', () => {
      const parsed = JSON.parse(body) as { data: { threshold: number; event: string; clockKey: string } };
      received.push({ threshold: parsed.data.threshold, event: parsed.data.event, clockKey: parsed.data.clockKey });
      res.writeHead(200, { 'content-type': 'application/json' }).end('{}');
    });
  });
  await new Promise<void>((resolve) => receiver.listen(0, '127.0.0.1', resolve));
  const port = (receiver.address() as AddressInfo).port;
  xml = readFileSync(join(__dirname, '..', 'unit', 'sla', 'fixtures', 'sla-clocks.bpmn'), 'utf8').replace(/http:\/\/127\.0\.0\.1:9\//g, `http://127.0.0.1:${port}/`);
  const compiled = await compileBpmn(xml);
  if (!compiled.ok || !compiled.document?.processes[0]) throw new Error(JSON.stringify(compiled.problems));
  model = compiled.document.processes[0];

  env = await TestWorkflowEnvironment.createTimeSkipping({ server: { executable: { type: 'existing-path', path: testEnv.testServerBinary } } });
  await ensureSearchAttributes(env.client, env.namespace ?? 'default');
  mongo = await connectMongo(testEnv.mongoUri, uniqueName('sla').replace(/-/g, '_'));
  services = wireServices({ mongo, temporal: env.client, taskQueue, log: createLogger('silent'), bpmnMaxBytes: 2 * 1024 * 1024, allowedHosts: ['127.0.0.1'] });
  // Every test starts on a Friday 17:30 in Berlin.
  const now = await env.currentTimeMs();
  await env.sleep(nextFriday1730Berlin(now) - now);
});

afterAll(async () => {
  await services?.drainProjections();
  await env?.teardown();
  await mongo?.close();
  await new Promise((resolve) => receiver?.close(resolve));
});

test('a clock started Friday 17:30 with 8 business hours breaches Monday 17:00; 50% and 75% fire at 13:00 and 15:00, once each, in order', async () => {
  const stop = await startWorker();
  try {
    received.length = 0;
    const h = await startInstance();
    const started = await clock(h, 'first-response');
    const monday17 = addBusinessDuration(berlin, started.startedAt, 8 * HOUR);
    expect(new Intl.DateTimeFormat('en-GB', { timeZone: 'Europe/Berlin', weekday: 'short', hour: '2-digit', minute: '2-digit', hourCycle: 'h23' }).format(monday17)).toBe('Mon 17:00');
    expect(started).toMatchObject({ state: 'ok', targetMs: 8 * HOUR, dueAt: monday17 });

    // Step past each threshold and let its notification land before skipping on: the test
    // server skips virtual time while an activity runs, so one long sleep could carry a slow
    // (loaded machine) webhook call past its 90 s start-to-close timeout and every retry.
    const notified = () => received.filter((r) => r.clockKey === 'first-response').length;
    for (const [businessHours, count] of [[4, 1], [6, 2], [8, 3]] as const) {
      const instant = addBusinessDuration(berlin, started.startedAt, businessHours * HOUR);
      await env.sleep(instant + 60_000 - (await env.currentTimeMs()));
      await eventually(() => notified() >= count, `notification ${count} of 3`).catch(async (err: Error) => {
        // Say what the workflow saw, so a failure on a loaded machine can be told apart.
        const pending = (await h.describe()).raw.pendingActivities?.map((a) => ({ attempt: a.attempt, lastFailure: a.lastFailure?.message }));
        throw new Error(`${err.message}; received ${JSON.stringify(received)}; clock ${JSON.stringify(await clock(h, 'first-response'))}; pending ${JSON.stringify(pending)}`);
      });
    }
    await env.sleep(monday17 + HOUR - (await env.currentTimeMs()));
    const fired = await clock(h, 'first-response');
    expect(fired.state).toBe('breached');
    expect(fired.breach?.dueAt).toBe(monday17);
    expect(fired.breach?.escalatedTo).toEqual([expect.stringMatching(/^notify:webhook/), 'group:supervisors']);
    // Each warning fired at its own instant: 13:00 and 15:00 Berlin (4 and 6 business hours in).
    expect(fired.warnings.map((w) => w.threshold)).toEqual([50, 75]);
    expect(fired.warnings[0]!.at).toBeGreaterThanOrEqual(addBusinessDuration(berlin, started.startedAt, 4 * HOUR));
    expect(fired.warnings[0]!.at).toBeLessThan(addBusinessDuration(berlin, started.startedAt, 6 * HOUR));
    expect(fired.breach!.at).toBeGreaterThanOrEqual(monday17);
    expect(received.filter((r) => r.clockKey === 'first-response').map((r) => r.threshold)).toEqual([50, 75, 100]);
    // The breach reassigned the open first-response task to the supervisors and raised its priority at 75%.
    const task = (await view(h)).tasks.find((t) => t.elementId === 'Respond');
    expect(task).toMatchObject({ candidateGroups: ['supervisors'], assignee: null, priority: 75, sla: { clockKey: 'first-response', state: 'breached' } });

    // The projection has the clock and one breach record.
    await services.drainProjections();
    await eventually(async () => (await services.projections.sla.breaches.countDocuments({ instanceId: h.workflowId })) === 1, 'the breach record');
    const record = await services.projections.sla.clocks.findById(`${h.workflowId}.first-response`).lean();
    expect(record).toMatchObject({ state: 'breached', warningsFired: [50, 75], targetMs: 8 * HOUR, metric: 'firstResponse', definitionKey: 'sla-clocks' });
    expect(record?.dueAt?.getTime()).toBe(monday17);
    const breach = await services.projections.sla.breaches.findById(`${h.workflowId}.first-response`).lean();
    expect(breach).toMatchObject({ policyId: 'first-response', escalatedTo: [expect.stringMatching(/^notify:webhook/), 'group:supervisors'] });
    expect(breach?.dueAt.getTime()).toBe(monday17);
    await h.terminate('done');
  } finally {
    await stop();
  }
});

test('pausing three days while waiting on the customer moves the breach by exactly the paused business time', async () => {
  const stop = await startWorker();
  try {
    const control = await startInstance();
    const h = await startInstance();
    await complete(h, 'Respond'); // AwaitCustomer is active: the resolution clock pauses
    const paused = await clock(h, 'resolution');
    expect(paused).toMatchObject({ paused: true, dueAt: null });
    const pausedAt = paused.pausedSince!;
    await env.sleep(3 * DAY);
    await complete(h, 'AwaitCustomer');
    const resumed = await clock(h, 'resolution');
    const resumedAt = resumed.runningSince!;
    const uncontrolled = await clock(control, 'resolution');
    expect(resumed.paused).toBe(false);
    expect(resumed.pausedMs).toBe(resumedAt - pausedAt);
    expect(resumed.pausedMs).toBeGreaterThanOrEqual(3 * DAY);
    // The control instance (no pause) is due 16 business hours after its start; the paused one
    // exactly the business time of the pause later.
    const pausedBusiness = businessTimeBetween(berlin, pausedAt, resumedAt);
    expect(pausedBusiness).toBeGreaterThan(0);
    expect(resumed.dueAt).toBe(addBusinessDuration(berlin, resumedAt, 16 * HOUR - paused.consumedMs));
    expect(businessTimeBetween(berlin, uncontrolled.dueAt!, resumed.dueAt!)).toBe(
      pausedBusiness + businessTimeBetween(berlin, uncontrolled.startedAt, resumed.startedAt),
    );
    await h.terminate('done');
    await control.terminate('done');
  } finally {
    await stop();
  }
});

/*
 * The time-skipping server holds its clock while a workflow task waits for a worker, so
 * "the worker was down across the thresholds" runs on the dev server in real time, with a
 * 24/7 calendar and a 6-second target (50% at 3 s, 75% at 4.5 s, breach at 6 s).
 */
test('with the worker down across 50%, 75% and the breach, each fires exactly once, in order, when it is back', async () => {
  const fast = await compileBpmn(xml.replace(/calendar="berlin-office"/g, 'calendar="around-the-clock"').replace('<sla:target duration="PT8H" />', '<sla:target duration="PT6S" />'));
  const fastModel = fast.document?.processes[0];
  if (!fastModel) throw new Error(JSON.stringify(fast.problems));
  const client = await testClient();
  const connection = await NativeConnection.connect({ address: testEnv.temporalAddress });
  const queue = uniqueName('sla-down');
  const run = async () => {
    const worker = await Worker.create({ connection, taskQueue: queue, activities: createActivities(services.activityDeps), workflowBundle: { codePath: testEnv.workflowBundle }, sinks: services.sinks });
    const running = worker.run();
    return async () => {
      worker.shutdown();
      await running;
    };
  };
  try {
    let stop = await run();
    received.length = 0;
    const h = await client.workflow.start('processInstance', {
      taskQueue: queue,
      workflowId: `pi-${uniqueName('sla')}`,
      args: [{ definition: { key: fastModel.id, version: 1 }, model: fastModel, variables: {} }],
    });
    const started = (await h.query(instanceStateQuery)).slaClocks?.find((c) => c.clockKey === 'first-response');
    expect(started).toMatchObject({ state: 'ok', targetMs: 6000, next: { threshold: 50 } });
    await stop();
    // Nobody runs workflow tasks while the clock passes every threshold.
    const breachAt = started!.dueAt!;
    await eventually(() => Date.now() > breachAt + 1000, 'the breach instant to pass');
    expect(received).toEqual([]);
    stop = await run();
    try {
      await eventually(async () => (await h.query(instanceStateQuery)).slaClocks?.find((c) => c.clockKey === 'first-response')?.state === 'breached', 'the breach');
      await eventually(() => received.length >= 3, 'three notifications');
      // Let any duplicate arrive (the workflow is idle once its jobs completed), then count.
      await eventually(async () => (await h.describe()).raw.pendingActivities?.length === 0, 'the notification jobs to finish');
      expect(received.map((r) => [r.event, r.threshold])).toEqual([['sla.warning', 50], ['sla.warning', 75], ['sla.breach', 100]]);
      const fired = (await h.query(instanceStateQuery)).slaClocks?.find((c) => c.clockKey === 'first-response');
      expect(fired?.warnings.map((w) => w.threshold)).toEqual([50, 75]);
      expect(fired?.breach?.dueAt).toBe(breachAt);
      // All three fired in the one workflow task that ran when the worker came back.
      expect(new Set([...fired!.warnings.map((w) => w.at), fired!.breach!.at]).size).toBe(1);
      expect(fired!.breach!.at).toBeGreaterThan(breachAt);
      await h.terminate('done');
    } finally {
      await stop();
    }
  } finally {
    await connection.close();
    await client.connection.close();
  }
});
