/** Zod schemas of the instances, tasks and messages API (validation and OpenAPI). */
import { z } from 'zod';

const variableName = z.string().regex(/^[A-Za-z_][A-Za-z0-9_]*$/, 'letters, digits and _, not starting with a digit');
export const Variables = z.record(variableName, z.unknown()).meta({ id: 'Variables', description: 'Process variables by name' });

/** `pi-<uuid>`, and for an instance started by a call activity its parent's id and `.call-<key>` (repeated when nested). */
export const InstanceId = z.string().regex(/^pi-[0-9a-f-]{36}(\.call-[0-9]{1,12})*$/, 'an instance id like pi-<uuid> or pi-<uuid>.call-<n>').meta({ example: 'pi-3f0c5c4e-8a0b-4a53-9a7e-2f1d6f0a9b11' });
export const InstanceParams = z.object({ id: InstanceId });
export const IncidentParams = z.object({ id: InstanceId, incidentId: z.string().min(1).max(64) });
export const ProcessKeyParams = z.object({ key: z.string().min(1).max(255) });

export const StartBody = z.object({
  variables: Variables.optional(),
  businessKey: z.string().min(1).max(200).optional().meta({ description: 'At most one running instance per process and business key' }),
  version: z.number().int().min(1).optional().meta({ description: 'Definition version; default the latest' }),
}).strict().meta({ id: 'StartInstance' });

export const StartResponse = z.object({ instanceId: InstanceId, version: z.number().int() }).meta({ id: 'InstanceStarted' });

export const InstanceStatus = z.enum(['active', 'completed', 'terminated', 'canceled']);

const flag = z.enum(['true', 'false']).transform((v) => v === 'true');

export const InstanceListQuery = z.object({
  key: z.string().min(1).max(255).optional(),
  status: InstanceStatus.optional(),
  businessKey: z.string().min(1).max(200).optional().meta({ description: 'Exactly this business key (e.g. a complaint number)' }),
  hasIncidents: flag.optional().meta({ description: '`true`: only instances with an open incident; `false`: only those without' }),
  page: z.coerce.number().int().min(1).max(100_000).default(1),
  pageSize: z.coerce.number().int().min(1).max(100).default(20),
});


const iso = z.string().nullable();
export const SlaClock = z.object({
  clockKey: z.string(),
  policyId: z.string(),
  metric: z.enum(['firstResponse', 'resolution', 'element']),
  elementId: z.string().nullable(),
  taskId: z.string().nullable(),
  state: z.enum(['ok', 'at_risk', 'breached', 'met']),
  paused: z.boolean(),
  severity: z.string().nullable(),
  customerTier: z.string().nullable(),
  startedAt: iso,
  targetMs: z.number().meta({ description: 'Target in business milliseconds' }),
  dueAt: iso.meta({ description: 'Breach instant; null while paused or once met' }),
  remainingMs: z.number().nullable().meta({ description: 'Business milliseconds left now; null once met' }),
  pausedMs: z.number().meta({ description: 'Wall-clock milliseconds spent paused' }),
}).passthrough().meta({ id: 'SlaClock' });

export const InstanceDetail = z.object({
  id: z.string(),
  status: InstanceStatus,
  definition: z.object({ key: z.string(), version: z.number().int() }),
  businessKey: z.string().nullable(),
  activeElements: z.array(z.string()),
  variables: z.record(z.string(), z.unknown()),
  tasks: z.array(z.object({ key: z.string(), elementId: z.string(), name: z.string().nullable(), state: z.string(), assignee: z.string().nullable() }).passthrough()),
  incidents: z.array(z.object({ id: z.string(), elementId: z.string(), type: z.string(), message: z.string() }).passthrough()),
  timers: z.array(z.object({ key: z.string(), elementId: z.string(), dueAt: z.number() })),
  slaClocks: z.array(SlaClock).optional().meta({ description: 'Present when the definition has SLA policies (docs/sla.md)' }),
  signals: z.array(z.string()).optional().meta({ description: 'Names of the signals the instance waits for (catch, boundary, event-subprocess start), when there are any: POST /api/signals reaches it' }),
  jobs: z.array(z.object({
    key: z.string(), type: z.string(), elementId: z.string(), state: z.enum(['activatable', 'activated', 'backoff', 'failed']),
    retries: z.number().int(), worker: z.string().nullable(), deadline: z.number().nullable(), errorMessage: z.string().nullable(),
  }).passthrough()).optional().meta({ description: 'Present when the definition has jobs of external workers: the open ones (docs/integrations.md)' }),
}).meta({ id: 'InstanceDetail' });

