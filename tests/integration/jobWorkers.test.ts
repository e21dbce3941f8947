/**
 * Jobs of external workers through the public HTTP API on the real servers: a task type
 * outside the activity catalog compiles with a warning and waits, visible, for a worker; a
 * worker in another process activates, fails once and completes; locks expire and the job is
 * handed out again; failures with no retries left raise an incident that resolving with new
 * retries hands out again; BPMN errors are caught by a boundary event or become incidents;
 * retries and timeouts can be updated; bad requests get 4xx and change nothing.
 */
import { spawn, type ChildProcess } from 'node:child_process';
import fs from 'node:fs';
import path from 'node:path';
import { eventually, startStack, type Stack } from '../support/stack';
import { uniqueName } from '../support/servers';
import type { Api } from '../support/auth';

interface ActivatedJob { jobKey: string; type: string; processInstanceId: string; elementId: string; retries: number; deadline: number; worker: string; variables: Record<string, unknown>; customHeaders: Record<string, string> }
interface JobPage { items: Array<{ jobKey: string; type: string; state: string; instanceId: string; elementId: string; retries: number; worker: string | null; deadline: string | null; errorMessage: string | null }>; total: number }
interface Instance { status: string; variables: Record<string, unknown>; activeElements: string[]; incidents: Array<{ id: string; type: string; message: string; elementId: string }>; jobs?: Array<{ key: string; state: string; retries: number }> }

const WORKER_SCRIPT = path.resolve(__dirname, '../support/jobWorker.cjs');
const CLIENT = path.resolve(__dirname, '../../dist/server/jobs/client.js');

/** start → service task of `type` (with an error boundary `caught` for code `REJECTED`) → end. */
function diagram(id: string, type: string, options: { retries?: number; boundary?: boolean } = {}): string {
  const boundary = options.boundary
    ? `<bpmn:boundaryEvent id="caught" attachedToRef="work"><bpmn:outgoing>f3</bpmn:outgoing><bpmn:errorEventDefinition errorRef="err" /></bpmn:boundaryEvent>
    <bpmn:endEvent id="rejected"><bpmn:incoming>f3</bpmn:incoming></bpmn:endEvent>
    <bpmn:sequenceFlow id="f3" sourceRef="caught" targetRef="rejected" />`
    : '';
  return `<?xml version="1.0" encoding="UTF-8"?>
<bpmn:definitions xmlns:bpmn="http://www.omg.org/spec/BPMN/20100524/MODEL" xmlns:zeebe="http://camunda.org/schema/zeebe/1.0" id="defs" targetNamespace="http://example.com/bpmn">
  <bpmn:error id="err" name="Rejected" errorCode="REJECTED" />
  <bpmn:process id="${id}" isExecutable="true">
    <bpmn:startEvent id="start"><bpmn:outgoing>f1</bpmn:outgoing></bpmn:startEvent>
    <bpmn:serviceTask id="work" name="Work">
      <bpmn:extensionElements>
        <zeebe:taskDefinition type="${type}" retries="${options.retries ?? 3}" />
        <zeebe:taskHeaders><zeebe:header key="channel" value="fax" /></zeebe:taskHeaders>
      </bpmn:extensionElements>
      <bpmn:incoming>f1</bpmn:incoming><bpmn:outgoing>f2</bpmn:outgoing>
    </bpmn:serviceTask>
    ${boundary}
    <bpmn:endEvent id="done"><bpmn:incoming>f2</bpmn:incoming></bpmn:endEvent>
    <bpmn:sequenceFlow id="f1" sourceRef="start" targetRef="work" />
    <bpmn:sequenceFlow id="f2" sourceRef="work" targetRef="done" />
  </bpmn:process>
</bpmn:definitions>`;
}

