/**
 * bench:runtime — the same process on Temporal twice: as BPMN run by our generic
 * `processInstance` workflow (with the real projection sinks writing to FerretDB), and as a
 * hand-written workflow doing the same `runJob` activities and timer. Starts its own Temporal
 * dev server and FerretDB in a temp folder and stops them at the end.
 *
 *   npm run build && npm run bench:runtime          (BENCH_INSTANCES=40 for a quick run)
 *
 * Prints `name: value unit` lines.
 */
import { Client, Connection } from '@temporalio/client';
import { bundleWorkflowCode, DefaultLogger, NativeConnection, Runtime, Worker, type InjectedSinks } from '@temporalio/worker';
import { createActivities } from '../activities';
import { connectMongo } from '../server/db/mongo';
import { startTemporaryServers } from '../server/infra/temporaryServers';
import { createLogger } from '../server/log';
import { wireServices } from '../server/wiring';
import type { ProjectionSinks } from '../workflows/sinks';

const INSTANCES = Number(process.env.BENCH_INSTANCES ?? 200);
const CONCURRENCY = 20;

const task = (id: string, from: string, to: string) =>
  `<bpmn:serviceTask id="${id}"><bpmn:extensionElements><zeebe:taskDefinition type="variables.set" />` +
  `<zeebe:ioMapping><zeebe:input source="={ ${id}: true }" target="variables" /></zeebe:ioMapping></bpmn:extensionElements>` +
  `<bpmn:incoming>${from}</bpmn:incoming><bpmn:outgoing>${to}</bpmn:outgoing></bpmn:serviceTask>`;
const flow = (id: string, from: string, to: string) => `<bpmn:sequenceFlow id="${id}" sourceRef="${from}" targetRef="${to}" />`;

/** 10 service tasks: s1..s3, a parallel split of p1..p3, a PT1S timer, s4..s7. */
const BPMN = `<?xml version="1.0" encoding="UTF-8"?>
<bpmn:definitions xmlns:bpmn="http://www.omg.org/spec/BPMN/20100524/MODEL" xmlns:zeebe="http://camunda.org/schema/zeebe/1.0" id="defs" targetNamespace="http://example.com/bench">
  <bpmn:process id="bench-runtime" isExecutable="true">
    <bpmn:startEvent id="start"><bpmn:outgoing>f0</bpmn:outgoing></bpmn:startEvent>
    ${task('s1', 'f0', 'f1')}${task('s2', 'f1', 'f2')}${task('s3', 'f2', 'f3')}
    <bpmn:parallelGateway id="fork"><bpmn:incoming>f3</bpmn:incoming><bpmn:outgoing>fa</bpmn:outgoing><bpmn:outgoing>fb</bpmn:outgoing><bpmn:outgoing>fc</bpmn:outgoing></bpmn:parallelGateway>
    ${task('p1', 'fa', 'ja')}${task('p2', 'fb', 'jb')}${task('p3', 'fc', 'jc')}
    <bpmn:parallelGateway id="join"><bpmn:incoming>ja</bpmn:incoming><bpmn:incoming>jb</bpmn:incoming><bpmn:incoming>jc</bpmn:incoming><bpmn:outgoing>f4</bpmn:outgoing></bpmn:parallelGateway>
    <bpmn:intermediateCatchEvent id="wait"><bpmn:incoming>f4</bpmn:incoming><bpmn:outgoing>f5</bpmn:outgoing><bpmn:timerEventDefinition><bpmn:timeDuration>PT1S</bpmn:timeDuration></bpmn:timerEventDefinition></bpmn:intermediateCatchEvent>
    ${task('s4', 'f5', 'f6')}${task('s5', 'f6', 'f7')}${task('s6', 'f7', 'f8')}${task('s7', 'f8', 'f9')}
    <bpmn:endEvent id="end"><bpmn:incoming>f9</bpmn:incoming></bpmn:endEvent>
    ${flow('f0', 'start', 's1')}${flow('f1', 's1', 's2')}${flow('f2', 's2', 's3')}${flow('f3', 's3', 'fork')}
    ${flow('fa', 'fork', 'p1')}${flow('fb', 'fork', 'p2')}${flow('fc', 'fork', 'p3')}
    ${flow('ja', 'p1', 'join')}${flow('jb', 'p2', 'join')}${flow('jc', 'p3', 'join')}
    ${flow('f4', 'join', 'wait')}${flow('f5', 'wait', 's4')}${flow('f6', 's4', 's5')}${flow('f7', 's5', 's6')}${flow('f8', 's6', 's7')}
    ${flow('f9', 's7', 'end')}
  </bpmn:process>
</bpmn:definitions>`;

