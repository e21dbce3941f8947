/**
 * THE route × role matrix: for every operation in the policy table and every role (plus no
 * token and a bad token), a real HTTP request is refused with 401/403 exactly when the policy
 * says so. Inputs are harmless on purpose (unknown ids, empty bodies): an admitted request
 * may well answer 400 or 404, what matters is that it got past the access check.
 */
import { POLICIES, type Policy } from '../../server/auth/policy';
import { ROLES, type Role } from '../../server/auth/roles';
import { apiClient, type Api } from '../support/auth';
import { startStack, type Stack } from '../support/stack';

type Caller = Role | 'anonymous' | 'bad token';
const CALLERS: Caller[] = [...ROLES, 'anonymous', 'bad token'];
const NO_SUCH_INSTANCE = 'pi-00000000-0000-4000-8000-000000000000';
const PARAMS: Record<string, string> = { key: 'matrix-no-such-key', version: '1', incidentId: 'no-such-incident' };

/** The statuses the policy allows for a caller: 'denied' means exactly 401 or 403. */
function expected(policy: Policy, caller: Caller): 401 | 403 | 'admitted' {
  if (policy === 'public') return 'admitted';
  if (caller === 'anonymous' || caller === 'bad token') return 401;
  if (policy === 'authenticated') return 'admitted';
  return policy.includes(caller) ? 'admitted' : 403;
}

describe('route × role matrix', () => {
  let stack: Stack;
  let operations: Map<string, { method: string; path: string }>;

  beforeAll(async () => {
    stack = await startStack();
    const doc = await stack.anonymous<{ paths: Record<string, Record<string, { operationId: string }>> }>('GET', '/api/openapi.json');
    operations = new Map(Object.entries(doc.body.paths).flatMap(([path, item]) =>
      Object.entries(item).map(([method, op]) => [op.operationId, { method: method.toUpperCase(), path }] as const)));
  });

  afterAll(async () => {
    await stack?.stop();
  });

  const concretePath = (path: string) => path.replace(/\{([^}]+)\}/g, (_m, name: string) => {
    if (name === 'id') return path.startsWith('/api/tasks') ? `${NO_SUCH_INSTANCE}.1` : NO_SUCH_INSTANCE;
    return PARAMS[name] ?? 'matrix-x';
  });

  const callerApi = (caller: Caller, operationId: string): Api => {
    if (caller === 'anonymous') return stack.anonymous;
    if (caller === 'bad token') return apiClient(stack.url, 'A'.repeat(43));
    // Logging out ends the session: give that request a session of its own.
    return operationId === 'logout' ? stack.as({ roles: [caller] }) : stack.as(caller);
  };

  it('covers every operation the API serves, and nothing else', () => {
    expect([...operations.keys()].sort()).toEqual(Object.keys(POLICIES).sort());
  });

  it.each(Object.entries(POLICIES))('%s: refuses exactly whom the policy refuses', async (operationId, policy) => {
    // given
    const op = operations.get(operationId);
    if (!op) throw new Error(`${operationId} is in the policy table but the API does not serve it`);
    const path = concretePath(op.path);
    const body = op.method === 'GET' || op.method === 'DELETE' ? undefined : {};
    // when
    const outcomes = await Promise.all(CALLERS.map(async (caller) => {
      const res = await callerApi(caller, operationId)(op.method, path, body);
      return { caller, status: res.status };
    }));
    // then
    const verdicts = outcomes.map(({ caller, status }) => ({
      caller,
      got: status === 401 || status === 403 ? status : 'admitted',
      expected: expected(policy, caller),
    }));
    expect(verdicts.filter((v) => v.got !== v.expected)).toEqual([]);
    // and the admitted requests got a real answer, not an error of ours
    expect(outcomes.filter((o) => o.status >= 500 && operationId !== 'getHealth')).toEqual([]);
  });
});
