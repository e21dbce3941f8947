/**
 * The service's parts wired from the configuration (server/wiring.ts), and the start-up work
 * every process does once they exist: warnings about unsafe settings, the admin account,
 * the shipped processes, backfills of read models and the one-time attachment import. All of
 * it is safe when several processes start at once.
 */
import path from 'node:path';
import type { Client } from '@temporalio/client';
import type { WorkflowBundleWithSourceMap } from '@temporalio/worker';
import type { Connection as MongoConnection } from 'mongoose';
import { alertSettingsFrom } from '../alerts/settings';
import { importLegacyAttachments } from '../complaints/attachmentImport';
import { complaintsSettingsFrom } from '../complaints/settings';
import { deployShippedProcesses } from '../complaints/shippedProcesses';
import { DEFAULT_ADMIN_PASSWORD, type Config } from '../config';
import { deployLimits, executionLimits } from '../limits';
import type { Logger } from '../log';
import { backfillOpenTasks } from '../projections/backfill';
import { wireServices, type Services } from '../wiring';
import type { Parts } from './parts';

export interface ServiceInputs {
  workflowBundle: WorkflowBundleWithSourceMap;
  mongo: MongoConnection;
  client: Client;
  /** This process runs a worker (SERVICE_ROLE=all). */
  withWorker: boolean;
}

/** The services as this configuration asks for them; the SLA index and alerts are owned (stopped) from here on. */
export async function wireFromConfig(parts: Parts, config: Config, log: Logger, { workflowBundle, mongo, client, withWorker }: ServiceInputs): Promise<Services> {
  const services = wireServices({
    workflowBundle,
    mongo,
    temporal: client,
    taskQueue: config.TEMPORAL_TASK_QUEUE,
    log,
    bpmnMaxBytes: config.BPMN_MAX_BYTES,
    allowedHosts: config.HTTP_ALLOWED_HOSTS,
    limits: executionLimits(config),
    deployLimits: deployLimits(config),
    cancelGraceMs: config.CANCEL_GRACE_MS,
    compileTimeoutMs: config.COMPILE_TIMEOUT_MS,
    complaints: await complaintsSettingsFrom(config),
    authTokenTtlHours: config.AUTH_TOKEN_TTL_HOURS,
    abuse: {
      loginMaxFailures: config.LOGIN_MAX_FAILURES, loginLockoutSeconds: config.LOGIN_LOCKOUT_SECONDS,
      loginIpMaxFailures: config.LOGIN_IP_MAX_FAILURES, unauthenticatedPerMinute: config.UNAUTHENTICATED_RATE_LIMIT,
    },
    alerts: alertSettingsFrom(config),
    slaIndexRefreshMs: config.SLA_INDEX_REFRESH_SECONDS * 1000,
    reconcileIntervalMs: config.RECONCILE_INTERVAL_SECONDS * 1000,
    projections: { lingerMs: config.PROJECTION_LINGER_MS },
    // Other processes' clock changes reach this overview through the SLA feed; with a worker here, its own go out through it.
    slaFeed: { publish: withWorker, followMs: config.SLA_INDEX_FOLLOW_SECONDS * 1000 },
  });
  // Stopped after the projection writes: their last incidents still enqueue (and are dropped).
  // The first full read of the SLA clocks takes seconds per 100,000 clocks: start it now, not on the first overview.
  services.sla.clocks.ready().catch((err: unknown) => log.warn({ err }, 'SLA clock index not read; the overview will retry'));
  parts.own('SLA index and alerts', () => {
    services.sla.stop();
    services.alerts?.stop();
    return Promise.resolve();
  });
  return services;
}

/** Warnings, the admin, shipped processes, backfills, the attachment import; then the projection writes are owned. */
export async function startUpWork(parts: Parts, config: Config, log: Logger, services: Services): Promise<void> {
  if (!config.embeddedTemporal && !config.PAYLOAD_KEYS) {
    log.warn('PAYLOAD_KEYS is not set: Temporal payloads are encrypted with DATA_DIR/payload.keys, which other processes on this Temporal namespace do not have; set the same PAYLOAD_KEYS on every API and worker process (docs/security.md)');
  }
  if (!config.embeddedMongo && !config.CUSTOMER_LINK_KEY) {
    log.warn('CUSTOMER_LINK_KEY is not set: customer links use DATA_DIR/customer-link.key, so only processes sharing this DATA_DIR verify each other\'s links; set one key on every API and worker process');
  }
  if (config.ADMIN_PASSWORD === DEFAULT_ADMIN_PASSWORD && config.NODE_ENV !== 'test') {
    log.warn('ADMIN_PASSWORD is the documented default: set it, or change the admin password, before anyone else can reach the API');
  }
  await services.auth.ensureAdmin(config.ADMIN_EMAIL, config.ADMIN_PASSWORD);
  // Idempotent: an unchanged shipped diagram creates no new version.
  await deployShippedProcesses(services.definitions, log);
  await backfillOpenTasks(services.projections, log);
  // Message and timer start events of versions deployed before they were recorded (decision 0031).
  await services.recordExistingStarts().catch((err: unknown) => log.warn({ err }, 'start events of earlier deployments not recorded; deploy those processes again'));
  // Photos of versions that kept them under DATA_DIR/attachments move into the database once.
  await importLegacyAttachments({ dir: path.join(config.dataDir, 'attachments'), files: services.attachmentFiles, complaints: services.complaintStore.models.complaints, log });
  // Stopped after the worker (parts stop in reverse order): the last projection writes land.
  parts.own('projection writes', async () => {
    await services.drainProjections();
    services.stopProjections();
    await services.stopCompiler();
  });
}
