/**
 * Several processes against one Temporal and one database, as users run them once one machine
 * is not enough: two API-only processes (`SERVICE_ROLE=api npm start`) and two workers
 * (`npm run worker`), all real child processes of the built service, started at the same
 * moment against the test run's Temporal dev server and FerretDB. Complaints are filed through
 * both APIs, their tasks claimed through one and completed through the other, a photo stored
 * through one is downloaded through the other, a customer link made by one opens on the
 * other, and both answer the same SLA overview — which only the SLA feed can have told them,
 * since neither re-reads the clocks after its first read at start.
 */
import { randomBytes } from 'node:crypto';
import fs from 'node:fs';
import path from 'node:path';
import type { Connection } from 'mongoose';
import { connectMongo } from '../../server/db/mongo';
import { waitUntil } from '../../server/infra/ports';
import { testPort } from '../support/ports';
import { slaModels } from '../../server/projections/slaModels';
import { spawnService, waitForHealthy, workerScript, type RunningService } from '../support/serviceProcess';
import { testEnv, uniqueName } from '../support/servers';
import { DEPARTMENT_TASKS, intake, type ComplaintDetail, type TaskItem } from './complaintSupport';

const ADMIN = { email: 'admin@example.com', password: 'multi-process-admin' };

interface Answer<T> { status: number; body: T; headers: Headers; bytes: Buffer }

/** A signed-in client of one API process. */
function client(port: string) {
  let token = '';
  const call = async <T = unknown>(method: string, url: string, body?: unknown, headers: Record<string, string> = {}): Promise<Answer<T>> => {
    const binary = Buffer.isBuffer(body);
    const res = await fetch(`http://127.0.0.1:${port}${url}`, {
      method,
      headers: { ...(token ? { authorization: `Bearer ${token}` } : {}), ...(body !== undefined && !binary ? { 'content-type': 'application/json' } : {}), ...headers },
      ...(body !== undefined ? { body: binary ? new Uint8Array(body) : JSON.stringify(body) } : {}),
    });
    const bytes = Buffer.from(await res.arrayBuffer());
    const text = bytes.toString('utf8');
    let parsed: unknown = text;
    try {
      parsed = JSON.parse(text);
    } catch {
      // not JSON (a download)
    }
    return { status: res.status, body: parsed as T, headers: res.headers, bytes };
  };
  return {
    port,
    call,
    async login() {
      const res = await call<{ token: string }>('POST', '/api/auth/login', ADMIN);
      if (res.status !== 200) throw new Error(`login on ${port} answered ${res.status}`);
      token = res.body.token;
    },
    /** Polls until `predicate` holds for the answer to GET `url`. */
    async until<T>(url: string, predicate: (body: T) => boolean, what: string, timeoutMs = 60_000): Promise<T> {
      let last: unknown;
      await waitUntil(what, async () => {
        const res = await call<T>('GET', url);
        last = res.body;
        return res.status === 200 && predicate(res.body);
      }, timeoutMs, 200).catch((err: Error) => {
        throw new Error(`${err.message}; last answer from ${port}: ${JSON.stringify(last).slice(0, 2000)}`);
      });
      return last as T;
    },
  };
}
type Client = ReturnType<typeof client>;

const openTaskAt = (c: Client, complaintId: string, elementId: string) =>
  c.until<ComplaintDetail>(`/api/complaints/${complaintId}`, (d) => d.tasks.some((t) => t.elementId === elementId && (t.state === 'open' || t.state === 'claimed')), `${elementId} open`)
    .then((d) => d.tasks.find((t) => t.elementId === elementId && (t.state === 'open' || t.state === 'claimed'))!);

