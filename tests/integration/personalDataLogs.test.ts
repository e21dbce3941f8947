/**
 * Personal data (issue 12, item 3) against `npm start` as users run it: the built service with
 * its embedded Temporal, PostgreSQL and FerretDB writes no personal data to any log, and hands
 * Temporal only ciphertext (the codec endpoint decodes it for operators).
 */
import fs from 'node:fs';
import path from 'node:path';
import { Client as TemporalClient, Connection } from '@temporalio/client';
import { Client as PgClient } from 'pg';
import { connectMongo } from '../../server/db/mongo';
import { waitUntil } from '../../server/infra/ports';
import { allLogs, client, startOnLooseDataDir, stopService } from '../support/personalDataService';
import type { RunningService, ServiceEnv } from '../support/serviceProcess';
import type { ComplaintDetail, TaskItem } from './complaintSupport';

/** Values that must appear nowhere the service writes logs (and, but for ids, nowhere in plain history). */
const MARKERS = {
  customerName: 'Zelda Quixmarker',
  customerId: 'cust-zq7marker',
  email: 'zq7.marker@example.org',
  phone: '+86 139 7707 4219',
  description: 'ZQ7-DESCRIPTION the kettle smells of burnt plastic',
  address: 'ZQ7-ADDRESS 9 Marker Road',
  lat: 31.2345671,
  lon: 121.7654329,
  verbatim: 'ZQ7-VERBATIM the technician shouted at my mother',
  commitment: 'ZQ7-COMMITMENT call back her daughter on Sunday',
};
const markerTexts = () => [
  MARKERS.customerName, MARKERS.customerId, MARKERS.email, MARKERS.phone, MARKERS.phone.replace(/\s/g, ''), MARKERS.description,
  MARKERS.address, String(MARKERS.lat), String(MARKERS.lon), MARKERS.verbatim, MARKERS.commitment,
];

