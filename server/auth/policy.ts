/**
 * Who may call what: every operation of the API, by its OpenAPI operationId. Deny by default:
 * `addRoute` (and the hand-written routers) look their operation up here at start-up and throw
 * when it is missing, so a new route cannot ship without a decision about its access.
 *
 * - 'public': anyone, no token needed (a token, even a bad one, is ignored);
 * - 'authenticated': any signed-in user, whatever their roles;
 * - a list of roles: a signed-in user holding at least one of them.
 *
 * Handlers narrow further by the user (`currentUser(req)`), e.g. agents see only their
 * groups' tasks. The matrix in docs/api.md mirrors this table; tests/integration/authMatrix
 * checks every entry over HTTP.
 */
import type { OpenAPIRegistry } from '@asteasolutions/zod-to-openapi';
import type { Role } from './roles';

export type Policy = 'public' | 'authenticated' | readonly Role[];

/** Read-only: compliance reads the diagrams its instances ran (issue 15, decision 0037), it deploys nothing. */
const DEFINITION_READERS: readonly Role[] = ['designer', 'operator', 'admin', 'supervisor', 'compliance'];
const INSTANCE_READERS: readonly Role[] = ['operator', 'supervisor', 'compliance', 'admin', 'department_head'];
const INSTANCE_OPERATORS: readonly Role[] = ['operator', 'admin'];
const TASK_WORKERS: readonly Role[] = ['agent', 'engineer', 'supervisor', 'department_head', 'admin'];
const SLA_READERS: readonly Role[] = ['operator', 'supervisor', 'department_head', 'compliance', 'admin'];
/** The complete record of complaints; engine payloads are decrypted for compliance and admin only (server/compliance/router.ts). */
const COMPLIANCE_READERS: readonly Role[] = ['compliance', 'admin', 'supervisor', 'department_head'];
/** Managers: workload analytics, what drives low scores, the forecast (server/analytics). */
const ANALYTICS_READERS: readonly Role[] = ['supervisor', 'department_head', 'admin'];
const DIRECTORY_READERS: readonly Role[] = ['agent', 'engineer', 'supervisor', 'department_head', 'operator', 'admin'];