interface VariantResult { historyEvents: number; wallMs: number; cpuMs: number }

/** Runs `total` instances, `CONCURRENCY` at a time; each start waits for its own result. */
async function pool(total: number, runOne: (i: number) => Promise<void>): Promise<void> {
  let next = 0;
  await Promise.all(Array.from({ length: Math.min(CONCURRENCY, total) }, async () => {
    while (next < total) {
      const i = next++;
      await runOne(i);
    }
  }));
}

async function main(): Promise<void> {
  Runtime.install({ logger: new DefaultLogger('WARN') });
  const bundling = bundleWorkflowCode({
    workflowsPath: require.resolve('./runtime/workflows'),
    logger: { info() {}, warn() {}, error: console.error, debug() {}, trace() {}, log() {} },
  });
  const servers = await startTemporaryServers({ prefix: 'complaint-bpm-bench-' });
  const log = createLogger('silent');
  try {
    const address = servers.temporalAddress;
    const client = new Client({ connection: await Connection.connect({ address }), namespace: 'default' });
    const mongo = await connectMongo(servers.mongoUri, 'bench');
    const bundle = await bundling;

    const withWorker = async (taskQueue: string, sinks: InjectedSinks<ProjectionSinks> | undefined, body: () => Promise<void>) => {
      const connection = await NativeConnection.connect({ address });
      const worker = await Worker.create({
        connection, taskQueue, workflowBundle: bundle, activities: createActivities({}), ...(sinks ? { sinks } : {}),
      });
      const cpu = process.cpuUsage();
      const t0 = performance.now();
      await worker.runUntil(body());
      const wallMs = performance.now() - t0;
      const used = process.cpuUsage(cpu);
      await connection.close();
      return { wallMs, cpuMs: (used.user + used.system) / 1000 };
    };

    // Ours: deployed and started through the same services the HTTP API uses, projections on.
    const oursQueue = 'bench-ours';
    const services = wireServices({ mongo, temporal: client, taskQueue: oursQueue, log, bpmnMaxBytes: 2 * 1024 * 1024, allowedHosts: [] });
    await services.definitions.deploy({ bytes: Buffer.from(BPMN), resourceName: 'bench-runtime.bpmn' });
    const oursIds: string[] = [];
    // BENCH_NO_SINKS=1 leaves projections out, to tell their cost from the workflow's.
    const oursRun = await withWorker(oursQueue, process.env.BENCH_NO_SINKS ? undefined : services.sinks, async () => {
      await pool(INSTANCES, async () => {
        const { instanceId } = await services.instances.start('bench-runtime', { variables: { n: 1 } });
        oursIds.push(instanceId);
        await client.workflow.getHandle(instanceId).result();
      });
      await services.drainProjections();
    });

    // Hand-written: same activities, same timer.
    const handQueue = 'bench-hand';
    const handIds: string[] = [];
    const handRun = await withWorker(handQueue, undefined, async () => {
      await pool(INSTANCES, async (i) => {
        const workflowId = `hand-${i}`;
        handIds.push(workflowId);
        await client.workflow.execute('handWritten', { taskQueue: handQueue, workflowId, args: [{ n: 1 }] });
      });
    });

    const historyLength = async (id: string) => (await client.workflow.getHandle(id).fetchHistory()).events?.length ?? 0;
    const ours: VariantResult = { historyEvents: await historyLength(oursIds[0]!), ...oursRun };
    const hand: VariantResult = { historyEvents: await historyLength(handIds[0]!), ...handRun };

    const lines: Array<[string, number, string]> = [
      ['instances', INSTANCES, `(concurrency ${CONCURRENCY})`],
      ['history events per instance (ours)', ours.historyEvents, 'events'],
      ['history events per instance (hand-written)', hand.historyEvents, 'events'],
      ['wall time (ours)', Math.round(ours.wallMs), 'ms'],
      ['wall time (hand-written)', Math.round(hand.wallMs), 'ms'],
      ['wall time ratio ours/hand-written', Number((ours.wallMs / hand.wallMs).toFixed(3)), 'x'],
      ['worker CPU (ours)', Math.round(ours.cpuMs), 'ms'],
      ['worker CPU (hand-written)', Math.round(hand.cpuMs), 'ms'],
      ['worker CPU ratio ours/hand-written', Number((ours.cpuMs / hand.cpuMs).toFixed(3)), 'x'],
    ];
    for (const [name, value, unit] of lines) console.log(`${name}: ${value} ${unit}`);

    await mongo.close();
    await client.connection.close();
  } finally {
    await servers.stop();
  }
}

main().catch((err: unknown) => {
  console.error(err);
  process.exitCode = 1;
});
