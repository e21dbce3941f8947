/**
 * The service's configuration: one zod schema over the environment, parsed once at start-up.
 * Every default is the embedded mode (local Temporal dev server and FerretDB under DATA_DIR).
 * A bad value stops start-up with a message naming the variable. The variables are declared by
 * section in server/env/ (servers, limits, the complaint domain) and here (operations, sign-in,
 * observability), in this order.
 */
import path from 'node:path';
import { z } from 'zod';
import { complaintsEnv } from './env/complaints';
import { limitsEnv } from './env/limits';
import { serversEnv } from './env/servers';
import { bool, port } from './env/types';

/** Documented in the README; start-up warns when it is used outside tests. */
export const DEFAULT_ADMIN_PASSWORD = 'change-me-admin';

export const envSchema = z.object({
  ...serversEnv,
  ...limitsEnv,
  ...complaintsEnv,
  SHUTDOWN_TIMEOUT_MS: z.coerce.number().int().min(1000).max(60_000).default(9000),
  RECONCILE_INTERVAL_SECONDS: z.coerce.number().min(0).max(3600).default(30),
  /** How long a process's first snapshot after a quiet spell waits for more before it is written (decision 0063). */
  PROJECTION_LINGER_MS: z.coerce.number().int().min(0).max(1000).default(25),
  /** `false`: no demo directory (departments, outlets, staff, customers) on the first embedded start. */
  SEED_DEMO: bool.default(true),

  /** The admin account created at start when no admin exists. */
  ADMIN_EMAIL: z.string().trim().toLowerCase().email().default('admin@example.com'),
  ADMIN_PASSWORD: z.string().min(12, 'at least 12 characters').max(1024).default(DEFAULT_ADMIN_PASSWORD),
  AUTH_TOKEN_TTL_HOURS: z.coerce.number().min(0.05).max(24 * 30).default(12),
  /** Wrong passwords per account and client address (15 minutes) before a lockout (docs/security.md). */
  LOGIN_MAX_FAILURES: z.coerce.number().int().min(1).max(1000).default(5),
  /** The first lockout; each further one within a day doubles it, up to a day. */
  LOGIN_LOCKOUT_SECONDS: z.coerce.number().int().min(1).max(86_400).default(60),
  /** Wrong passwords per client address an hour (any accounts) before the address is blocked for an hour. */
  LOGIN_IP_MAX_FAILURES: z.coerce.number().int().min(1).max(100_000).default(100),
  /** Requests without a valid token per client address a minute (login, health, the web app). */
  UNAUTHENTICATED_RATE_LIMIT: z.coerce.number().int().min(1).max(1_000_000).default(600),
  /** scrypt hashes computed at once per process (the rest wait): leaves libuv's pool to files and DNS. */
  PASSWORD_HASH_CONCURRENCY: z.coerce.number().int().min(1).max(64).default(2),

  /** A static bearer token Prometheus may scrape GET /metrics with (besides operator/admin sign-ins). */
  METRICS_TOKEN: z.string().trim().min(16, 'at least 16 characters').optional(),
  /** host:port where the Temporal SDK serves its own worker metrics (Prometheus); unset = off. */
  TEMPORAL_METRICS_BIND: z.string().regex(/^[^\s:]+:\d{1,5}$/, 'host:port, e.g. 127.0.0.1:9464').optional(),
  /** `npm run worker` only: the port (on HOST) of its GET /metrics, ours and the SDK's; unset = none. */
  WORKER_METRICS_PORT: port.optional(),
  /** Workflow tasks one worker runs at once (unset: the Temporal SDK's default, 40). */
  WORKER_MAX_WORKFLOW_TASKS: z.coerce.number().int().min(2).max(1000).optional(),
  /** Jobs (activities and local activities, each) one worker runs at once (unset: the SDK's default, 100). */
  WORKER_MAX_JOBS: z.coerce.number().int().min(1).max(1000).optional(),

  /** Where incident and SLA breach alerts go (a webhook or a group robot's address); unset = no alerts. */
  ALERT_WEBHOOK_URL: z.url({ protocol: /^https?$/, error: 'must be an http or https URL' }).optional(),
  /** How ALERT_WEBHOOK_URL is spoken to: a JSON webhook or a WeCom/DingTalk/Feishu group robot. */
  ALERT_CHANNEL: z.enum(['webhook', 'wecom', 'dingtalk', 'feishu']).default('webhook'),
  /** Signs alerts: the webhook's HMAC secret (x-signature-256) or the robot's signing secret. */
  ALERT_SECRET: z.string().trim().min(8, 'at least 8 characters').optional(),
  /** How often the API re-reads all SLA clocks for the overview (seconds; 0 = only at first use). */
  SLA_INDEX_REFRESH_SECONDS: z.coerce.number().int().min(0).max(86_400).default(300),
  /** How often the API reads the SLA clock changes other processes published (seconds; 0 = never, only the full re-read). Decision 0014. */
  SLA_INDEX_FOLLOW_SECONDS: z.coerce.number().min(0).max(60).default(1),

  /**
   * What `npm start` runs: `all` = the HTTP API and a worker in one process; `api` = the HTTP API only,
   * with workers run apart (`npm run worker`). `api` needs TEMPORAL_ADDRESS, MONGODB_URI, CUSTOMER_LINK_KEY and PAYLOAD_KEYS.
   */
  SERVICE_ROLE: z.enum(['all', 'api']).default('all'),
});

