/** The express application: security headers, JSON limits, the /api routes, JSON errors. */
import express, { type Express } from 'express';
import helmet from 'helmet';
import type { Connection } from 'mongoose';
import type { PayloadCodec } from '@temporalio/common';
import { catalogRouter } from '../api/catalog/router';
import { codecRouter } from '../api/codec/router';
import { definitionsRouter } from '../definitions/router';
import { createDefinitionRepository } from '../definitions/repository';
import { createDefinitionsService, type DefinitionsService } from '../definitions/service';
import { createFormStore } from '../definitions/forms';
import { decisionsRouter } from '../api/decisions/router';
import { createDecisionsService, type DecisionsService } from '../api/decisions/service';
import { createDecisionStore } from '../api/decisions/store';
import { createFourEyes } from '../definitions/fourEyes';
import { fourEyesRouter } from '../definitions/fourEyesRouter';
import { labelsRouter } from '../definitions/labelsRouter';
import { SHIPPED_PROCESSES } from '../complaints/shippedProcesses';
import { projectionModels } from '../projections/models';
import { directoryRouter, type ComplaintCriteriaLookup } from '../api/directory/router';
import { healthRouter } from '../api/health/router';
import { createPeopleNames, peopleRouter } from '../api/people/router';
import { instancesRouter } from '../instances/router';
import type { InstancesService } from '../instances/service';
import type { TasksService } from '../tasks/service';
import { tasksRouter } from '../tasks/router';
import { migrationsRouter } from '../api/migrations/router';
import type { MigrationsService } from '../api/migrations/service';
import { createApiRegistry, openApiRouter } from './openapi';
import { complaintsRouter, type ComplaintsApi } from '../complaints/router';
import { authRouter } from '../api/auth/router';
import { authenticate } from '../auth/middleware';
import { assertEveryOperationHasPolicy } from '../auth/policy';
import { createAuthService, type AuthService } from '../auth/service';
import { createDirectoryService, type DirectoryService } from '../domain/directory';
import type { HealthReport } from '../health';
import type { Logger } from '../log';
import { createMetrics, type Metrics } from '../metrics';
import { metricsRouter, scrapeTokenShortcut } from '../metrics/router';
import { slaRouter } from '../sla/router';
import { analyticsRouter } from '../analytics/router';
import { createAnalyticsService, type AnalyticsService } from '../analytics/service';
import { simulationsRouter } from '../simulations/router';
import { createSimulationsService, type SimulationsService } from '../simulations/service';
import { createSlaService, type SlaService } from '../sla/service';
import { jsonDepthLimit } from './depthLimit';
import { errorHandler, notFound } from './errors';
import { requestIdInErrors, requestLog } from './requestLog';
import { assertEveryApiRouteDeclared } from './routeGuard';
import { webAppRouter } from './webApp';
import { jobsRouter } from '../jobs/router';
import { complianceRouter } from '../compliance/router';
import type { ComplianceService } from '../compliance/service';
import type { JobsService } from '../jobs/service';
import { signalsRouter } from '../signals/router';
import type { SignalsService } from '../signals/service';

export interface AppDeps {
  log: Logger;
  health: () => Promise<HealthReport>;
  /** MongoDB; with it (or `definitions`) the app serves /api/definitions. */
  mongo?: Connection;
  /** BPMN_MAX_BYTES: the largest BPMN document POST /api/definitions accepts (default 2 MiB). */
  bpmnMaxBytes?: number;
  /** A definitions service to share (e.g. with the instance starter); default: one on `mongo`. */
  definitions?: DefinitionsService;
  /** DMN decisions (/api/decisions); default: one on `mongo`. */
  decisions?: DecisionsService;
  /** Process instances, messages and the task inbox (need Temporal). */
  instances?: InstancesService;
  tasks?: TasksService;
  /** Token modification and instance migration (need Temporal). */
  migrations?: MigrationsService;
  /** The staff directory (/api/staff, /api/departments, /api/outlets); default: one on `mongo`. */
  directory?: DirectoryService;
  /** Lets GET /api/staff/recommendations take `complaintId=` (the complaints service provides it). */
  complaintCriteria?: ComplaintCriteriaLookup;
  /** Complaints, feedback, task comments and transfers (need instances). */
  complaints?: ComplaintsApi;
  /** Users and sessions; default: one on `mongo`. Without either, only 'public' operations answer. */
  auth?: AuthService;
  /** The service's metrics (GET /metrics, request durations); default: a registry of this app's own. */
  metrics?: Metrics;
  /** METRICS_TOKEN: a static bearer token that may read GET /metrics. */
  metricsToken?: string;
  /** The built browser app (web/dist) to serve at `/`; without it only the API answers. */
  webRoot?: string;
  /** SLA operations (/api/sla/*); default: one on `mongo` (its clock index then only re-reads, nothing feeds it). */
  sla?: SlaService;
  /** Workload analytics, low-score drivers, forecast (/api/analytics/*); default: one on `mongo`. */
  analytics?: AnalyticsService;
  /** LIMIT_VARIABLE_DEPTH: JSON bodies nested deeper are refused with 400 (default 32). */
  maxJsonDepth?: number;
  /** The payload codec of the Temporal clients (decision 0023): /api/codec/* answer 404 without one. */
  payloadCodec?: PayloadCodec;
  /** The job API of external workers (/api/jobs, needs Temporal). */
  jobs?: JobsService;
  /** Signal broadcasts (/api/signals, needs Temporal). */
  signals?: SignalsService;
  /** Compliance search, records and exports (/api/compliance, decision 0037). */
  compliance?: ComplianceService;
  /** What-if simulation and diagram coverage; default: one on `mongo` and the definitions. */
  simulations?: SimulationsService;
}