export const ResolveIncidentBody = z.object({
  retries: z.number().int().min(1).max(1_000_000).optional()
    .meta({ description: "For the incident of an external job that failed with no retries left: the retries it gets (default: the job's retries, as updated with PATCH /api/jobs/{jobKey}, else the diagram's)" }),
}).strict();

export const InstanceSummary = z.object({
  id: z.string(),
  definition: z.object({ key: z.string(), version: z.number().int() }),
  status: InstanceStatus,
  businessKey: z.string().nullable(),
  activeElements: z.array(z.string()),
  openTasks: z.number().int(),
  incidents: z.number().int(),
  startedAt: z.string().nullable(),
  updatedAt: z.string().nullable(),
}).meta({ id: 'InstanceSummary' });

export const InstancePage = z.object({ items: z.array(InstanceSummary), page: z.number(), pageSize: z.number(), total: z.number() });

export const IncidentListQuery = z.object({
  key: z.string().min(1).max(255).optional(),
  page: z.coerce.number().int().min(1).max(100_000).default(1),
  pageSize: z.coerce.number().int().min(1).max(200).default(50),
});

export const IncidentSummary = z.object({
  id: z.string(),
  instanceId: z.string(),
  definition: z.object({ key: z.string(), version: z.number().int() }),
  businessKey: z.string().nullable(),
  elementId: z.string(),
  type: z.string(),
  message: z.string(),
  createdAt: z.string().nullable(),
}).meta({ id: 'IncidentSummary' });

export const IncidentPage = z.object({
  items: z.array(IncidentSummary),
  page: z.number(),
  pageSize: z.number(),
  total: z.number().meta({ description: 'Instances with open incidents (a page holds the incidents of up to pageSize of them)' }),
});

export const HistoryEvent = z.object({
  elementId: z.string(),
  elementType: z.string(),
  event: z.enum(['activated', 'completed', 'terminated', 'warning', 'modified', 'migrated']).meta({
    description: '`warning`: a FEEL expression of the element met a failure that FEEL suppressed (it went on with null, as Camunda 8.3+ does), e.g. a missing variable. `modified` / `migrated` (on the process element): an operator moved tokens or migrated the instance; `message` says who, why and what',
  }),
  time: z.string(),
  message: z.string().optional().meta({ description: 'Warnings, modifications and migrations only. Warnings: the expression and what went wrong, e.g. `\'customer.name\': [NO_VARIABLE_FOUND] Variable \'customer\' not found`' }),
}).meta({ id: 'HistoryEvent' });

export const HistoryQuery = z.object({ source: z.enum(['temporal', 'projection']).default('temporal') });

export const SetVariablesBody = z.object({ variables: Variables }).strict();

/** The longest time-to-live a message may ask for: 7 days. */
export const MAX_MESSAGE_TTL_MS = 7 * 24 * 3600 * 1000;

export const MessageBody = z.object({
  name: z.string().min(1).max(255),
  correlationKey: z.string().max(255).optional(),
  variables: Variables.optional(),
  messageId: z.string().min(1).max(128).optional().meta({ description: 'Deliveries with an id already seen by the instance are ignored; with a time-to-live, a second publish of the same name, correlation key and id while the first is buffered is refused (409)' }),
  timeToLive: z.number().int().min(0).max(MAX_MESSAGE_TTL_MS).optional().meta({
    description: 'Milliseconds the message stays buffered (as in Camunda 8; default 0 = not buffered): a subscription that opens within it receives it, once per process',
  }),
}).strict().meta({ id: 'Message' });

export const PublishedMessage = z.object({
  instanceId: z.string().optional().meta({ description: 'The first instance the message reached (correlated or started)' }),
  messageKey: z.string(),
  correlated: z.array(z.object({ instanceId: z.string(), processKey: z.string() })),
  started: z.array(z.object({ instanceId: z.string(), processKey: z.string() })),
  expiresAt: z.string().nullable().meta({ description: 'Set when buffered' }),
}).meta({ id: 'PublishedMessage' });
