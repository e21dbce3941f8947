/**
 * Jobs of external workers through the public HTTP API on the real servers: locks expire and the
 * job is handed out again; failures with no retries left raise an incident that resolving with
 * new retries hands out again; BPMN errors are caught by a boundary event or become incidents;
 * retries and timeouts can be updated; each job goes to one worker only.
 */
import type { Api } from '../support/auth';
import { jobCalls, type JobPage } from '../support/jobWorkers';
import { uniqueName } from '../support/servers';
import { eventually, startStack, type Stack } from '../support/stack';

describe('jobs of external workers', () => {
  let stack: Stack;
  let integration: Api;
  const { deploy, start, activate, until } = jobCalls(() => stack, () => integration);

  beforeAll(async () => {
    stack = await startStack();
    integration = stack.as('integration');
  });

  afterAll(async () => {
    await stack?.stop();
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
});
