/**
 * Builds the service's parts from its connections, the same way for `npm start` and for the
 * integration tests: definitions, instances, the task inbox, projections and the worker's
 * activity dependencies and sinks.
 */
import type { Client } from '@temporalio/client';
import type { Connection } from 'mongoose';
import type { ActivityDeps } from '../activities';
import { createDefinitionRepository } from './api/definitions/repository';
import { createDefinitionsService } from './api/definitions/service';
import { businessKeyClaims } from './api/instances/businessKeys';
import { createInstancesService, type InstancesServiceDeps } from './api/instances/service';
import { createTasksService } from './api/instances/tasks';
import type { AbuseSettings } from './auth/abuseGuard';
import { createAuthService } from './auth/service';
import { attachmentStore } from './complaints/attachmentStore';
import { complaintLinks, complaintStore, wireComplaints, type ComplaintsSettings } from './complaints/wiring';
import { createDirectoryService } from './domain/directory';
import type { Logger } from './log';
import { createMetrics, type Metrics } from './metrics';
import { projectionModels } from './projections/models';
import { observers, projectionWriter, type ProjectionWriterOptions } from './projections/writer';
import { slaProjectionPart } from './projections/slaWriter';
import { createAlertNotifier, type AlertSettings } from './alerts/notifier';
import { slaWriteObserver } from './sla/events';
import { slaFeedPublisher, slaFeedReader } from './sla/feed';
import { createSlaService } from './sla/service';

export interface WiringInput {
  mongo: Connection;
  temporal: Client;
  taskQueue: string;
  log: Logger;
  bpmnMaxBytes: number;
  allowedHosts: string[];
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
  /** Further read models fed by the projection sink (ProjectionPart), and flush timings (benchmarks). */
  projections?: Pick<ProjectionWriterOptions, 'parts' | 'flushObserver'>;
}

export function wireServices(input: WiringInput) {
  const metrics = input.metrics ?? createMetrics();
  const definitions = createDefinitionsService({
    repository: createDefinitionRepository(input.mongo),
    maxBytes: input.bpmnMaxBytes,
    log: input.log,
  });
  const projections = projectionModels(input.mongo);
  const instances = createInstancesService({
    temporal: input.temporal,
    taskQueue: input.taskQueue,
    definitions,
    projections,
    claims: businessKeyClaims(input.mongo),
    ...(input.workflowBundle ? { workflowBundle: input.workflowBundle } : {}),
  });
  const tasks = createTasksService(projections, instances, definitions);
  const directory = createDirectoryService(input.mongo);
  const links = complaintLinks(input.complaints);
  const store = complaintStore(input.mongo, directory, links);
  const attachmentFiles = attachmentStore(input.mongo);
  const complaints = wireComplaints({ store, definitions, instances, projections, links, files: attachmentFiles, settings: input.complaints, customers: directory });
  const activityDeps: ActivityDeps = {
    jobObserver: metrics.jobs,
    integrations: { complaints: store.port, allowedHosts: input.allowedHosts, directory },
    definitions: async (key) => {
      try {
        const record = await definitions.resolveDefinition(key);
        return { definition: { key: record.key, version: record.version }, model: record.model };
      } catch (err) {
        if ((err as { status?: number }).status === 404) return undefined;
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
  const slaEvents = slaWriteObserver({ clocks: input.slaIndex === false ? undefined : sla.clocks, feed: slaFeed, metrics: metrics.sla, alerts, log: input.log });
  const writer = projectionWriter(projections, input.log, {
    ...input.projections,
    observer: observers([metrics.projections, alerts?.observer], input.log),
    parts: [slaProjectionPart(projections.sla, slaEvents), ...(input.projections?.parts ?? [])],
  });
  const auth = createAuthService({
    mongo: input.mongo, log: input.log,
    ...(input.authTokenTtlHours ? { tokenTtlHours: input.authTokenTtlHours } : {}),
    ...(input.abuse ? { abuse: input.abuse } : {}),
  });
  return {
    metrics, definitions, projections, instances, tasks, directory, complaints, complaintStore: store, attachmentFiles, auth, activityDeps, sla, alerts, slaEvents,
    slaFeed,
    sinks: writer.sinks,
    /** Resolves when every projection write accepted so far, and its SLA feed entry, has landed. */
    async drainProjections() {
      await writer.drain();
      await slaFeed?.drain();
    },
    /** Ends the projection writer's timers (after the last drain). */
    stopProjections: () => {
      writer.stop();
      slaFeed?.stop();
    },
  };
}

export type Services = ReturnType<typeof wireServices>;