describe('jobs of external workers', () => {
  let stack: Stack;
  let integration: Api;

  const deploy = async (id: string, type: string, options?: { retries?: number; boundary?: boolean }) => {
    const res = await stack.api<{ warnings: Array<{ elementId: string; severity: string; message: string }> }>('POST', '/api/definitions', diagram(id, type, options), 'application/xml');
    expect(res.status).toBe(201);
    return res.body;
  };
  const start = async (key: string, variables: Record<string, unknown> = {}) => {
    const res = await stack.api<{ instanceId: string }>('POST', `/api/processes/${key}/instances`, { variables });
    expect(res.status).toBe(201);
    return res.body.instanceId;
  };
  const activate = async (type: string, extra: Record<string, unknown> = {}) => {
    const res = await integration<{ jobs: ActivatedJob[] }>('POST', '/api/jobs/activation', { type, worker: 'test', timeout: 60_000, maxJobsToActivate: 5, requestTimeout: 20_000, ...extra });
    expect(res.status).toBe(200);
    return res.body.jobs;
  };
  const instance = async (id: string) => (await stack.api<Instance>('GET', `/api/instances/${id}`)).body;
  const until = (id: string, predicate: (i: Instance) => boolean, what: string) => eventually<Instance>(stack, `/api/instances/${id}`, predicate, what);

  beforeAll(async () => {
    stack = await startStack();
    integration = stack.as('integration');
  });

  afterAll(async () => {
    await stack?.stop();
  });

  it('deploys an unknown type with a warning and keeps its jobs visible as activatable while no worker takes them', async () => {
    const key = uniqueName('jobs-waiting');
    const type = `${key}.nobody`;
    const deployed = await deploy(key, type);
    expect(deployed.warnings).toContainEqual(expect.objectContaining({ elementId: 'work', severity: 'warning', message: expect.stringContaining('served by an external worker') }));
    const id = await start(key);
    const page = await eventually<JobPage>(stack, `/api/jobs?type=${type}&state=activatable`, (p) => p.total === 1, 'the waiting job listed');
    expect(page.items[0]).toMatchObject({ type, state: 'activatable', instanceId: id, elementId: 'work', retries: 3, worker: null });
    expect((await stack.api<JobPage>('GET', `/api/jobs?type=${type}&state=activated`)).body.total).toBe(0);
    expect((await instance(id))).toMatchObject({ status: 'active', activeElements: ['work'], jobs: [expect.objectContaining({ state: 'activatable' })] });
    // a catalog type keeps running in-process: no job to list for it
    expect((await stack.api<JobPage>('GET', '/api/jobs?type=variables.set')).body.total).toBe(0);
    // an agent may not serve jobs
    expect((await stack.as('agent')('POST', '/api/jobs/activation', { type, timeout: 1000, maxJobsToActivate: 1 })).status).toBe(403);
  });

  it('runs a worker in another process that fails each job once and then completes it', async () => {
    const key = uniqueName('jobs-child');
    const type = `${key}.score`;
    await deploy(key, type);
    const ids = [await start(key, { amount: 21, secret: 'not fetched' }), await start(key, { amount: 5, secret: 'not fetched' })];
    const session = await stack.login((await stack.createUser({ roles: ['integration'], email: `${key}@example.com` })).email, 'test-user-password');
    if (!fs.existsSync(CLIENT)) throw new Error(`${CLIENT} is missing: run npm run build first`);
    const child: ChildProcess = spawn(process.execPath, [WORKER_SCRIPT], {
      env: { ...process.env, JOB_API_URL: stack.url, JOB_API_TOKEN: session.token, JOB_TYPE: type },
      stdio: ['ignore', 'pipe', 'pipe'],
    });
    let output = '';
    child.stdout?.on('data', (c: Buffer) => { output += c.toString(); });
    child.stderr?.on('data', (c: Buffer) => { output += c.toString(); });
    try {
      for (const [i, id] of ids.entries()) {
        const done = await until(id, (v) => v.status === 'completed', `instance ${i} completed by the worker`).catch((err: Error) => {
          throw new Error(`${err.message}\nworker output:\n${output}`);
        });
        expect(done.variables).toMatchObject({ score: [42, 10][i], attempts: 2, retriesSeen: 2, sawOtherVariables: false });
        expect(done.variables.handledBy).toEqual(child.pid);
        expect(done.variables.handledBy).not.toEqual(process.pid);
      }
      expect((await stack.api<JobPage>('GET', `/api/jobs?type=${type}`)).body.total).toBe(0);
    } finally {
      child.kill('SIGTERM');
      await new Promise((resolve) => { if (child.exitCode !== null) resolve(null); else child.once('exit', resolve); });
    }
  });

  it('hands a job out again once its lock has expired, and not before', async () => {
    const key = uniqueName('jobs-lock');
    const type = `${key}.slow`;
    await deploy(key, type);
    const id = await start(key, { amount: 1 });
    const [first] = await activate(type, { worker: 'first', timeout: 1500 });
    expect(first).toMatchObject({ type, processInstanceId: id, elementId: 'work', worker: 'first', retries: 3, customHeaders: { channel: 'fax' }, variables: { amount: 1 } });
    // while locked: no second activation
    expect(await activate(type, { worker: 'second', requestTimeout: -1 })).toEqual([]);
    expect((await eventually<JobPage>(stack, `/api/jobs?instanceId=${id}`, (p) => p.items[0]?.state === 'activated', 'listed as activated')).items[0]).toMatchObject({ worker: 'first' });
    // the long poll returns it to another worker after the deadline
    const [again] = await activate(type, { worker: 'second' });
    expect(again).toMatchObject({ jobKey: first!.jobKey, worker: 'second' });
    expect(again!.deadline).toBeGreaterThan(first!.deadline);
    expect((await integration('POST', `/api/jobs/${first!.jobKey}/completion`, { variables: { slow: 'done' } })).status).toBe(204);
    expect((await until(id, (v) => v.status === 'completed', 'completed')).variables).toMatchObject({ slow: 'done' });
    // a finished job is gone
    expect((await integration<{ error: string }>('POST', `/api/jobs/${first!.jobKey}/completion`, {})).status).toBe(404);
  });

  it('raises an incident when a failure leaves no retries, and hands the job out again when it is resolved with new retries', async () => {
    const key = uniqueName('jobs-fail');
    const type = `${key}.flaky`;
    await deploy(key, type, { retries: 2 });
    const id = await start(key);
    const [job] = await activate(type);
    // retries left with a long backoff: waits, not handed out
    expect((await integration('POST', `/api/jobs/${job!.jobKey}/failure`, { retries: 1, errorMessage: 'remote down', retryBackOff: 3_600_000 })).status).toBe(204);
    const backoff = await eventually<JobPage>(stack, `/api/jobs?instanceId=${id}`, (p) => p.items[0]?.state === 'backoff', 'in backoff');
    expect(backoff.items[0]).toMatchObject({ retries: 1, errorMessage: 'remote down', worker: null });
    expect(await activate(type, { requestTimeout: -1 })).toEqual([]);
    // the backoff cannot be shortened, but retries can change; the timeout only of an activated job
    expect((await integration('PATCH', `/api/jobs/${job!.jobKey}`, { changeset: { retries: 1 } })).status).toBe(204);
    expect((await integration('PATCH', `/api/jobs/${job!.jobKey}`, { changeset: { timeout: 1000 } })).status).toBe(409);
    // no retries left: incident
    expect((await integration('POST', `/api/jobs/${job!.jobKey}/failure`, { retries: 0, errorMessage: 'gave up' })).status).toBe(204);
    const failed = await until(id, (v) => v.incidents.length === 1, 'the incident');
    expect(failed.incidents[0]).toMatchObject({ type: 'JOB_NO_RETRIES', elementId: 'work', message: 'gave up' });
    await eventually<JobPage>(stack, `/api/jobs?type=${type}&state=failed`, (p) => p.total === 1, 'listed as failed');
    expect(await activate(type, { requestTimeout: -1 })).toEqual([]);
    // resolving with new retries hands it out again
    expect((await stack.api('POST', `/api/instances/${id}/incidents/${failed.incidents[0]!.id}/resolve`, { retries: 4 })).status).toBe(204);
    const [retried] = await activate(type);
    expect(retried).toMatchObject({ processInstanceId: id, retries: 4 });
    expect((await integration('POST', `/api/jobs/${retried!.jobKey}/completion`, {})).status).toBe(204);
    await until(id, (v) => v.status === 'completed' && v.incidents.length === 0, 'completed after the retry');
  });

  it('throws a BPMN error: caught by the error boundary event, else an incident', async () => {
    const key = uniqueName('jobs-error');
    const type = `${key}.check`;
    await deploy(key, type, { boundary: true });
    const caught = await start(key);
    const [job] = await activate(type);
    expect((await integration('POST', `/api/jobs/${job!.jobKey}/error`, { errorCode: 'REJECTED', errorMessage: 'no', variables: { reason: 'fraud' } })).status).toBe(204);
    const done = await until(caught, (v) => v.status === 'completed', 'completed through the boundary');
    expect(done.variables).toMatchObject({ reason: 'fraud' });
    const history = (await stack.api<Array<{ elementId: string; event: string }>>('GET', `/api/instances/${caught}/history`)).body;
    expect(history.filter((e) => e.event === 'completed').map((e) => e.elementId)).toContain('rejected');
    expect(history.filter((e) => e.event === 'completed').map((e) => e.elementId)).not.toContain('done');

    const uncaught = await start(key);
    const [other] = await activate(type);
    expect((await integration('POST', `/api/jobs/${other!.jobKey}/error`, { errorCode: 'UNKNOWN_CODE' })).status).toBe(204);
    const stuck = await until(uncaught, (v) => v.incidents.length === 1, 'the incident');
    expect(stuck.incidents[0]).toMatchObject({ type: 'UNHANDLED_ERROR_EVENT', elementId: 'work' });
  });

  it('updates the timeout of an activated job and the retries it carries', async () => {
    const key = uniqueName('jobs-update');
    const type = `${key}.long`;
    await deploy(key, type);
    const id = await start(key);
    const [job] = await activate(type, { timeout: 1000 });
    expect((await integration('PATCH', `/api/jobs/${job!.jobKey}`, { changeset: { timeout: 3_600_000, retries: 7 } })).status).toBe(204);
    const page = await eventually<JobPage>(stack, `/api/jobs?instanceId=${id}`, (p) => p.items[0]?.retries === 7, 'updated');
    expect(page.items[0]!.state).toBe('activated');
    expect(Date.parse(page.items[0]!.deadline!)).toBeGreaterThan(job!.deadline + 60_000);
    // the extended lock holds
    expect(await activate(type, { requestTimeout: 2000 })).toEqual([]);
    // cancelling the instance removes its job
    expect((await stack.api('DELETE', `/api/instances/${id}`)).status).toBe(202);
    await eventually<JobPage>(stack, `/api/jobs?instanceId=${id}`, (p) => p.total === 0, 'the job gone with its instance');
  });

  it('hands each job to one worker only when several activate at once', async () => {
    const key = uniqueName('jobs-race');
    const type = `${key}.contended`;
    await deploy(key, type);
    const ids = await Promise.all(Array.from({ length: 8 }, () => start(key)));
    await eventually<JobPage>(stack, `/api/jobs?type=${type}&state=activatable`, (p) => p.total === ids.length, 'all jobs waiting');
    // four workers ask at the same moment, each for all of them
    const answers = await Promise.all([1, 2, 3, 4].map((n) => activate(type, { worker: `w${n}`, maxJobsToActivate: 8, requestTimeout: -1 })));
    const keys = answers.flat().map((j) => j.jobKey);
    expect(new Set(keys).size).toBe(keys.length);
    expect(keys.length).toBe(ids.length);
    const listed = (await eventually<JobPage>(stack, `/api/jobs?type=${type}&state=activated`, (p) => p.total === ids.length, 'all activated')).items;
    for (const [n, jobs] of answers.entries()) {
      for (const job of jobs) expect(listed.find((l) => l.jobKey === job.jobKey)?.worker).toBe(`w${n + 1}`);
    }
  });

  it('refuses bad requests with 4xx naming the field, and changes nothing', async () => {
    const key = uniqueName('jobs-bad');
    const type = `${key}.x`;
    await deploy(key, type);
    const id = await start(key);
    const [job] = await activate(type);
    const fields = (res: { body: unknown }) => (res.body as { fields?: Array<{ path: string }> }).fields?.map((f) => f.path);
    const bad = await integration('POST', '/api/jobs/activation', { type, timeout: 0, maxJobsToActivate: 1 });
    expect(bad.status).toBe(400);
    expect(fields(bad)).toEqual(['timeout']);
    const badKey = await integration('POST', '/api/jobs/not-a-key/completion', {});
    expect(badKey.status).toBe(400);
    expect(fields(badKey)).toEqual(['jobKey']);
    const badRetries = await integration('POST', `/api/jobs/${job!.jobKey}/failure`, { retries: -1 });
    expect(badRetries.status).toBe(400);
    expect(fields(badRetries)).toEqual(['retries']);
    const badVariables = await integration('POST', `/api/jobs/${job!.jobKey}/completion`, { variables: { 'not a name': 1 } });
    expect(badVariables.status).toBe(400);
    expect((await integration('POST', `/api/jobs/${id}:999999/completion`, {})).status).toBe(404);
    expect((await integration('POST', '/api/jobs/pi-00000000-0000-4000-8000-000000000000:1/completion', {})).status).toBe(404);
    // the job is still activated, untouched
    const page = await eventually<JobPage>(stack, `/api/jobs?instanceId=${id}`, (p) => p.items[0]?.state === 'activated', 'still activated');
    expect(page.items[0]).toMatchObject({ retries: 3, worker: 'test' });
    expect((await instance(id))).toMatchObject({ status: 'active', incidents: [] });
  });
});
