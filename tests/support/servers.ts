/** Access to the servers the global setup started, for integration tests. */
import { randomUUID } from 'node:crypto';
import { Client, Connection } from '@temporalio/client';
import type { DataConverter } from '@temporalio/common';
import { NativeConnection, Runtime, DefaultLogger, Worker, type InjectedSinks } from '@temporalio/worker';
import type { ProjectionSinks } from '../../workflows/sinks';
import { createActivities, type ActivityDeps } from '../../activities';

function required(name: string): string {
  const value = process.env[name];
  if (!value) throw new Error(`${name} is not set: integration tests need the jest global setup`);
  return value;
}

export const testEnv = {
  get temporalAddress() { return required('TEST_TEMPORAL_ADDRESS'); },
  get mongoUri() { return required('TEST_MONGODB_URI'); },
  /** The PostgreSQL under the test FerretDB (with its password). */
  get postgresUrl() { return required('TEST_POSTGRES_URL'); },
  get workflowBundle() { return required('TEST_WORKFLOW_BUNDLE'); },
  get testServerBinary() { return required('TEST_TEMPORAL_TEST_SERVER'); },
  get dir() { return required('TEST_DIR'); },
};

let runtimeInstalled = false;
/** Quiet SDK logs in tests (warnings and errors only). */
export function quietRuntime(): void {
  if (runtimeInstalled) return;
  runtimeInstalled = true;
  try {
    Runtime.install({ logger: new DefaultLogger('WARN') });
  } catch {
    // already installed by another test in this worker
  }
}

export const uniqueName = (prefix: string) => `${prefix}-${randomUUID().slice(0, 8)}`;

/** `dataConverter`: the service's encrypting one, where a test runs the service (stack.ts). */
export async function testClient(dataConverter?: DataConverter): Promise<Client> {
  const connection = await Connection.connect({ address: testEnv.temporalAddress });
  return new Client({ connection, namespace: 'default', ...(dataConverter ? { dataConverter } : {}) });
}

/** A worker on its own task queue, running the shared test bundle. */
export async function startTestWorker(taskQueue: string, deps: ActivityDeps = {}, sinks?: InjectedSinks<ProjectionSinks>, dataConverter?: DataConverter) {
  quietRuntime();
  const connection = await NativeConnection.connect({ address: testEnv.temporalAddress });
  const worker = await Worker.create({
    connection,
    taskQueue,
    activities: createActivities(deps),
    workflowBundle: { codePath: testEnv.workflowBundle },
    ...(sinks ? { sinks } : {}),
    ...(dataConverter ? { dataConverter } : {}),
  });
  const running = worker.run();
  return {
    worker,
    async stop() {
      worker.shutdown();
      await running;
      await connection.close();
    },
  };
}
