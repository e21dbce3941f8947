import fs from 'node:fs';
import http from 'node:http';
import path from 'node:path';
import { Client, Connection } from '@temporalio/client';
import { waitUntil } from '../../server/infra/ports';
import { descendants, isAlive, serviceEnv, spawnService, waitForHealthy, type RunningService } from '../support/serviceProcess';
import { testEnv } from '../support/servers';

const root = path.resolve(__dirname, '../..');
/** The descendant of `pid` running `program` (by its command line; PostgreSQL's backends name `ferretdb` only as their user). */
const childRunning = (pid: number, program: string) => descendants(pid).find((p) => {
  try {
    return path.basename(fs.readFileSync(`/proc/${p}/cmdline`, 'utf8').split('\0')[0] ?? '') === program;
  } catch {
    return false;
  }
});

/** `npm start` as a user runs it: the built supervisor with embedded Temporal and FerretDB. */
describe('the service supervisor', () => {
  let service: RunningService | undefined;

  afterEach(async () => {
    if (service && service.child.exitCode === null) {
      // Its embedded servers too: a SIGKILLed supervisor cannot stop them, and they would outlive the suite.
      const children = descendants(service.child.pid!);
      service.child.kill('SIGKILL');
      await service.exited;
      for (const pid of children.filter(isAlive)) {
        try {
          process.kill(pid, 'SIGKILL');
        } catch {
          // gone meanwhile
        }
      }
    }
  });

  const stopAndCheck = async (running: RunningService) => {
    const children = descendants(running.child.pid!);
    running.child.kill('SIGTERM');
    const exit = await running.exited;
    return { exit, leftovers: children.filter(isAlive) };
  };

  it('starts everything, answers health, keeps data across a restart and stops cleanly', async () => {
    // given a fresh data folder
    const env = await serviceEnv(fs.mkdtempSync(path.join(testEnv.dir, 'service-')));
    service = spawnService(env);
    await waitForHealthy(env.PORT, service);
    expect(service.output()).toContain(`http://127.0.0.1:${env.PORT}/api`);
    // the embedded Temporal dev server and FerretDB run as its children
    expect(descendants(service.child.pid!).length).toBeGreaterThanOrEqual(2);

    // and a workflow that is still running when the service stops (no worker polls its queue)
    const connect = async () => new Client({ connection: await Connection.connect({ address: `127.0.0.1:${env.EMBEDDED_TEMPORAL_PORT}` }) });
    let client = await connect();
    await client.workflow.start('healthProbe', { taskQueue: 'parked', workflowId: 'survives-restart', args: ['x'] });
    await client.connection.close();

    // when it gets SIGTERM
    const first = await stopAndCheck(service);
    // then it exits 0 and leaves no child behind
    expect(first.exit.code).toBe(0);
    expect(first.leftovers).toEqual([]);

    // when it starts again on the same data folder
    service = spawnService(env);
    await waitForHealthy(env.PORT, service);
    client = await connect();
    const description = await client.workflow.getHandle('survives-restart').describe();
    await client.connection.close();
    // then the workflow is still there
    expect(description.status.name).toBe('RUNNING');
    const second = await stopAndCheck(service);
    expect(second.exit.code).toBe(0);
    expect(second.leftovers).toEqual([]);
  }, 180_000);

  it('restarts an embedded server that dies, and the service serves again', async () => {
    // given a running service
    const env = await serviceEnv(fs.mkdtempSync(path.join(testEnv.dir, 'service-')));
    service = spawnService(env);
    await waitForHealthy(env.PORT, service);
    const ferret = childRunning(service.child.pid!, 'ferretdb');
    expect(ferret).toBeDefined();
    // when FerretDB is killed
    process.kill(ferret!, 'SIGKILL');
    // then the supervisor says so, starts a new one, and the API answers from the database again
    await waitUntil('FerretDB restarted', async () => /FerretDB restarted/.test(service!.output()), 60_000, 200);
    expect(service.output()).toMatch(/FerretDB stopped unexpectedly; restarting it/);
    const again = childRunning(service.child.pid!, 'ferretdb');
    expect(again).toBeDefined();
    expect(again).not.toBe(ferret);
    // when it dies again within a minute, the next restart waits twice as long (backoff)
    process.kill(again!, 'SIGKILL');
    await waitUntil('FerretDB restarted twice', async () => (service!.output().match(/FerretDB restarted/g) ?? []).length >= 2, 60_000, 200);
    const deaths = service.output().split('\n').filter((line) => line.includes('FerretDB stopped unexpectedly; restarting it'));
    expect(deaths.map((line) => [/"attempt":(\d+)/.exec(line)?.[1], /"delayMs":(\d+)/.exec(line)?.[1]])).toEqual([['1', '1000'], ['2', '2000']]);
    await waitForHealthy(env.PORT, service, 60_000);
    const login = await fetch(`http://127.0.0.1:${env.PORT}/api/auth/login`, {
      method: 'POST', headers: { 'content-type': 'application/json' }, body: JSON.stringify({ email: 'admin@example.com', password: 'change-me-admin' }),
    });
    expect(login.status).toBe(200);
    expect(service.child.exitCode).toBeNull();

    // when the Temporal dev server is killed too, with a workflow in its database
    const connect = async () => new Client({ connection: await Connection.connect({ address: `127.0.0.1:${env.EMBEDDED_TEMPORAL_PORT}` }) });
    const before = await connect();
    await before.workflow.start('healthProbe', { taskQueue: 'parked', workflowId: 'survives-temporal-kill', args: ['x'] });
    await before.connection.close();
    const temporal = childRunning(service.child.pid!, 'temporal');
    expect(temporal).toBeDefined();
    process.kill(temporal!, 'SIGKILL');
    // then it is restarted on its data, and health (a probe workflow through the service's own worker) answers again
    await waitUntil('Temporal restarted', async () => /Temporal dev server restarted/.test(service!.output()), 90_000, 200);
    expect(service.output()).toMatch(/Temporal dev server stopped unexpectedly; restarting it/);
    expect(childRunning(service.child.pid!, 'temporal')).not.toBe(temporal);
    await waitForHealthy(env.PORT, service, 90_000);
    const after = await connect();
    const description = await after.workflow.getHandle('survives-temporal-kill').describe();
    await after.connection.close();
    expect(description.status.name).toBe('RUNNING');
    expect(service.child.exitCode).toBeNull();
  }, 300_000);

  it('after a kill -9 of the supervisor, the next start kills its leftovers and starts on the same ports', async () => {
    // given a service whose supervisor is killed with -9: its servers (own process groups) survive
    const env = await serviceEnv(fs.mkdtempSync(path.join(testEnv.dir, 'service-')));
    service = spawnService(env);
    await waitForHealthy(env.PORT, service);
    const orphans = descendants(service.child.pid!);
    service.child.kill('SIGKILL');
    await service.exited;
    expect(orphans.filter(isAlive).length).toBeGreaterThanOrEqual(2);

    // when it is started again on the same data folder and ports
    service = spawnService(env);
    await waitForHealthy(env.PORT, service);

    // then the leftovers are gone, and the new service stops cleanly
    expect(orphans.filter(isAlive)).toEqual([]);
    expect(service.output()).toMatch(/killed a leftover of an earlier run/);
    const stopped = await stopAndCheck(service);
    // (on failure, what the service printed says why it did not stop cleanly)
    expect({ code: stopped.exit.code, output: stopped.exit.code === 0 ? '' : service.output().slice(-6000) }).toEqual({ code: 0, output: '' });
    expect(stopped.leftovers).toEqual([]);
  }, 180_000);

  it('stops when SIGTERM reaches the shell npm runs its start script in', async () => {
    // given the service started by package.json's start script as npm runs it (`sh -c <script>`)
    const env = await serviceEnv(fs.mkdtempSync(path.join(testEnv.dir, 'service-')));
    const script = (JSON.parse(fs.readFileSync(path.join(root, 'package.json'), 'utf8')) as { scripts: Record<string, string> }).scripts.start!;
    service = spawnService(env, undefined, ['/bin/sh', ['-c', script], root]);
    await waitForHealthy(env.PORT, service);
    const children = descendants(service.child.pid!);
    // and a request in flight: its body half sent
    const body = JSON.stringify({ email: 'admin@example.com', password: 'change-me-admin' });
    const inFlight = http.request({ host: '127.0.0.1', port: Number(env.PORT), path: '/api/auth/login', method: 'POST', headers: { 'content-type': 'application/json', 'content-length': Buffer.byteLength(body) } });
    const answered = new Promise<number>((resolve, reject) => {
      inFlight.on('response', (res) => { res.resume(); resolve(res.statusCode ?? 0); });
      inFlight.on('error', reject);
    });
    inFlight.write(body.slice(0, 10));
    await new Promise((resolve) => setTimeout(resolve, 300));

    // when the shell gets SIGTERM (npm forwards a container stop to it), and the rest of the body follows
    service.child.kill('SIGTERM');
    await new Promise((resolve) => setTimeout(resolve, 500));
    inFlight.end(body.slice(10));

    // then the request in flight is answered, and the service itself stopped cleanly, leaving nothing behind
    expect(await answered).toBe(200);
    const exit = await service.exited;
    // (on failure, what the service printed says why it did not stop cleanly)
    expect({ code: exit.code, output: exit.code === 0 ? '' : service.output().slice(-6000) }).toEqual({ code: 0, output: '' });
    expect(service.output()).toMatch(/"part":"HTTP API".*"msg":"stopped"/);
    expect(children.filter(isAlive)).toEqual([]);
  }, 180_000);

  it('refuses to start on a bad variable, naming it', async () => {
    // given a port that is not a number
    const env = await serviceEnv(fs.mkdtempSync(path.join(testEnv.dir, 'service-')));
    service = spawnService({ ...env, PORT: 'eighty' });
    // when it starts
    const exit = await service.exited;
    // then
    expect(exit.code).toBe(2);
    expect(service.output()).toMatch(/PORT/);
  });
});
