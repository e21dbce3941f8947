import fs from 'node:fs';
import path from 'node:path';
import { Client, Connection } from '@temporalio/client';
import { descendants, isAlive, serviceEnv, spawnService, waitForHealthy, type RunningService } from '../support/serviceProcess';
import { testEnv } from '../support/servers';

/** `npm start` as a user runs it: the built supervisor with embedded Temporal and FerretDB. */
describe('the service supervisor', () => {
  let service: RunningService | undefined;

  afterEach(async () => {
    if (service && service.child.exitCode === null) {
      service.child.kill('SIGKILL');
      await service.exited;
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

  it('says which part died and exits non-zero when an embedded server dies', async () => {
    // given a running service
    const env = await serviceEnv(fs.mkdtempSync(path.join(testEnv.dir, 'service-')));
    service = spawnService(env);
    await waitForHealthy(env.PORT, service);
    // (by its program: PostgreSQL's backends name their user, `ferretdb`, in their command line)
    const ferret = descendants(service.child.pid!).find((pid) =>
      path.basename(fs.readFileSync(`/proc/${pid}/cmdline`, 'utf8').split('\0')[0] ?? '') === 'ferretdb');
    expect(ferret).toBeDefined();
    // when FerretDB is killed
    process.kill(ferret!, 'SIGKILL');
    const exit = await service.exited;
    // then the supervisor names it and fails
    expect(exit.code).toBe(1);
    expect(service.output()).toMatch(/FerretDB stopped unexpectedly/);
    expect(descendants(service.child.pid!)).toEqual([]);
  }, 120_000);

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
