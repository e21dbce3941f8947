/**
 * One worker process of bench:runtime: a Temporal worker for one variant, alone in its
 * process so that its CPU time is the worker's only (the instance starts, the waiting for
 * results and the servers are elsewhere). Started by bench/runtime.ts with `--require
 * threadTag.js`; answers its requests over IPC:
 *
 *   sample -> { hrUs, cpu: ThreadCpu, sinkCalls }   (hrUs: CLOCK_MONOTONIC in µs, as V8 profiles)
 *   drain  -> {}   (every projection write accepted so far has finished)
 *   stop   -> {}   (worker shut down; the process then exits, writing --cpu-prof profiles)
 */
import { Client, Connection } from '@temporalio/client';
import { DefaultLogger, NativeConnection, Runtime, Worker, type InjectedSinks } from '@temporalio/worker';
import { createActivities } from '../../activities';
import { connectMongo } from '../../server/db/mongo';
import { createLogger } from '../../server/log';
import { wireServices } from '../../server/wiring';
import type { ProjectionSinks } from '../../workflows/sinks';
import { readThreadCpu, workerThreadIds } from './threads';

export type Variant = 'bpmn' | 'bpmn-no-projections' | 'hand' | 'hand-local';

export interface WorkerSetup {
  variant: Variant;
  address: string;
  taskQueue: string;
  bundlePath: string;
  mongoUri: string;
}

export type WorkerRequest = { id: number; type: 'sample' | 'drain' | 'stop' };

async function main(): Promise<void> {
  const setup = JSON.parse(process.env.BENCH_RUNTIME_WORKER ?? '') as WorkerSetup;
  const threads = workerThreadIds();
  Runtime.install({ logger: new DefaultLogger('WARN') });
  const connection = await NativeConnection.connect({ address: setup.address });

  let sinks: InjectedSinks<ProjectionSinks> | undefined;
  let drain = async () => {};
  let close = async () => {};
  let sinkCalls = 0;
  if (setup.variant === 'bpmn-no-projections') {
    // The workflow still calls its sink (an unregistered one would be logged as an error per call).
    sinks = { projection: { instanceChanged: { callDuringReplay: true, fn: () => void (sinkCalls += 1) } } };
  } else if (setup.variant === 'bpmn') {
    // The projection writer as the service wires it (SLA part, metrics observers included).
    const mongo = await connectMongo(setup.mongoUri, 'bench');
    const clientConnection = await Connection.connect({ address: setup.address });
    const services = wireServices({
      mongo,
      temporal: new Client({ connection: clientConnection, namespace: 'default' }),
      taskQueue: setup.taskQueue,
      log: createLogger('silent'),
      bpmnMaxBytes: 2 * 1024 * 1024,
      allowedHosts: [],
    });
    const { fn } = services.sinks.projection.instanceChanged;
    sinks = {
      projection: {
        instanceChanged: {
          callDuringReplay: true,
          fn: (info, snapshot) => {
            sinkCalls += 1;
            return fn(info, snapshot);
          },
        },
      },
    };
    drain = services.drainProjections;
    close = async () => {
      await mongo.close();
      await clientConnection.close();
    };
  }

  const worker = await Worker.create({
    connection,
    taskQueue: setup.taskQueue,
    workflowBundle: { codePath: setup.bundlePath },
    activities: createActivities({}),
    ...(sinks ? { sinks } : {}),
  });
  const running = worker.run();

  process.on('message', (request: WorkerRequest) => {
    const reply = (body: object) => process.send?.({ id: request.id, ...body });
    if (request.type === 'sample') {
      reply({ hrUs: Number(process.hrtime.bigint() / 1000n), cpu: readThreadCpu(threads), sinkCalls });
    } else if (request.type === 'drain') {
      void drain().then(() => reply({}));
    } else {
      worker.shutdown();
      void running
        .then(() => drain())
        .then(() => close())
        .then(() => connection.close())
        .then(() => {
          reply({});
          process.disconnect();
        });
    }
  });
  process.send?.({ id: 0, ready: true });
}

main().catch((err: unknown) => {
  console.error(err);
  process.exit(1);
});
