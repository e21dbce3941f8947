/**
 * The service's configuration: one zod schema over the environment, parsed once at start-up.
 * Every default is the embedded mode (local Temporal dev server and FerretDB under DATA_DIR).
 * A bad value stops start-up with a message naming the variable.
 */
import path from 'node:path';
import { z } from 'zod';
import { parseRecipients } from '../activities/integrations/alert-notify-owner/recipients';
import { parsePayloadKeys } from './temporal/payloadCodec';

const port = z.coerce.number().int().min(1).max(65535);
const bool = z
  .enum(['true', 'false', '1', '0', 'yes', 'no'])
  .transform((v) => v === 'true' || v === '1' || v === 'yes');
const optionalString = z.string().trim().min(1).optional();
const csv = z.string().transform((v) => v.split(',').map((s) => s.trim()).filter(Boolean));

const GROUP_ID = /^[a-z][a-z0-9-]{0,63}$/;
const isoDuration = z.string().regex(/^P(?=\d|T\d)(\d+D)?(T(?=\d)(\d+H)?(\d+M)?(\d+S)?)?$/, 'an ISO 8601 duration such as PT4H or P1D');

function recipientIssue(value: string | undefined, kind: 'sms' | 'email', ctx: z.RefinementCtx): void {
  try {
    parseRecipients(value, kind);
  } catch (err) {
    ctx.addIssue({ code: 'custom', message: (err as Error).message });
  }
}

/** Documented in the README; start-up warns when it is used outside tests. */
export const DEFAULT_ADMIN_PASSWORD = 'change-me-admin';

