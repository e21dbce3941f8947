/**
 * GET /metrics of `npm run worker` (WORKER_METRICS_PORT): the worker's own registry — the same
 * complaint_bpm_* metrics the API process serves, from the same createMetrics() — followed by
 * the Temporal SDK's worker metrics (temporal_*), read from the SDK's Prometheus exporter on a
 * loopback port. One scrape target per worker. With METRICS_TOKEN set, the scraper must send
 * it as bearer token; without it, bind to loopback or a private interface.
 */
import http from 'node:http';
import type { AddressInfo } from 'node:net';
import type { Registry } from 'prom-client';
import type { Logger } from '../log';
import { isScrapeToken } from './index';

export interface WorkerMetricsOptions {
  host: string;
  port: number;
  registry: Registry;
  /** The SDK exporter's page, e.g. http://127.0.0.1:9464/metrics; unset = ours only. */
  sdkUrl?: string | undefined;
  token?: string | undefined;
  log: Logger;
}

async function sdkText(url: string | undefined, log: Logger): Promise<string> {
  if (!url) return '';
  try {
    const res = await fetch(url, { signal: AbortSignal.timeout(2000) });
    if (res.ok) return await res.text();
    log.warn({ status: res.status }, 'Temporal SDK metrics exporter answered with an error');
  } catch (err) {
    log.warn({ err }, 'Temporal SDK metrics exporter did not answer');
  }
  return '# Temporal SDK metrics unavailable\n';
}

export async function serveWorkerMetrics(options: WorkerMetricsOptions): Promise<http.Server> {
  const { registry, log } = options;
  const server = http.createServer((req, res) => {
    const path = (req.url ?? '').split('?')[0];
    if (req.method !== 'GET' || path !== '/metrics') {
      res.writeHead(404, { 'content-type': 'application/json' }).end(JSON.stringify({ error: 'not_found', message: 'Only GET /metrics here' }));
      return;
    }
    if (options.token && !isScrapeToken(req.headers.authorization, options.token)) {
      res.writeHead(401, { 'content-type': 'application/json' }).end(JSON.stringify({ error: 'unauthorized', message: 'Send METRICS_TOKEN as bearer token' }));
      return;
    }
    Promise.all([registry.metrics(), sdkText(options.sdkUrl, log)]).then(
      ([ours, sdk]) => res.writeHead(200, { 'content-type': registry.contentType }).end(`${ours}\n${sdk}`),
      (err: unknown) => {
        log.error({ err }, 'metrics collection failed');
        res.writeHead(500, { 'content-type': 'application/json' }).end(JSON.stringify({ error: 'internal', message: 'Metrics collection failed' }));
      },
    );
  });
  await new Promise<void>((resolve, reject) => {
    server.once('error', reject);
    server.listen(options.port, options.host, () => resolve());
  });
  const { address, port } = server.address() as AddressInfo;
  log.info({ address, port }, 'worker metrics at /metrics');
  return server;
}
