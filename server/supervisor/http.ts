/**
 * The HTTP API and the web app on PORT/HOST. Owned last, so stopped first: no new
 * connections, idle keep-alive ones closed, requests in flight answered (up to half the
 * shutdown bound; then their connections are cut).
 */
import type http from 'node:http';
import type { Client } from '@temporalio/client';
import type { Connection as MongoConnection } from 'mongoose';
import type { Config } from '../config';
import { createHealthCheck } from '../health';
import { createApp } from '../http/app';
import { outlastClientKeepAlive } from '../http/keepAlive';
import { defaultWebRoot } from '../http/webApp';
import type { Logger } from '../log';
import type { AesGcmPayloadCodec } from '../temporal/payloadCodec';
import type { Services } from '../wiring';
import type { Parts } from './parts';

export interface HttpInputs {
  client: Client;
  mongo: MongoConnection;
  services: Services;
  payloadCodec: AesGcmPayloadCodec;
}

export async function serveHttp(parts: Parts, config: Config, log: Logger, { client, mongo, services, payloadCodec }: HttpInputs, listening: string[]): Promise<void> {
  const app = createApp({
    log,
    maxJsonDepth: config.LIMIT_VARIABLE_DEPTH,
    health: createHealthCheck({ temporal: client, mongo, taskQueue: config.TEMPORAL_TASK_QUEUE }),
    mongo,
    bpmnMaxBytes: config.BPMN_MAX_BYTES,
    definitions: services.definitions,
    instances: services.instances,
    tasks: services.tasks,
    migrations: services.migrations,
    jobs: services.jobs,
    signals: services.signals,
    directory: services.directory,
    complaints: services.complaints,
    compliance: services.compliance,
    auth: services.auth,
    metrics: services.metrics,
    sla: services.sla,
    analytics: services.analytics,
    ...(config.METRICS_TOKEN ? { metricsToken: config.METRICS_TOKEN } : {}),
    webRoot: defaultWebRoot(),
    payloadCodec,
  });
  const server = await new Promise<http.Server>((resolve, reject) => {
    const s = outlastClientKeepAlive(app.listen(config.PORT, config.HOST, () => resolve(s)));
    s.once('error', reject);
  });
  parts.own('HTTP API', () => new Promise<void>((resolve) => {
    server.close(() => resolve());
    server.closeIdleConnections();
    const cut = setTimeout(() => server.closeAllConnections(), Math.floor(config.SHUTDOWN_TIMEOUT_MS / 2));
    cut.unref();
  }));
  listening.push(`Web app              http://${config.HOST}:${config.PORT}/ (designer, inbox, instances, SLA)`);
  listening.push(`HTTP API             http://${config.HOST}:${config.PORT}/api (health: /api/health, metrics: /metrics)`);
  if (config.TEMPORAL_METRICS_BIND) listening.push(`Temporal SDK metrics http://${config.TEMPORAL_METRICS_BIND}/metrics`);
}