export const envSchema = z.object({
  NODE_ENV: z.enum(['development', 'production', 'test']).default('development'),
  HOST: z.string().min(1).default('127.0.0.1'),
  PORT: port.default(3000),
  DATA_DIR: z.string().min(1).default('./data'),
  LOG_LEVEL: z.enum(['fatal', 'error', 'warn', 'info', 'debug', 'trace', 'silent']).default('info'),

  /** Unset = start the embedded Temporal dev server. */
  TEMPORAL_ADDRESS: optionalString,
  TEMPORAL_NAMESPACE: z.string().min(1).default('default'),
  TEMPORAL_TASK_QUEUE: z.string().min(1).default('complaint-bpm'),
  TEMPORAL_TLS: bool.optional(),
  TEMPORAL_TLS_CERT_PATH: optionalString,
  TEMPORAL_TLS_KEY_PATH: optionalString,
  TEMPORAL_TLS_CA_PATH: optionalString,
  TEMPORAL_TLS_SERVER_NAME: optionalString,
  TEMPORAL_API_KEY: optionalString,
  EMBEDDED_TEMPORAL_PORT: port.default(7233),
  EMBEDDED_TEMPORAL_UI_PORT: port.default(8233),
  /** `false` runs the embedded dev server without its Web UI. */
  EMBEDDED_TEMPORAL_UI: bool.default(true),

  /** Unset = start the embedded FerretDB. */
  MONGODB_URI: optionalString,
  EMBEDDED_FERRETDB_PORT: port.default(27017),
  /** Client connections per process to MongoDB; FerretDB wants few (server/db/mongo.ts). */
  MONGODB_POOL_SIZE: z.coerce.number().int().min(1).max(500).default(8),
  /** Port of the embedded PostgreSQL under FerretDB; unset = a free loopback port at each start. */
  EMBEDDED_POSTGRES_PORT: port.optional(),
  /** When the service runs as root: the account PostgreSQL runs as (default `postgres`, else `nobody`). */
  EMBEDDED_POSTGRES_USER: z.string().regex(/^[a-z_][a-z0-9_-]{0,31}$/, 'a user name').optional(),
  MONGODB_DATABASE: z.string().regex(/^[A-Za-z0-9_-]{1,63}$/, 'letters, digits, _ and - only').default('complaint_bpm'),

  BPMN_MAX_BYTES: z.coerce.number().int().min(1024).default(2 * 1024 * 1024),
  /** Execution limits (docs/security.md, "Execution limits"). Flow-node elements in one deployed process. */
  BPMN_MAX_ELEMENTS: z.coerce.number().int().min(10).default(5000),
  /** Largest compiled model (JSON bytes) a deployment may store: it travels in the workflow input, which Temporal caps at 2 MB. */
  BPMN_MAX_MODEL_BYTES: z.coerce.number().int().min(1024).max(1900 * 1024).default(1536 * 1024),
  /** Element activations within one workflow step before the next one becomes a LIMIT_EXCEEDED incident. */
  LIMIT_STEP_ACTIVATIONS: z.coerce.number().int().min(10).default(10_000),
  /** Live element instances in one process instance (parallel fan-out). */
  LIMIT_LIVE_ELEMENTS: z.coerce.number().int().min(10).default(2000),
  /** Items of a multi-instance input collection. */
  LIMIT_MULTI_INSTANCE: z.coerce.number().int().min(1).default(1000),
  /** Deepest chain of call activities. */
  LIMIT_CALL_DEPTH: z.coerce.number().int().min(1).max(100).default(5),
  /** FEEL: deepest bracket nesting, most iterations of one for/some/every, longest result string, most result items. */
  LIMIT_FEEL_DEPTH: z.coerce.number().int().min(4).max(1000).default(64),
  LIMIT_FEEL_ITERATIONS: z.coerce.number().int().min(10).default(100_000),
  LIMIT_FEEL_STRING_LENGTH: z.coerce.number().int().min(1000).default(1_000_000),
  LIMIT_FEEL_RESULT_ITEMS: z.coerce.number().int().min(10).default(100_000),
  /** Longest a deployment may compile (on its worker thread) before it is refused with 413. */
  COMPILE_TIMEOUT_MS: z.coerce.number().int().min(1000).max(600_000).default(30_000),
  /** Shortest interval of a repeating timer (R/PT…): shorter static ones are refused at deploy, FEEL ones become an incident. */
  TIMER_MIN_CYCLE_SECONDS: z.coerce.number().min(1).max(86_400).default(1),
  /** Deepest nesting of objects/arrays in request variables (deeper: 400). */
  LIMIT_VARIABLE_DEPTH: z.coerce.number().int().min(2).max(1000).default(32),
  /** How long DELETE /api/instances/{id} waits for the workflow to take the cancel before it terminates it (ms). */
  CANCEL_GRACE_MS: z.coerce.number().int().min(0).max(60_000).default(5000),
  HTTP_ALLOWED_HOSTS: csv.default([]),
  /** SMTP server of notify.email (smtp[s]://user:pass@host:port); unset = notify.email fails as NotConfigured. */
  SMTP_URL: z.url({ protocol: /^smtps?$/, error: 'must be an smtp:// or smtps:// URL' }).optional(),
  /** Sender of notify.email; unset = no-reply@localhost. */
  SMTP_FROM: z
    .string()
    .trim()
    .regex(/^(?:[^<>@\s]+@[^<>@\s]+|[^<>]*<[^<>@\s]+@[^<>@\s]+>)$/, 'an address, or Name <address>')
    .optional(),
  /** Compensation below this needs no supervisor approval (process variable compensationAutoApproveLimit). */
  COMPENSATION_AUTO_APPROVE_LIMIT: z.coerce.number().min(0).default(100),
  /** Feedback scores (0-10) at or below this start the low-score-alert process. */
  FEEDBACK_ALERT_THRESHOLD: z.coerce.number().int().min(0).max(10).default(6),
  /** `touchpoint=group,…`: the owner group of a touchpoint, whose inbox gets its low-score alert work orders. */
  TOUCHPOINT_OWNERS: csv.default([]).transform((pairs, ctx) => {
    const owners: Record<string, string> = {};
    for (const pair of pairs) {
      const [touchpoint, group, extra] = pair.split('=').map((s) => s.trim());
      if (!touchpoint || !group || extra !== undefined || !GROUP_ID.test(group)) ctx.addIssue({ code: 'custom', message: 'entries are touchpoint=group (group: lower case, digits, -)' });
      else Object.defineProperty(owners, touchpoint, { value: group, enumerable: true });
    }
    return owners;
  }),
  /** The group that gets the alert work order of a touchpoint without an owner in TOUCHPOINT_OWNERS. */
  ALERT_DEFAULT_GROUP: z.string().trim().regex(GROUP_ID, 'a group id (lower case, digits, -)').default('customer-experience'),
  /** How long a closed alert work order may be reopened (ISO 8601 duration). */
  ALERT_REOPEN_WINDOW: isoDuration.default('P7D'),
  /** `group=+number,…`: who gets an SMS when an alert work order opens for the group (E.164 numbers). */
  ALERT_SMS_TO: z.string().optional().superRefine((v, ctx) => recipientIssue(v, 'sms', ctx)),
  /** `group=address,…`: who gets an e-mail (through SMTP_URL) when an alert work order opens for the group. */
  ALERT_EMAIL_TO: z.string().optional().superRefine((v, ctx) => recipientIssue(v, 'email', ctx)),
  /** The credential of the SMS provider (Twilio Messages API): CREDENTIAL_<NAME>_ACCOUNT_SID, _AUTH_TOKEN, _FROM, _URL. */
  ALERT_SMS_CREDENTIAL: z.string().regex(/^[A-Za-z0-9][A-Za-z0-9_.-]*$/, 'letters, digits, _ . - only').default('sms'),
  /** Key of the signed customer links (decision 0007): 64+ hex digits or 32+ characters; unset = DATA_DIR/customer-link.key, generated once. */
  CUSTOMER_LINK_KEY: z.string().trim().min(32, 'at least 32 characters (or 64 hex digits)').optional(),
  /**
   * Keys of the payload codec (decision 0023): `id:<64 hex digits>`, comma-separated, newest first
   * (it encrypts; all decrypt). Unset = DATA_DIR/payload.keys, generated once. Values are never echoed.
   */
  PAYLOAD_KEYS: z.string().trim().optional().superRefine((value, ctx) => {
    if (value === undefined) return;
    try {
      parsePayloadKeys(value);
    } catch (err) {
      ctx.addIssue({ code: 'custom', message: err instanceof Error ? err.message.replace(/^PAYLOAD_KEYS: /, '') : 'invalid' });
    }
  }),
  /** Lifetime of a customer link, in hours (default 14 days). */
  CUSTOMER_LINK_TTL_HOURS: z.coerce.number().min(0.1).max(24 * 365).default(24 * 14),
  /** Where customers reach the web app; links are <PUBLIC_BASE_URL>/#/complaints/<id>?token=… (in the page fragment, so the token never reaches a proxy or access log). Unset = http://HOST:PORT. */
  PUBLIC_BASE_URL: z.url({ protocol: /^https?$/, error: 'must be an http:// or https:// URL' }).optional(),
  /** 'customer': the customer picks one of the recommended engineers (unless the intake says otherwise); 'auto': the best is assigned. */
  DISPATCH_MODE: z.enum(['auto', 'customer']).default('auto'),
  /** How long the process waits for the customer's engineer choice before assigning the best (ISO 8601 duration). */
  ENGINEER_CHOICE_TIMEOUT: z.string().regex(/^P(?=\d|T\d)(\d+D)?(T(?=\d)(\d+H)?(\d+M)?(\d+S)?)?$/, 'an ISO 8601 duration such as PT4H or P1D').default('PT4H'),
  ATTACHMENT_MAX_BYTES: z.coerce.number().int().min(1024).max(100 * 1024 * 1024).default(10 * 1024 * 1024),
  /** The largest video clip accepted as evidence (mp4, webm, quicktime). */
  ATTACHMENT_VIDEO_MAX_BYTES: z.coerce.number().int().min(1024).max(500 * 1024 * 1024).default(50 * 1024 * 1024),
  SHUTDOWN_TIMEOUT_MS: z.coerce.number().int().min(1000).max(60_000).default(9000),
  RECONCILE_INTERVAL_SECONDS: z.coerce.number().min(0).max(3600).default(30),
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