describe('two API processes and two workers on one Temporal and one database', () => {
  const children: Array<{ name: string; service: RunningService }> = [];
  let mongo: Connection;
  let apis: [Client, Client];
  let dir: string;
  const database = uniqueName('multiproc').replace(/-/g, '_');

  beforeAll(async () => {
    dir = fs.mkdtempSync(path.join(testEnv.dir, 'multiproc-'));
    const shared = {
      TEMPORAL_ADDRESS: testEnv.temporalAddress,
      MONGODB_URI: testEnv.mongoUri,
      MONGODB_DATABASE: database,
      TEMPORAL_TASK_QUEUE: uniqueName('multiproc'),
      CUSTOMER_LINK_KEY: randomBytes(32).toString('hex'),
      // One set of payload keys for all four, as for the link key (decision 0023).
      PAYLOAD_KEYS: `k1:${randomBytes(32).toString('hex')}`,
      PUBLIC_BASE_URL: 'https://complaints.example.com',
      ADMIN_EMAIL: ADMIN.email,
      ADMIN_PASSWORD: ADMIN.password,
      NODE_ENV: 'test',
      LOG_LEVEL: 'warn',
      // After the first read at start, only the SLA feed can bring clock changes to an API.
      SLA_INDEX_REFRESH_SECONDS: '0',
      SLA_INDEX_FOLLOW_SECONDS: '0.5',
    };
    const ports = [String(await testPort()), String(await testPort())];
    const own = (name: string) => {
      fs.mkdirSync(path.join(dir, name));
      return path.join(dir, name);
    };
    // All four at the same moment: start-up work (admin, shipped processes, backfills) races for real.
    children.push(
      { name: 'api-1', service: spawnService({ ...shared, SERVICE_ROLE: 'api', PORT: ports[0]!, DATA_DIR: own('api-1') }) },
      { name: 'api-2', service: spawnService({ ...shared, SERVICE_ROLE: 'api', PORT: ports[1]!, DATA_DIR: own('api-2') }) },
      { name: 'worker-1', service: spawnService({ ...shared, DATA_DIR: own('worker-1') }, workerScript) },
      { name: 'worker-2', service: spawnService({ ...shared, DATA_DIR: own('worker-2') }, workerScript) },
    );
    // Healthy includes a probe workflow on the task queue: some worker serves it.
    await Promise.all(ports.map((port, i) => waitForHealthy(port, children[i]!.service, 180_000)));
    apis = [client(ports[0]!), client(ports[1]!)];
    await Promise.all(apis.map((api) => api.login()));
    mongo = await connectMongo(testEnv.mongoUri, database);
  }, 240_000);

  afterAll(async () => {
    // Every child is stopped, whatever happened: SIGKILL for any that did not stop on SIGTERM.
    for (const { service } of children) if (service.child.exitCode === null && service.child.signalCode === null) service.child.kill('SIGKILL');
    await Promise.all(children.map(({ service }) => service.exited));
    await mongo?.close();
  });

  /** A failure says what the children printed (warnings and errors: LOG_LEVEL=warn). */
  const explained = (test: () => Promise<void>) => async () => {
    try {
      await test();
    } catch (err) {
      const outputs = children.map(({ name, service }) => `--- ${name}:\n${service.output().slice(-4000)}`).join('\n');
      throw new Error(`${err instanceof Error ? err.message : String(err)}\n${outputs}`);
    }
  };

  it('serves complaints, tasks, photos, links and the SLA overview the same through either API', explained(async () => {
    const [one, two] = apis;
    // given processes that all started at once: one admin account, one version of each shipped process
    expect(await mongo.collection('users').countDocuments({ roles: 'admin' })).toBe(1);
    for (const key of ['complaint-handling', 'low-score-alert', 'commitment-fulfilment']) {
      expect(await mongo.collection('definition_versions').countDocuments({ key })).toBe(1);
    }
    const filedFrom = Date.now();
    // given a complaint filed through each API
    const first = await one.call<{ id: string }>('POST', '/api/complaints', intake('cust-multi-1'));
    const second = await two.call<{ id: string }>('POST', '/api/complaints', intake('cust-multi-2'));
    expect([first.status, second.status]).toEqual([201, 201]);
    const ids = [first.body.id, second.body.id] as const;

    // when each one's dispatch task is claimed through one API and completed through the other,
    // and its first response is given through the API it was not filed through
    for (const [id, claimVia, completeVia] of [[ids[0], two, one], [ids[1], one, two]] as const) {
      const dispatch: TaskItem = await openTaskAt(claimVia, id, 'Dispatch');
      expect((await claimVia.call('POST', `/api/tasks/${dispatch.id}/claim`, { assignee: 'eng-multi' })).status).toBe(204);
      await completeVia.until<ComplaintDetail>(`/api/complaints/${id}`, (d) => d.tasks.some((t) => t.id === dispatch.id && t.assignee === 'eng-multi'), 'claim visible on the other API');
      const done = await completeVia.call('POST', `/api/tasks/${dispatch.id}/complete`, { variables: { assignee: 'eng-multi' } });
      expect(done.status).toBe(200);
      const response = await openTaskAt(claimVia, id, 'FirstResponse');
      const answered = await claimVia.call('POST', `/api/tasks/${response.id}/complete`, { variables: {} });
      expect(answered.status).toBe(200);
      // and the departments' work (a defect: all four, open since intake) is done through the API it was filed through
      for (const [elementId, variables] of Object.values(DEPARTMENT_TASKS)) {
        const work = await openTaskAt(completeVia, id, elementId);
        expect((await completeVia.call('POST', `/api/tasks/${work.id}/complete`, { variables })).status).toBe(200);
      }
    }
    // then both APIs see both complaints at their next step, with the earlier tasks completed
    for (const api of apis) {
      for (const id of ids) {
        // The read model is written per document (a new task's insert and the previous one's
        // close go out side by side), so the whole expected state is waited for, not its first sign.
        const settled = (d: ComplaintDetail) => d.tasks.some((t) => t.elementId === 'ResolutionSummary' && t.state === 'claimed' && t.assignee === 'eng-multi')
          && ['Dispatch', 'FirstResponse', 'AfterSalesContact'].every((element) => d.tasks.some((t) => t.elementId === element && t.state === 'completed'));
        const detail = await api.until<ComplaintDetail>(`/api/complaints/${id}`, settled, 'resolution summary waiting for its engineer, dispatch and first response completed');
        expect(detail.tasks.filter((t) => t.elementId !== 'ResolutionSummary').map((t) => [t.elementId, t.state])).toEqual(expect.arrayContaining([['Dispatch', 'completed'], ['FirstResponse', 'completed']]));
        expect(detail.tasks.filter((t) => t.state === 'open' || t.state === 'claimed').map((t) => t.elementId)).toEqual(['ResolutionSummary']);
      }
    }

    // when a photo of two chunks is uploaded through the first API
    const photo = Buffer.concat([Buffer.from([0xff, 0xd8, 0xff, 0xe0]), randomBytes(1_500_000)]);
    const stored = await one.call<{ id: string; size: number }>('POST', `/api/complaints/${ids[0]}/attachments?filename=kettle.jpg`, photo, { 'content-type': 'image/jpeg' });
    expect(stored.status).toBe(201);
    // then the second API streams the same bytes back, as a download
    const download = await two.call('GET', `/api/complaints/${ids[0]}/attachments/${stored.body.id}`);
    expect(download.status).toBe(200);
    expect(download.bytes.equals(photo)).toBe(true);
    expect(download.headers.get('content-type')).toBe('image/jpeg');
    expect(download.headers.get('content-length')).toBe(String(photo.length));
    expect(download.headers.get('content-disposition')).toBe('attachment; filename="kettle.jpg"');
    // and nothing was written to either API's disk
    for (const name of ['api-1', 'api-2']) expect(fs.existsSync(path.join(dir, name, 'attachments'))).toBe(false);

    // when the first API makes a customer link, the second accepts it (one shared CUSTOMER_LINK_KEY)
    const link = await one.call<{ token: string }>('POST', `/api/complaints/${ids[0]}/customer-link`, {});
    expect(link.status).toBe(201);
    const asCustomer = client(two.port);
    const opened = await asCustomer.call<{ id: string }>('GET', `/api/complaints/${ids[0]}`, undefined, { authorization: `Bearer ${link.body.token}` });
    expect(opened.status).toBe(200);
    expect(opened.body.id).toBe(ids[0]);

    // then both APIs answer the same SLA overview, and it is what the database holds
    const clocks = slaModels(mongo).clocks;
    const truth = async () => {
      const all = await clocks.find({}, { state: 1 }).lean();
      const totals = { ok: 0, at_risk: 0, breached: 0, met: 0 };
      for (const c of all) totals[c.state] += 1;
      return { clocks: all.length, totals };
    };
    interface Overview { clocks: number; totals: Record<string, number>; indexedAt: string | null; byDepartment: unknown[]; breachingNext: Array<{ instanceId: string }> }
    let overviews: Overview[] = [];
    let expected = await truth();
    await waitUntil('the same overview from both APIs', async () => {
      expected = await truth();
      overviews = await Promise.all(apis.map(async (api) => (await api.call<Overview>('GET', '/api/sla/overview')).body));
      return overviews.every((o) => o.clocks === expected.clocks && JSON.stringify(o.totals) === JSON.stringify(expected.totals));
    }, 30_000, 250).catch((err: Error) => {
      throw new Error(`${err.message}: database ${JSON.stringify(expected)}, APIs ${JSON.stringify(overviews.map((o) => ({ clocks: o.clocks, totals: o.totals })))}`);
    });
    expect(expected.clocks).toBeGreaterThanOrEqual(4);
    expect(expected.totals.met).toBeGreaterThanOrEqual(2);
    expect(overviews[0]!.breachingNext.map((b) => b.instanceId).sort()).toEqual(overviews[1]!.breachingNext.map((b) => b.instanceId).sort());
    expect(overviews[0]!.byDepartment).toEqual(overviews[1]!.byDepartment);
    // and neither read the clocks again after its first read, before anything was filed
    for (const o of overviews) expect(Date.parse(o.indexedAt!)).toBeLessThan(filedFrom);
  }), 240_000);

  it('stops every process cleanly on SIGTERM', async () => {
    for (const { service } of children) service.child.kill('SIGTERM');
    const exits = await Promise.all(children.map(async ({ name, service }) => ({ name, ...(await service.exited) })));
    expect(exits).toEqual(children.map(({ name }) => ({ name, code: 0, signal: null })));
  });
});
