/**
 * Jobs of external workers through the public HTTP API on the real servers: a task type outside
 * the activity catalog compiles with a warning and waits, visible, for a worker; a worker in
 * another process activates, fails once and completes.
 */
import { spawn, type ChildProcess } from 'node:child_process';
import fs from 'node:fs';
import path from 'node:path';
import type { Api } from '../support/auth';
import { jobCalls, type JobPage } from '../support/jobWorkers';
import { uniqueName } from '../support/servers';
import { eventually, startStack, type Stack } from '../support/stack';

const WORKER_SCRIPT = path.resolve(__dirname, '../support/jobWorker.cjs');
const CLIENT = path.resolve(__dirname, '../../dist/server/jobs/client.js');

describe('jobs of external workers', () => {
  let stack: Stack;
  let integration: Api;
  const { deploy, start, instance, until } = jobCalls(() => stack, () => integration);

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
});
