/**
 * Builds the service's parts from its connections, the same way for `npm start` and for the
 * integration tests: definitions, instances, the task inbox, projections and the worker's
 * activity dependencies and sinks.
 */
import type { Client } from '@temporalio/client';
import type { Connection } from 'mongoose';
import type { ActivityDeps } from '../activities';
import { createDefinitionRepository } from './definitions/repository';
import { createDefinitionsService } from './definitions/service';
import { createFormStore } from './definitions/forms';
import { createDecisionsService } from './api/decisions/service';
import { createDecisionStore } from './api/decisions/store';
import { decisionsPort } from './api/decisions/port';
import { businessKeyClaims } from './instances/businessKeys';
import { createInstancesService, type InstancesServiceDeps } from './instances/service';
import { createTasksService } from './tasks/service';
import { createMigrationsService } from './api/migrations/service';
import type { AbuseSettings } from './auth/abuseGuard';
import { createAuthService } from './auth/service';
import { attachmentStore } from './complaints/attachmentStore';
import { alertTaskAnnotations } from './complaints/feedback';
import { complaintLinks, complaintStore, wireComplaints, type ComplaintsSettings } from './complaints/wiring';
import { createDirectoryService } from './domain/directory';
import { NotFound } from './domain/errors';
import { createCompilePool } from './compile/pool';
import type { DeployLimits } from './limits';
import type { Logger } from './log';
import { createMetrics, registerSealBacklog, type Metrics } from './metrics';
import { projectionModels } from './projections/models';
import { observers, projectionWriter, type ProjectionWriterOptions } from './projections/writer';
import { slaProjectionPart } from './projections/slaWriter';
import { projectionReconciler } from './projections/reconciler';
import { createAlertNotifier, type AlertSettings } from './alerts/notifier';
import { slaWriteObserver } from './sla/events';
import { slaFeedPublisher, slaFeedReader } from './sla/feed';
import { createSlaService } from './sla/service';
import { externalStarts, startRegistry } from './starts/registry';
import { scheduleTimerStarts } from './starts/scheduler';
import { messageBuffer } from './messages/buffer';
import { bufferedMessagesPart } from './messages/publish';
import { jobModel } from './jobs/models';
import { jobsProjectionPart } from './jobs/projection';
import { endedChildrenPart } from './projections/endedChildren';
import { createJobsService } from './jobs/service';
import { createSignalsService } from './signals/service';
import { createSealer } from './compliance/sealer';
import { createComplianceService } from './compliance/service';
import { createAnalyticsRecorder } from './analytics/recorder';
import { createAnalyticsService } from './analytics/service';

export interface WiringInput {
  mongo: Connection;
  temporal: Client;
  taskQueue: string;
  log: Logger;
  bpmnMaxBytes: number;
  allowedHosts: string[];
  /** Execution limits given to every started instance, and CANCEL_GRACE_MS (server/limits.ts). */
  limits?: InstancesServiceDeps['limits'];
  cancelGraceMs?: number;
  /** BPMN_MAX_ELEMENTS and BPMN_MAX_MODEL_BYTES; default server/limits.ts. */
  deployLimits?: DeployLimits;
  /** COMPILE_TIMEOUT_MS (default 30 s): deployments compile on a worker thread. */
  compileTimeoutMs?: number;
  /** Complaints settings (attachments folder, limits, thresholds); defaults in complaints/wiring.ts. */
  complaints?: Partial<ComplaintsSettings>;
  /** AUTH_TOKEN_TTL_HOURS (default 12). */
  authTokenTtlHours?: number;
  /** LOGIN_* and UNAUTHENTICATED_RATE_LIMIT (server/auth/abuseGuard.ts). */
  abuse?: Partial<AbuseSettings>;
  /** The workflow code the worker runs; lets the API derive histories by replay. */
  workflowBundle?: InstancesServiceDeps['workflowBundle'];
  /** The service's Prometheus registry and instruments; default: a new one (never the global registry). */
  metrics?: Metrics;
  /** Alerts for new incidents and SLA breaches (ALERT_*); absent = none. */
  alerts?: AlertSettings | undefined;
  /** SLA_INDEX_REFRESH_SECONDS in ms (default 5 min). */
  slaIndexRefreshMs?: number;
  /**
   * The SLA feed between processes (decision 0014): `publish` = the clocks this process's
   * projection writer stores are published for the others; `followMs` = this process's
   * overview index reads what the others published (SLA_INDEX_FOLLOW_SECONDS; 0 = not).
   * Absent = neither (one process, as in most tests).
   */
  slaFeed?: { publish: boolean; followMs: number };
  /** false: no SLA overview index in this process (`npm run worker` serves no overview). */
  slaIndex?: boolean;
  /** RECONCILE_INTERVAL_SECONDS in ms: the reconciler's cheap pass (default 30 s; 0 = full pass at start only). */
  reconcileIntervalMs?: number;
  /** Further read models fed by the projection sink (ProjectionPart), and flush timings (benchmarks). */
  projections?: Pick<ProjectionWriterOptions, 'parts' | 'flushObserver' | 'lingerMs'>;
}

