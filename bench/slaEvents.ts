/**
 * bench:sla (history half) — what SLA-clock bookkeeping costs in Temporal history: the same
 * small process (start, an 8-second timer, end) once without and once with a resolution policy
 * of 6 business seconds on the 24/7 calendar, so 50%, 75% and the breach all fire while the
 * instance runs, at 3, 4.5 and 6 s: far enough apart that each gets a wake-up of its own (the
 * dev server fires timers on a ~1 s tick, so thresholds closer than that share one, which
 * made an earlier 2-second version report 4 events per threshold instead of 5 per wake-up).
 * Starts its own Temporal dev server and FerretDB in a temp folder.
 *
 *   npm run build && node dist/bench/slaEvents.js
 *
 * Prints `name: value unit` lines; `slaHistoryEventLines()` is what `npm run bench:sla` calls.
 */
import { Client, Connection } from '@temporalio/client';
import { temporal } from '@temporalio/proto';
import { bundleWorkflowCode, DefaultLogger, NativeConnection, Runtime, Worker } from '@temporalio/worker';
import { createActivities } from '../activities';
import { connectMongo } from '../server/db/mongo';
import { startTemporaryServers } from '../server/infra/temporaryServers';
import { createLogger } from '../server/log';
import { wireServices } from '../server/wiring';

const POLICY = `<bpmn:extensionElements><sla:policies>
  <sla:policy id="resolution" metric="resolution" calendar="around-the-clock" thresholds="50 75">
    <sla:target duration="PT6S" />
    <sla:escalation at="75"><sla:raisePriority /></sla:escalation>
  </sla:policy></sla:policies></bpmn:extensionElements>`;

const diagram = (id: string, policy: string) => `<?xml version="1.0" encoding="UTF-8"?>
<bpmn:definitions xmlns:bpmn="http://www.omg.org/spec/BPMN/20100524/MODEL" xmlns:sla="http://complaint-bpm.example/schema/sla/1.0" id="defs" targetNamespace="http://example.com/bench">
  <bpmn:process id="${id}" isExecutable="true">${policy}
    <bpmn:startEvent id="start" />
    <bpmn:intermediateCatchEvent id="wait"><bpmn:timerEventDefinition><bpmn:timeDuration>PT8S</bpmn:timeDuration></bpmn:timerEventDefinition></bpmn:intermediateCatchEvent>
    <bpmn:endEvent id="end" />
    <bpmn:sequenceFlow id="f1" sourceRef="start" targetRef="wait" />
    <bpmn:sequenceFlow id="f2" sourceRef="wait" targetRef="end" />
  </bpmn:process>
</bpmn:definitions>`;

/** The three thresholds of the policy: 50 %, 75 % and the breach. */
const THRESHOLDS = 3;

const { EventType } = temporal.api.enums.v1;
/** Events written once per instance by `patched('sla-clocks')`: its marker and the change-version search attribute. */
const PATCH_EVENTS = new Set([EventType.EVENT_TYPE_MARKER_RECORDED, EventType.EVENT_TYPE_UPSERT_WORKFLOW_SEARCH_ATTRIBUTES]);

export interface SlaHistoryEvents {
  without: number;
  with: number;
  thresholds: number;
  /** Timer wake-ups the SLA clock added (fired timers, with minus without). */
  wakeUps: number;
  /** Events of the patch marker, once per instance. */
  patchEvents: number;
}

export async function measureSlaHistoryEvents(): Promise<SlaHistoryEvents> {
  const bundling = bundleWorkflowCode({
    workflowsPath: require.resolve('../workflows'),
    logger: { info() {}, warn() {}, error: console.error, debug() {}, trace() {}, log() {} },
  });
  const servers = await startTemporaryServers({ prefix: 'complaint-bpm-bench-sla-' });
  try {
    const address = servers.temporalAddress;
    const client = new Client({ connection: await Connection.connect({ address }), namespace: 'default' });
    const mongo = await connectMongo(servers.mongoUri, 'bench_sla');
    const taskQueue = 'bench-sla';
    const services = wireServices({ mongo, temporal: client, taskQueue, log: createLogger('silent'), bpmnMaxBytes: 2 * 1024 * 1024, allowedHosts: [] });
    const connection = await NativeConnection.connect({ address });
    const worker = await Worker.create({ connection, taskQueue, workflowBundle: await bundling, activities: createActivities(services.activityDeps), sinks: services.sinks });
    const events = async (key: string, xml: string) => {
      await services.definitions.deploy({ bytes: Buffer.from(xml), resourceName: `${key}.bpmn` });
      const { instanceId } = await services.instances.start(key, { variables: {} });
      const handle = client.workflow.getHandle(instanceId);
      await handle.result();
      const history = (await handle.fetchHistory()).events ?? [];
      const count = (types: (type: unknown) => boolean) => history.filter((e) => types(e.eventType)).length;
      return {
        count: history.length, instanceId,
        timersFired: count((type) => type === EventType.EVENT_TYPE_TIMER_FIRED),
        patchEvents: count((type) => PATCH_EVENTS.has(type as temporal.api.enums.v1.EventType)),
      };
    };
    const result = await worker.runUntil(async () => {
      const plain = await events('bench-sla-without', diagram('bench-sla-without', ''));
      const timed = await events('bench-sla-with', diagram('bench-sla-with', POLICY));
      await services.drainProjections();
      const clock = await services.projections.sla.clocks.findById(`${timed.instanceId}.resolution`).lean();
      if (clock?.state !== 'breached' || clock.warningsFired.join() !== '50,75') {
        throw new Error(`the SLA clock did not pass every threshold: ${JSON.stringify(clock)}`);
      }
      return {
        without: plain.count, with: timed.count, thresholds: THRESHOLDS,
        wakeUps: timed.timersFired - plain.timersFired, patchEvents: timed.patchEvents - plain.patchEvents,
      };
    });
    await connection.close();
    await mongo.close();
    await client.connection.close();
    return result;
  } finally {
    await servers.stop();
  }
}

/** The measurement as `name: value unit` lines (what this script and `npm run bench:sla` print). */
export async function slaHistoryEventLines(): Promise<string[]> {
  const m = await measureSlaHistoryEvents();
  const perWakeUp = m.wakeUps > 0 ? (m.with - m.without - m.patchEvents) / m.wakeUps : 0;
  return [
    `sla_history_events_without: ${m.without} events`,
    `sla_history_events_with: ${m.with} events`,
    `sla_history_events_per_threshold: ${((m.with - m.without) / m.thresholds).toFixed(2)} events`,
    `sla_history_wakeups: ${m.wakeUps} wake-ups`,
    `sla_history_events_per_wakeup: ${perWakeUp.toFixed(2)} events`,
    `sla_history_events_patch_marker: ${m.patchEvents} events`,
  ];
}

async function main(): Promise<void> {
  Runtime.install({ logger: new DefaultLogger('WARN') });
  for (const line of await slaHistoryEventLines()) console.log(line);
}

if (require.main === module) {
  main().catch((err: unknown) => {
    console.error(err);
    process.exitCode = 1;
  });
}