describe('personal data under npm start', () => {
  let service: RunningService;
  let env: ServiceEnv;
  /** The lifecycle the log test drives, for the history test. */
  const filedIds: { complaint?: string; feedbackInstance?: string } = {};

  beforeAll(async () => {
    ({ service, env } = await startOnLooseDataDir());
  }, 240_000);

  afterAll(async () => {
    await stopService(service);
  }, 30_000);

  it('writes no personal data to any log, also when the database refuses projection and complaint writes', async () => {
    const api = client(env.PORT);
    await api.login();
    // given a customer with a name in the directory
    const mongo = await connectMongo(`mongodb://127.0.0.1:${env.EMBEDDED_FERRETDB_PORT}/`, 'complaint_bpm', { maxPoolSize: 2 });
    await mongo.collection('customers').insertOne({ _id: MARKERS.customerId as never, name: MARKERS.customerName, tier: 'standard' });
    await mongo.close();
    // and a complaint with contact details, an address and free text
    const filed = await api.call<{ id: string }>('POST', '/api/complaints', {
      channel: 'app', customer: { id: MARKERS.customerId, tier: 'standard' }, product: 'Kettle K2', title: 'Kettle smells',
      description: MARKERS.description, location: { lat: MARKERS.lat, lon: MARKERS.lon, address: MARKERS.address },
      contact: { email: MARKERS.email, phone: MARKERS.phone },
    });
    expect(filed.status).toBe(201);
    const id = filed.body.id;
    filedIds.complaint = id;
    const openAt = (elementId: string) => api.until<ComplaintDetail>(`/api/complaints/${id}`,
      (d) => d.tasks.some((t) => t.elementId === elementId && (t.state === 'open' || t.state === 'claimed')), `${elementId} open`)
      .then((d) => d.tasks.find((t) => t.elementId === elementId && (t.state === 'open' || t.state === 'claimed'))!);
    const dispatch: TaskItem = await openAt('Dispatch');

    // when the database refuses every write of instances and complaints (a trigger in PostgreSQL)
    const password = fs.readFileSync(path.join(env.DATA_DIR, 'postgres.password'), 'utf8').trim();
    const pgPort = /PostgreSQL\s+127\.0\.0\.1:(\d+)/.exec(service.output())?.[1];
    expect(pgPort).toBeDefined();
    const pg = new PgClient({ host: '127.0.0.1', port: Number(pgPort), user: 'ferretdb', password, database: 'postgres' });
    await pg.connect();
    try {
      const tables = await pg.query<{ name: string; table: string }>(
        `SELECT _jsonb->>'_id' AS name, _jsonb->>'table' AS table FROM complaint_bpm._ferretdb_database_metadata WHERE _jsonb->>'_id' IN ('instances', 'complaints')`);
      expect(tables.rows.map((r) => r.name).sort()).toEqual(['complaints', 'instances']);
      await pg.query(`CREATE OR REPLACE FUNCTION zq7_refuse() RETURNS trigger LANGUAGE plpgsql AS $$ BEGIN RAISE EXCEPTION 'refused by the test'; END $$`);
      for (const { table } of tables.rows) {
        await pg.query(`CREATE TRIGGER zq7_refuse BEFORE INSERT OR UPDATE ON complaint_bpm."${table}" FOR EACH ROW EXECUTE FUNCTION zq7_refuse()`);
      }
      // and the lifecycle goes on: the dispatch is accepted, a commitment is made, low-score feedback comes in
      expect((await api.call('POST', `/api/tasks/${dispatch.id}/claim`, { assignee: 'eng-zq7' })).status).toBe(204);
      expect((await api.call('POST', `/api/tasks/${dispatch.id}/complete`, { variables: { assignee: 'eng-zq7' } })).status).toBe(200);
      const commitment = await api.call('POST', `/api/complaints/${id}/commitments`, {
        kind: 'call-back', description: MARKERS.commitment, dueAt: new Date(Date.now() + 86_400_000).toISOString(), ownerDepartment: 'after-sales',
      });
      expect(commitment.status).toBeGreaterThanOrEqual(400);
      const feedback = await api.call<{ alert: { instanceId: string } | null }>('POST', '/api/feedback', { touchpoint: 'store-zq7', score: 1, verbatim: MARKERS.verbatim, customerId: MARKERS.customerId });
      expect(feedback.status).toBe(201);
      filedIds.feedbackInstance = feedback.body.alert?.instanceId;
      // then the failures are logged: the refused request, the job that could not record the complaint's
      // progress, FerretDB's failed statements. (A refused projection write is not logged at all:
      // the bulk writes take FerretDB's refusal for success — noted in the report of issue 12.)
      await waitUntil('the failed request and job logged', () => Promise.resolve(
        service.output().includes('unhandled error in HTTP request') && service.output().includes('Activity failed')), 60_000, 200);
      await waitUntil('FerretDB logged a failed statement', () => Promise.resolve(
        fs.readFileSync(path.join(env.DATA_DIR, 'logs', 'ferretdb.log'), 'utf8').includes('refused by the test')), 30_000, 200);
    } finally {
      await pg.query('DROP FUNCTION IF EXISTS zq7_refuse() CASCADE');
      await pg.end();
    }
    // and once the database takes writes again, an operator resolves the incident of the record
    // job if its attempts ran out while writes were refused (the task completion answers once the
    // job's attempts in that workflow task are over, decision 0061), and the projection catches up
    const instanceId = `pi-${id.slice('cmp-'.length)}`;
    const live = await api.call<{ incidents: Array<{ id: string }> }>('GET', `/api/instances/${instanceId}`);
    for (const incident of live.body.incidents) {
      expect((await api.call('POST', `/api/instances/${instanceId}/incidents/${incident.id}/resolve`)).status).toBe(204);
    }
    await openAt('FirstResponse');

    // when an operator sets a variable whose value has keys FerretDB refuses to store (a dot, a
    // leading $): every projection write of that instance fails, carrying the instance's variables
    const second = await api.call<{ id: string }>('POST', '/api/complaints', {
      channel: 'phone', customer: { id: MARKERS.customerId, tier: 'standard' }, product: 'Kettle K2', title: 'Kettle again',
      description: MARKERS.description, contact: { email: MARKERS.email, phone: MARKERS.phone },
    });
    expect(second.status).toBe(201);
    const secondInstance = `pi-${second.body.id.replace(/^cmp-/, '')}`;
    await api.until(`/api/instances/${secondInstance}`, () => true, 'second instance projected');
    const set = await api.call('PUT', `/api/instances/${secondInstance}/variables`, {
      variables: { callBackNote: { 'phone.number': MARKERS.phone, $email: MARKERS.email, text: MARKERS.commitment } },
    });
    expect(set.status).toBe(204);
    // then the failed projection write is logged
    await waitUntil('a failed projection write logged', () => Promise.resolve(service.output().includes('projection write failed')), 60_000, 200);

    // then no log line of the service, the worker, Temporal, PostgreSQL or FerretDB holds any of it
    const logs = allLogs(service, env.DATA_DIR);
    // (as written, and as the hex FerretDB prints statement arguments in)
    const found = markerTexts().flatMap((m) => [m, Buffer.from(m).toString('hex')]).filter((marker) => logs.toLowerCase().includes(marker.toLowerCase()));
    expect(found).toEqual([]);
  }, 180_000);

  it('hands Temporal only ciphertext: the raw history shows no location, customer id or free text, the codec endpoint decodes it for operators', async () => {
    // given the complaint and the low-score feedback of the test before
    const complaintInstance = `pi-${filedIds.complaint!.replace(/^cmp-/, '')}`;
    expect(filedIds.feedbackInstance).toMatch(/^pi-/);
    // when their histories are read from Temporal without the service's codec, as its Web UI or CLI would
    const raw = new TemporalClient({ connection: await Connection.connect({ address: `127.0.0.1:${env.EMBEDDED_TEMPORAL_PORT}` }) });
    let rawText = '';
    let firstInput: { metadata?: Record<string, Uint8Array> | null; data?: Uint8Array | null } | undefined;
    try {
      for (const workflowId of [complaintInstance, filedIds.feedbackInstance!]) {
        const history = await raw.workflow.getHandle(workflowId).fetchHistory();
        rawText += bytesAndText(history);
        firstInput ??= history.events?.[0]?.workflowExecutionStartedEventAttributes?.input?.payloads?.[0] ?? undefined;
      }
    } finally {
      await raw.connection.close();
    }
    // then none of the personal data is there in plain text, and the payloads are encrypted
    const found = [MARKERS.customerId, String(MARKERS.lat), String(MARKERS.lon), MARKERS.verbatim, MARKERS.description, MARKERS.address, MARKERS.email]
      .filter((marker) => rawText.includes(marker));
    expect(found).toEqual([]);
    expect(rawText).toContain('binary/encrypted');
    expect(firstInput).toBeDefined();

    // when someone asks the codec endpoint to decode the start input
    const body = { payloads: [{
      metadata: Object.fromEntries(Object.entries(firstInput!.metadata ?? {}).map(([k, v]) => [k, Buffer.from(v).toString('base64')])),
      data: Buffer.from(firstInput!.data ?? []).toString('base64'),
    }] };
    const api = client(env.PORT);
    // then without a token, or as an agent, it is refused
    expect((await api.call('POST', '/api/codec/decode', body)).status).toBe(401);
    await api.login();
    const agent = { email: 'agent-zq7@example.com', password: 'agent zq7 passphrase', name: 'Agent', roles: ['agent'], groups: ['after-sales'], staffId: 'agent-zq7' };
    expect((await api.call('POST', '/api/users', agent)).status).toBe(201);
    const asAgent = client(env.PORT);
    const agentLogin = await asAgent.call<{ token: string }>('POST', '/api/auth/login', { email: agent.email, password: agent.password });
    expect(agentLogin.status).toBe(200);
    const agentDecode = await fetch(`http://127.0.0.1:${env.PORT}/api/codec/decode`, {
      method: 'POST', headers: { authorization: `Bearer ${agentLogin.body.token}`, 'content-type': 'application/json' }, body: JSON.stringify(body),
    });
    expect(agentDecode.status).toBe(403);
    // and the admin gets the plain payload: the process variables with the customer id
    const decoded = await api.call<{ payloads: Array<{ metadata: Record<string, string>; data: string }> }>('POST', '/api/codec/decode', body);
    expect(decoded.status).toBe(200);
    expect(Buffer.from(decoded.body.payloads[0]!.metadata.encoding!, 'base64').toString()).toBe('json/plain');
    expect(Buffer.from(decoded.body.payloads[0]!.data, 'base64').toString()).toContain(MARKERS.customerId);
    // and a payload that is not valid base64 is a 400 naming the field
    const bad = await api.call<{ fields?: Array<{ path: string }> }>('POST', '/api/codec/decode', { payloads: [{ data: 'not base64!' }] });
    expect(bad.status).toBe(400);
    // and the instance history, derived by replaying the encrypted history, still answers
    const history = await api.call<unknown[]>('GET', `/api/instances/${complaintInstance}/history`);
    expect(history.status).toBe(200);
    expect(Array.isArray(history.body) ? history.body.length : JSON.stringify(history.body).length).toBeGreaterThan(0);
  }, 120_000);
});

/** Every string and byte field of a Temporal history (bytes as latin1, so plain JSON inside shows). */
function bytesAndText(value: unknown): string {
  if (value instanceof Uint8Array) return Buffer.from(value).toString('latin1');
  if (typeof value === 'string') return value;
  if (Array.isArray(value)) return value.map(bytesAndText).join('\n');
  if (value && typeof value === 'object') return Object.values(value as Record<string, unknown>).map(bytesAndText).join('\n');
  return '';
}
