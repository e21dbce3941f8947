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

const DEFINITION_READERS: readonly Role[] = ['designer', 'operator', 'admin', 'supervisor'];
const INSTANCE_READERS: readonly Role[] = ['operator', 'supervisor', 'compliance', 'admin', 'department_head'];
const INSTANCE_OPERATORS: readonly Role[] = ['operator', 'admin'];
const TASK_WORKERS: readonly Role[] = ['agent', 'engineer', 'supervisor', 'department_head', 'admin'];
const DIRECTORY_READERS: readonly Role[] = ['agent', 'engineer', 'supervisor', 'department_head', 'operator', 'admin'];

export const POLICIES: Readonly<Record<string, Policy>> = {
  // operations
  getHealth: 'public',
  getOpenApi: 'public',
  getApiDocs: 'public',
  // Prometheus scrapes: also a static METRICS_TOKEN (server/metrics/router.ts), checked before this.
  getMetrics: ['operator', 'admin'],

  // auth and users
  login: 'public',
  logout: 'authenticated',
  getMe: 'authenticated',
  createUser: ['admin'],
  listUsers: ['admin'],

  // definitions
  deployDefinition: ['designer', 'admin'],
  listDefinitions: DEFINITION_READERS,
  listDefinitionVersions: DEFINITION_READERS,
  getDefinitionVersion: DEFINITION_READERS,
  getDefinitionXml: DEFINITION_READERS,
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
  correlateMessage: ['operator', 'admin', 'integration'],

  // tasks (agents and engineers only within their candidate groups: see tasksRouter)
  listTasks: TASK_WORKERS,
  claimTask: TASK_WORKERS,
  unclaimTask: TASK_WORKERS,
  completeTask: TASK_WORKERS,

  // staff directory: who works where, and who should take a complaint (no customer data)
  recommendStaff: DIRECTORY_READERS,
  listStaff: DIRECTORY_READERS,
  listDepartments: DIRECTORY_READERS,
  listOutlets: DIRECTORY_READERS,

  // complaints: customers only their own (server/complaints/router.ts narrows by currentUser)
  createComplaint: ['customer', 'agent', 'supervisor', 'admin'],
  listComplaints: ['customer', ...TASK_WORKERS, 'operator', 'compliance'],
  getComplaint: ['customer', ...TASK_WORKERS, 'operator', 'compliance'],
  evaluateComplaint: ['customer', 'agent', 'supervisor', 'admin'],
  reopenComplaint: ['customer', 'agent', 'supervisor', 'admin'],
  addCommitment: TASK_WORKERS,
  addComplaintAttachment: ['customer', 'agent', 'engineer', 'supervisor', 'admin'],
  submitFeedback: ['customer', 'agent', 'supervisor', 'admin', 'integration'],
  commentTask: TASK_WORKERS,
  transferTask: TASK_WORKERS,
};

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
