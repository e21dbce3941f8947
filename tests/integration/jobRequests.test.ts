/**
 * Jobs of external workers through the public HTTP API on the real servers: bad requests get 4xx
 * naming the field and change nothing.
 */
import type { Api } from '../support/auth';
import { jobCalls, type JobPage } from '../support/jobWorkers';
import { uniqueName } from '../support/servers';
import { eventually, startStack, type Stack } from '../support/stack';

describe('jobs of external workers', () => {
  let stack: Stack;
  let integration: Api;
  const { deploy, start, activate, instance } = jobCalls(() => stack, () => integration);

  beforeAll(async () => {
    stack = await startStack();
    integration = stack.as('integration');
  });

  afterAll(async () => {
    await stack?.stop();
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