export const POLICIES: Readonly<Record<string, Policy>> = {
  // operations
  getHealth: 'public',
  getOpenApi: 'public',
  getApiDocs: 'public',
  // Prometheus scrapes: also a static METRICS_TOKEN (server/metrics/router.ts), checked before this.
  getMetrics: ['operator', 'admin'],
  // Temporal's remote codec: decrypting history payloads shows personal data (decision 0023).
  codecDecode: ['operator', 'admin'],
  codecEncode: ['operator', 'admin'],

  // auth and users
  login: 'public',
  logout: 'authenticated',
  getMe: 'authenticated',
  createUser: ['admin'],
  listUsers: ['admin'],

  // definitions
  deployDefinition: ['designer', 'admin'],
  // four-eyes: changes to shipped or live processes wait for a second publisher
  listDefinitionProposals: ['designer', 'admin'],
  approveDefinitionProposal: ['designer', 'admin'],
  rejectDefinitionProposal: ['designer', 'admin'],
  listDefinitions: DEFINITION_READERS,
  listDefinitionVersions: DEFINITION_READERS,
  getDefinitionVersion: DEFINITION_READERS,
  getDefinitionXml: DEFINITION_READERS,
  // element names in the reader's language: everyone who sees tasks or diagrams
  getDefinitionLabels: [...new Set([...DEFINITION_READERS, ...TASK_WORKERS])],
  // DMN decisions (decision 0036)
  deployDecisions: ['designer', 'admin'],
  listDecisions: DEFINITION_READERS,
  getDecision: DEFINITION_READERS,
  getDecisionVersion: DEFINITION_READERS,
  evaluateDecision: ['designer', 'admin'],
  // the activity catalog as element templates, for the designer
  listElementTemplates: ['designer', 'admin'],

  // instances (customers start complaints through the complaints API, not here)
  startInstance: ['agent', 'supervisor', 'operator', 'admin'],
  listInstances: INSTANCE_READERS,
  getInstance: INSTANCE_READERS,
  getInstanceHistory: INSTANCE_READERS,
  setInstanceVariables: INSTANCE_OPERATORS,
  cancelInstance: INSTANCE_OPERATORS,
  resolveIncident: INSTANCE_OPERATORS,
  listIncidents: INSTANCE_READERS,
  // token modification and migration (decisions 0040, 0041)
  modifyInstance: INSTANCE_OPERATORS,
  dryRunMigration: INSTANCE_OPERATORS,
  startMigration: INSTANCE_OPERATORS,
  getMigration: INSTANCE_OPERATORS,
  correlateMessage: ['operator', 'admin', 'integration'],
  // as messages: a `publishers` property on the bpmn:Signal narrows it (decision 0034)
  broadcastSignal: ['operator', 'admin', 'integration'],

  // jobs of external workers (server/jobs): integrations serve them; operators look and fix retries
  activateJobs: ['integration', 'admin'],
  completeJob: ['integration', 'admin'],
  failJob: ['integration', 'admin'],
  throwJobError: ['integration', 'admin'],
  updateJob: ['integration', 'operator', 'admin'],
  listJobs: ['integration', ...INSTANCE_READERS],

  // tasks (agents and engineers only within their candidate groups: see tasksRouter)
  listTasks: TASK_WORKERS,
  claimTask: TASK_WORKERS,
  unclaimTask: TASK_WORKERS,
  completeTask: TASK_WORKERS,
  getTaskForm: TASK_WORKERS,
  getTask: TASK_WORKERS,

  // staff directory: who works where, and who should take a complaint (no customer data)
  recommendStaff: DIRECTORY_READERS,
  listStaff: DIRECTORY_READERS,
  listDepartments: DIRECTORY_READERS,
  // who did what by name on the staff pages (compliance reads the same timelines)
  getPeopleNames: [...DIRECTORY_READERS, 'compliance'],
  listOutlets: DIRECTORY_READERS,

  // complaints: customers only their own (server/complaints/router.ts narrows by currentUser)
  createComplaint: ['customer', 'agent', 'supervisor', 'admin'],
  listComplaints: ['customer', ...TASK_WORKERS, 'operator', 'compliance'],
  getComplaint: ['customer', ...TASK_WORKERS, 'operator', 'compliance'],
  evaluateComplaint: ['customer', 'agent', 'supervisor', 'admin'],
  // reopening a resolved complaint: its customer, and staff who answer for it (decision 0051); engineers and operators do not
  reopenComplaint: ['customer', 'agent', 'supervisor', 'department_head', 'admin'],
  // closing a resolved complaint without the customer's evaluation: those who answer for the outcome (decision 0051)
  closeComplaint: ['supervisor', 'department_head', 'admin'],
  addCommitment: TASK_WORKERS,
  addComplaintAttachment: ['customer', 'agent', 'engineer', 'supervisor', 'admin'],
  submitFeedback: ['customer', 'agent', 'supervisor', 'admin', 'integration'],
  reopenAlert: ['agent', 'supervisor', 'department_head', 'admin'],
  commentTask: TASK_WORKERS,
  transferTask: TASK_WORKERS,
  getComplaintAttachment: ['customer', ...TASK_WORKERS, 'operator', 'compliance'],
  // a video's poster frame (decision 0051): sent by whoever may upload, read by whoever may read attachments
  addAttachmentThumbnail: ['customer', 'agent', 'engineer', 'supervisor', 'admin'],
  getAttachmentThumbnail: ['customer', ...TASK_WORKERS, 'operator', 'compliance'],
  chooseEngineer: ['customer', 'agent', 'supervisor', 'admin'],
  // from a task: staff who work tasks bring another department in (decision 0044)
  bringInDepartment: TASK_WORKERS,
  keepMyExpert: ['customer', 'agent', 'supervisor', 'admin'],
  // the visit: the serving engineer proposes and records it (checked in the handler), the customer answers
  proposeVisit: ['engineer', 'supervisor', 'department_head', 'admin'],
  recordVisit: ['engineer', 'supervisor', 'department_head', 'admin'],
  answerVisit: ['customer', 'agent', 'supervisor', 'admin'],
  // the public engineer profile: name, photo, rating, tags, recent comments (decision 0045)
  getEngineerProfile: 'public',
  createCustomerLink: ['agent', 'supervisor', 'admin'],

  // compliance (decision 0037): search, the complete record, the diagram it ran (read-only), exports
  searchCompliance: COMPLIANCE_READERS,
  getComplianceRecord: COMPLIANCE_READERS,
  getComplianceDiagram: COMPLIANCE_READERS,
  exportCompliance: COMPLIANCE_READERS,

  // SLA operations monitoring: ids, departments and times only, no customer data
  getSlaOverview: SLA_READERS,
  listSlaBreaches: SLA_READERS,
  getSlaHeatmap: SLA_READERS,

  // workload analytics, low-score drivers, forecast: managers; counts and staff names, no customer data
  getWorkload: ANALYTICS_READERS,
  exportWorkload: ANALYTICS_READERS,
  getLowScoreDrivers: ANALYTICS_READERS,
  getForecast: ANALYTICS_READERS,
  // what-if simulation of a draft (designer) and diagram coverage (docs/designer.md)
  runSimulation: ['designer', 'admin'],
  getDefinitionCoverage: DEFINITION_READERS,
};

/**
 * What a signed customer link (server/auth/customerLink.ts) may do, on its own complaint only:
 * the customer view, the evaluation, the engineer choice and attachments. Every operation here
 * has the complaint id as path parameter `id` (checked by checkPolicy).
 */
export const CUSTOMER_LINK_OPERATIONS: ReadonlySet<string> = new Set([
  'getComplaint', 'evaluateComplaint', 'chooseEngineer', 'addComplaintAttachment', 'getComplaintAttachment', 'keepMyExpert', 'answerVisit',
  'addAttachmentThumbnail', 'getAttachmentThumbnail',
]);

export class MissingPolicyError extends Error {
  constructor(operationId: string) {
    super(`Operation '${operationId}' has no access policy: add it to POLICIES in server/auth/policy.ts`);
    this.name = 'MissingPolicyError';
  }
}

/** The policy of an operation; throws when there is none (deny by default, at start-up). */
export function policyFor(operationId: string, policies: Readonly<Record<string, Policy>> = POLICIES): Policy {
  if (!Object.hasOwn(policies, operationId)) throw new MissingPolicyError(operationId);
  return policies[operationId] as Policy;
}

/** Throws when an operation in the OpenAPI registry has no policy (call once every router registered). */
export function assertEveryOperationHasPolicy(registry: OpenAPIRegistry, policies: Readonly<Record<string, Policy>> = POLICIES): void {
  for (const definition of registry.definitions) {
    if (definition.type !== 'route') continue;
    const { operationId, method, path } = definition.route;
    if (!operationId) throw new Error(`${method.toUpperCase()} ${path} has no operationId, so no access policy`);
    policyFor(operationId, policies);
  }
}
