/**
 * Health of the three parts a complaint needs: Temporal answers, MongoDB answers, and a worker
 * really executes a workflow with an activity (a probe round trip, not an open socket).
 */
import { randomUUID } from 'node:crypto';
import type { Client } from '@temporalio/client';
import type { Connection } from 'mongoose';
import { pingMongo } from './db/mongo';

export type PartStatus = 'ok' | 'down';

export interface HealthReport {
  status: 'ok' | 'unavailable';
  temporal: PartStatus;
  mongo: PartStatus;
  worker: PartStatus;
  /** Why each part that is down is down. */
  errors?: Partial<Record<'temporal' | 'mongo' | 'worker', string>>;
}

export interface HealthDeps {
  temporal: Client;
  mongo: Connection;
  taskQueue: string;
  /** How long the worker probe may take (default 5 s). */
  probeTimeoutMs?: number;
}

const message = (err: unknown) => (err instanceof Error ? err.message : String(err)).split('\n')[0] ?? 'unknown error';

async function checkTemporal(client: Client): Promise<void> {
  await client.connection.withDeadline(Date.now() + 2000, () => client.connection.workflowService.getSystemInfo({}));
}

async function checkWorker(deps: HealthDeps): Promise<void> {
  const nonce = randomUUID();
  const result = await deps.temporal.workflow.execute('healthProbe', {
    taskQueue: deps.taskQueue,
    workflowId: `health-probe-${nonce}`,
    args: [nonce],
    workflowExecutionTimeout: deps.probeTimeoutMs ?? 5000,
  });
  if (result !== `pong:${nonce}`) throw new Error(`probe returned ${JSON.stringify(result)}`);
}

export function createHealthCheck(deps: HealthDeps): () => Promise<HealthReport> {
  let inFlight: Promise<HealthReport> | undefined;
  const run = async (): Promise<HealthReport> => {
    const errors: HealthReport['errors'] = {};
    const attempt = async (part: 'temporal' | 'mongo' | 'worker', check: () => Promise<void>): Promise<PartStatus> => {
      try {
        await check();
        return 'ok';
      } catch (err) {
        errors[part] = message(err);
        return 'down';
      }
    };
    const [temporal, mongo] = await Promise.all([
      attempt('temporal', () => checkTemporal(deps.temporal)),
      attempt('mongo', () => pingMongo(deps.mongo)),
    ]);
    const worker = temporal === 'ok'
      ? await attempt('worker', () => checkWorker(deps))
      : (errors.worker = 'not checked: Temporal is down', 'down' as const);
    const ok = temporal === 'ok' && mongo === 'ok' && worker === 'ok';
    return { status: ok ? 'ok' : 'unavailable', temporal, mongo, worker, ...(ok ? {} : { errors }) };
  };
  // Concurrent callers share one probe instead of starting a workflow each.
  return () => {
    inFlight ??= run().finally(() => {
      inFlight = undefined;
    });
    return inFlight;
  };
}