export function wireServices(input: WiringInput) {
  const metrics = input.metrics ?? createMetrics();
  const compiler = createCompilePool(input.compileTimeoutMs ? { timeoutMs: input.compileTimeoutMs } : {});
  const starts = startRegistry(input.mongo);
  const buffer = messageBuffer(input.mongo);
  const repository = createDefinitionRepository(input.mongo);
  const decisions = createDecisionsService({ store: createDecisionStore(input.mongo), maxBytes: input.bpmnMaxBytes, log: input.log });
  const definitions = createDefinitionsService({
    repository,
    forms: createFormStore(input.mongo),
    decisions,
    maxBytes: input.bpmnMaxBytes,
    log: input.log,
    ...(input.deployLimits ? { limits: input.deployLimits } : {}),
    compiler,
    afterDeploy: async (deployed) => {
      for (const { record } of deployed) {
        if (!(await starts.record(record.key, record.version, record.model, record.deployedAt))) continue;
        await scheduleTimerStarts(input.temporal, input.taskQueue, record, externalStarts(record.model).timers);
      }
    },
  });
  const projections = projectionModels(input.mongo);
  const instances = createInstancesService({
    temporal: input.temporal,
    taskQueue: input.taskQueue,
    definitions,
    projections,
    claims: businessKeyClaims(input.mongo),
    messaging: { starts, buffer, log: input.log },
    ...(input.workflowBundle ? { workflowBundle: input.workflowBundle } : {}),
    ...(input.limits ? { limits: input.limits } : {}),
    ...(input.cancelGraceMs !== undefined ? { cancelGraceMs: input.cancelGraceMs } : {}),
  });
  // Signal broadcasts: the API's and those of signal throw events (the worker's activity).
  const signals = createSignalsService({
    temporal: input.temporal, projections, starts, definitions, log: input.log,
    start: (key, request, options) => instances.start(key, request, options),
  });
  // Alert work orders show their feedback; the complaints domain is wired below, before any request.
  const tasks = createTasksService(projections, instances, definitions, alertTaskAnnotations(() => complaints.feedback), (done) => complaints.taskActions.completed(done));
  const migrations = createMigrationsService({ temporal: input.temporal, taskQueue: input.taskQueue, definitions, projections, instances });
  const directory = createDirectoryService(input.mongo);
  const links = complaintLinks(input.complaints);
  // The compliance audit chain seals every complaint write and projection flush (decision 0037).
  const sealer = createSealer(input.mongo, input.log);
  registerSealBacklog(metrics.registry, sealer.backlog);
  let backfillStarted: Promise<number> | undefined;
  /** In the background, once per process (the sealer skips it once it has completed for the database). */
  const startAuditBackfill = () => {
    backfillStarted ??= sealer.backfill().catch((err: unknown) => {
      backfillStarted = undefined;
      input.log.warn({ err: err instanceof Error ? err.message : String(err) }, 'audit: backfill failed; tried again at the next pass');
      return 0;
    });
  };
    const analyticsRecorder = createAnalyticsRecorder(input.mongo, input.log);
  const store = complaintStore(input.mongo, directory, links, (doc) => {
    sealer.schedule(doc._id);
    analyticsRecorder.complaintChanged(doc);
  }, (complaintId) => sealer.schedule(complaintId)); // an appended timeline entry counts no milestone: the audit alone
  const analytics = createAnalyticsService(input.mongo);
  const attachmentFiles = attachmentStore(input.mongo);
  const complaints = wireComplaints({
    store, definitions, instances, projections, links, files: attachmentFiles, settings: input.complaints, customers: directory,
    modify: (instanceId, instructions, actor, reason) => migrations.modify(instanceId, instructions, actor, reason),
  });
  const activityDeps: ActivityDeps = {
    jobObserver: metrics.jobs,
    signals: async (request) => {
      const result = await signals.broadcast(request);
      return { delivered: result.delivered.length, started: result.started.length };
    },
    integrations: { complaints: store.port, allowedHosts: input.allowedHosts, directory, decisions: decisionsPort(decisions) },
    definitions: async (key) => {
      try {
        const record = await definitions.resolveDefinition(key);
        return { definition: { key: record.key, version: record.version }, model: record.model };
      } catch (err) {
        if (err instanceof NotFound) return undefined;
        throw err;
      }
    },
  };
  const slaFeed = input.slaFeed?.publish ? slaFeedPublisher(input.mongo, input.log) : undefined;
  const sla = createSlaService({
    mongo: input.mongo,
    log: input.log,
    ...(input.slaIndexRefreshMs !== undefined ? { indexRefreshMs: input.slaIndexRefreshMs } : {}),
    ...(input.slaFeed && input.slaFeed.followMs > 0
      ? { feed: slaFeedReader(input.mongo, slaFeed ? { ownWriter: slaFeed.writerId } : {}), followMs: input.slaFeed.followMs }
      : {}),
  });
  const alerts = input.alerts && createAlertNotifier(input.alerts, input.log);
  // For the SLA engine's writes of sla_clocks / sla_breaches: index, feed, counters, breach alerts.
  const slaObserver = slaWriteObserver({ clocks: input.slaIndex === false ? undefined : sla.clocks, feed: slaFeed, metrics: metrics.sla, alerts, log: input.log });
  // …and the analytics rollups count met and breached clocks.
  const slaEvents: typeof slaObserver = { ...slaObserver, clockWritten: (record) => { slaObserver.clockWritten(record); analyticsRecorder.clockWritten(record); } };
  let dropped: (ids: string[]) => void = () => undefined;
  const jobRecords = jobModel(input.mongo);
  const jobs = createJobsService({ temporal: input.temporal, jobs: jobRecords });
  const writer = projectionWriter(projections, input.log, {
    ...input.projections,
    onDrop: (ids) => dropped(ids),
    observer: observers([metrics.projections, alerts?.observer], input.log),
    parts: [
      slaProjectionPart(projections.sla, slaEvents),
      bufferedMessagesPart({ temporal: input.temporal, buffer, log: input.log }),
      jobsProjectionPart(jobRecords),
      endedChildrenPart(projections, (snapshot, startedAt) => writer.repair(snapshot, startedAt)),
      sealer.part,
      ...(input.projections?.parts ?? []),
    ],
  });
  // Repairs the read models from the engine (decision 0025); a process running a worker starts it.
  const reconciler = projectionReconciler({
    client: input.temporal, taskQueue: input.taskQueue, models: projections, writer, log: input.log,
    intervalMs: input.reconcileIntervalMs ?? 30_000,
    alsoRepair: [
      { name: 'complaint intakes without a process', run: () => complaints.complaints.resumeIntakes() },
      // Staff counter changes whose applier stopped and whose complaint has no next step (decision 0058).
      { name: 'staff updates left unapplied', run: () => store.sweepStaffUpdates() },
      // Complaints filed before the audit chain existed: sealed once, in the background (decision 0037).
      { name: 'complaints without an audit chain', run: async () => { startAuditBackfill(); return 0; } },
    ],
  });
  dropped = (ids) => ids.forEach((id) => reconciler.suspect(id));
  const auth = createAuthService({
    mongo: input.mongo, log: input.log,
    ...(input.authTokenTtlHours ? { tokenTtlHours: input.authTokenTtlHours } : {}),
    ...(input.abuse ? { abuse: input.abuse } : {}),
  });
  const compliance = createComplianceService({
    mongo: input.mongo, temporal: input.temporal, sealer, log: input.log,
    // The client's own codec (decision 0023): the engine's history is decrypted with the service's keys.
    codec: input.temporal.options.dataConverter.payloadCodecs?.[0],
  });
  return {
    compliance, sealer,
    metrics, definitions, decisions, starts, projections, instances, tasks, migrations, directory, complaints, complaintStore: store, attachmentFiles, auth, activityDeps, sla, alerts, slaEvents, jobs, signals,
    analytics, analyticsRecorder,
    slaFeed,
    reconciler,
    sinks: writer.sinks,
    /**
     * Records the start events of keys deployed before `start_events` existed (and hands their
     * timer start events to the scheduler); keys already on record are skipped, so it is cheap
     * after the first start.
     */
    async recordExistingStarts() {
      const total = await repository.countKeys();
      for (let skip = 0; skip < total; skip += 100) {
        for (const meta of await repository.latestPerKey(skip, 100)) {
          if (await starts.get(meta.key)) continue;
          const record = await repository.current(meta.key);
          if (!record || !(await starts.record(record.key, record.version, record.model, record.deployedAt))) continue;
          await scheduleTimerStarts(input.temporal, input.taskQueue, record, externalStarts(record.model).timers);
        }
      }
    },
    /** Resolves when every projection write accepted so far, and its SLA feed entry, has landed. */
    async drainProjections() {
      await writer.drain();
      await slaFeed?.drain();
      await sealer.drain();
      await analyticsRecorder.drain();
    },
    /** Ends the projection writer's timers (after the last drain). */
    stopProjections: () => {
      writer.stop();
      slaFeed?.stop();
      sealer.stop();
    },
    /** Ends the compile thread (it is unref'd: a process also exits without this). */
    stopCompiler: () => compiler.close(),
  };
}

export type Services = ReturnType<typeof wireServices>;