export type Env = z.infer<typeof envSchema>;

export interface Config extends Env {
  /** DATA_DIR made absolute. */
  dataDir: string;
  embeddedTemporal: boolean;
  embeddedMongo: boolean;
}

export class ConfigError extends Error {
  constructor(readonly issues: Array<{ variable: string; message: string }>) {
    super(
      'Invalid configuration:\n' +
        issues.map((i) => `  ${i.variable}: ${i.message}`).join('\n'),
    );
    this.name = 'ConfigError';
  }
}

/** Parses `env` (default: process.env) or throws a ConfigError naming every bad variable. */
export function loadConfig(env: NodeJS.ProcessEnv = process.env, cwd = process.cwd()): Config {
  // Empty strings mean "unset", as in most shells' `VAR= command`.
  const present = Object.fromEntries(Object.entries(env).filter(([, v]) => v !== undefined && v !== ''));
  const parsed = envSchema.safeParse(present);
  if (!parsed.success) {
    throw new ConfigError(
      parsed.error.issues.map((issue) => ({
        variable: String(issue.path[0] ?? '(environment)'),
        // The value itself is not echoed: it may be a secret (TEMPORAL_API_KEY, MONGODB_URI).
        message: issue.message,
      })),
    );
  }
  const value = parsed.data;
  const tlsFiles = [value.TEMPORAL_TLS_CERT_PATH, value.TEMPORAL_TLS_KEY_PATH].filter(Boolean).length;
  if (tlsFiles === 1) {
    throw new ConfigError([
      { variable: 'TEMPORAL_TLS_CERT_PATH', message: 'mTLS needs both TEMPORAL_TLS_CERT_PATH and TEMPORAL_TLS_KEY_PATH' },
    ]);
  }
  if (value.SERVICE_ROLE === 'api') {
    // An API-only process is one of several against shared servers: nothing embedded, one link key for all.
    const needed = {
      TEMPORAL_ADDRESS: 'SERVICE_ROLE=api runs no embedded Temporal: set the address of the shared one',
      MONGODB_URI: 'SERVICE_ROLE=api runs no embedded database: set the URI of the shared one',
      CUSTOMER_LINK_KEY: 'SERVICE_ROLE=api needs the customer link key every API and worker process shares',
      PAYLOAD_KEYS: 'SERVICE_ROLE=api needs the payload keys every API and worker process shares (decision 0023)',
    } as const;
    const missing = (Object.keys(needed) as Array<keyof typeof needed>).filter((name) => value[name] === undefined);
    if (missing.length) throw new ConfigError(missing.map((variable) => ({ variable, message: needed[variable] })));
  }
  return {
    ...value,
    dataDir: path.resolve(cwd, value.DATA_DIR),
    embeddedTemporal: value.TEMPORAL_ADDRESS === undefined,
    embeddedMongo: value.MONGODB_URI === undefined,
  };
}