const DEFAULT_BPMN_MAX_BYTES = 2 * 1024 * 1024;

export function createApp(deps: AppDeps): Express {
  const app = express();
  const registry = createApiRegistry();
  app.disable('x-powered-by');
  app.set('trust proxy', 'loopback');
  // First, so every answer (also helmet's and the auth checks') carries the request id.
  app.use(requestLog(deps.log), requestIdInErrors);
  app.use(helmet({
    contentSecurityPolicy: {
      directives: {
        // bpmn-js and form-js set inline styles on diagram and form elements; scripts stay 'self'.
        'style-src': ["'self'", "'unsafe-inline'"],
        // Photo previews (blob:) and the bpmn.io watermark (data:).
        'img-src': ["'self'", 'data:', 'blob:'],
        // Video evidence plays from blob: URLs, and the inbox draws its poster frame from one (decision 0051).
        'media-src': ["'self'", 'blob:'],
        // The embedded service speaks plain HTTP on a LAN address; do not rewrite to https.
        'upgrade-insecure-requests': null,
      },
    },
  }));
  const metrics = deps.metrics ?? createMetrics();
  app.use(metrics.http);
  app.use(scrapeTokenShortcut(metrics, deps.metricsToken));
  // Who is calling, before any router: each operation's policy check reads it (server/auth/policy.ts).
  const auth = deps.auth ?? (deps.mongo && createAuthService({ mongo: deps.mongo, log: deps.log }));
  app.use(authenticate(auth, deps.complaints?.links));
  // API requests without a valid token (login, the OpenAPI document, guessed tokens): per address, counted in the database.
  if (auth) app.use(auth.guard.unauthenticatedLimit());

  const maxBytes = deps.bpmnMaxBytes ?? DEFAULT_BPMN_MAX_BYTES;
  const decisions = deps.decisions ?? (deps.mongo && createDecisionsService({ store: createDecisionStore(deps.mongo), maxBytes, log: deps.log }));
  const definitions =
    deps.definitions ??
    (deps.mongo && createDefinitionsService({ repository: createDefinitionRepository(deps.mongo), forms: createFormStore(deps.mongo), ...(decisions ? { decisions } : {}), maxBytes, log: deps.log }));
  // Before the JSON parser: a deployment is XML, and a JSON body must get its 415, not a JSON parse.
  const fourEyes = definitions && deps.mongo ? createFourEyes({
    mongo: deps.mongo, definitions, log: deps.log,
    shippedKeys: new Set(SHIPPED_PROCESSES.map((p) => p.key)),
    isLive: (() => {
      const instances = projectionModels(deps.mongo).instances;
      return async (key: string) => (await instances.exists({ definitionKey: key, status: 'active' })) !== null;
    })(),
  }) : undefined;
  if (definitions) app.use(definitionsRouter({ service: definitions, registry, maxBytes, ...(fourEyes ? { fourEyes } : {}) }));
  if (fourEyes) app.use(fourEyesRouter(fourEyes, registry));
  if (definitions) app.use(labelsRouter(definitions, registry));
  // Before the 1 MB JSON parser: a page of history payloads may be larger.
  app.use(codecRouter({ codec: deps.payloadCodec, log: deps.log, registry }));

  app.use(express.json({ limit: '1mb' }));
  app.use(jsonDepthLimit(deps.maxJsonDepth ?? 32));
  app.use(healthRouter(deps.health, registry));
  // After the JSON parser (evaluate takes JSON); its deploy route reads XML itself.
  if (decisions) app.use(decisionsRouter({ service: decisions, registry, maxBytes }));
  app.use(metricsRouter(metrics, registry));
  app.use(catalogRouter(registry));
  if (auth) app.use(authRouter(auth, registry));
  if (deps.instances) app.use(instancesRouter(deps.instances, registry));
  if (deps.tasks || deps.complaints) {
    app.use(tasksRouter({ ...(deps.tasks ? { service: deps.tasks } : {}), ...(deps.complaints ? { collaboration: deps.complaints.taskActions } : {}) }, registry));
  }
  if (deps.migrations) app.use(migrationsRouter(deps.migrations, registry));
  if (deps.jobs) app.use(jobsRouter(deps.jobs, registry));
  if (deps.signals) app.use(signalsRouter(deps.signals, registry));
  const directory = deps.directory ?? (deps.mongo && createDirectoryService(deps.mongo));
  if (directory) {
    app.use(directoryRouter({ directory, registry, ...(deps.complaintCriteria ? { complaintCriteria: deps.complaintCriteria } : {}) }));
  }
  if (deps.mongo) app.use(peopleRouter(createPeopleNames(deps.mongo), registry));
  if (deps.complaints) app.use(complaintsRouter(deps.complaints, registry));
  if (deps.compliance) app.use(complianceRouter(deps.compliance, registry, deps.log));
  const sla = deps.sla ?? (deps.mongo && createSlaService({ mongo: deps.mongo, log: deps.log }));
  if (sla) app.use(slaRouter(sla, registry));
  const analytics = deps.analytics ?? (deps.mongo && createAnalyticsService(deps.mongo));
  if (analytics) app.use(analyticsRouter(analytics, registry));
  const simulations = deps.simulations ?? (definitions && deps.mongo
    ? createSimulationsService({ definitions, projections: projectionModels(deps.mongo), maxBytes })
    : undefined);
  if (simulations) app.use(simulationsRouter(simulations, registry));
  app.use(openApiRouter(registry));
  // Deny by default, also for operations registered without addRoute.
  assertEveryOperationHasPolicy(registry);

  if (deps.webRoot) app.use(webAppRouter(deps.webRoot));

  app.use('/api', notFound);
  app.use(errorHandler(deps.log));
  assertEveryApiRouteDeclared(app);
  return app;
}
