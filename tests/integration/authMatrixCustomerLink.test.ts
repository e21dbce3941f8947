/**
 * The access matrix for the 'customer-link' principal: for every operation, a signed link to
 * complaint A is admitted exactly on the link operations (server/auth/policy.ts
 * CUSTOMER_LINK_OPERATIONS) for complaint A, answers 404 for complaint B there, 403 on every
 * other operation, and an altered link is 401 wherever a token is needed.
 */
import { deployShippedProcesses } from '../../server/complaints/shippedProcesses';
import { CUSTOMER_LINK_OPERATIONS, POLICIES } from '../../server/auth/policy';
import { apiClient } from '../support/auth';
import { startStack, type Stack } from '../support/stack';
import { intake } from './complaintSupport';

const NO_SUCH_ATTACHMENT = 'att-00000000-0000-4000-8000-000000000000';

describe('route × customer-link matrix', () => {
  let stack: Stack;
  let operations: Map<string, { method: string; path: string }>;
  let complaintA: string;
  let complaintB: string;
  let linkA: string;

  beforeAll(async () => {
    stack = await startStack({ worker: false });
    await deployShippedProcesses(stack.services.definitions);
    complaintA = (await stack.api<{ id: string }>('POST', '/api/complaints', intake('cust-a'))).body.id;
    complaintB = (await stack.api<{ id: string }>('POST', '/api/complaints', intake('cust-b'))).body.id;
    linkA = (await stack.as('agent')<{ token: string }>('POST', `/api/complaints/${complaintA}/customer-link`, {})).body.token;
    const doc = await stack.anonymous<{ paths: Record<string, Record<string, { operationId: string }>> }>('GET', '/api/openapi.json');
    operations = new Map(Object.entries(doc.body.paths).flatMap(([path, item]) =>
      Object.entries(item).map(([method, op]) => [op.operationId, { method: method.toUpperCase(), path }] as const)));
  });

  afterAll(async () => {
    await stack?.stop();
  });

  const pathFor = (template: string, complaintId: string) => template.replace(/\{([^}]+)\}/g, (_m, name: string) =>
    name === 'id' ? complaintId : name === 'attachmentId' ? NO_SUCH_ATTACHMENT : 'matrix-x');

  it('has link operations that exist and all carry the complaint id as {id}', () => {
    for (const operationId of CUSTOMER_LINK_OPERATIONS) expect(operations.get(operationId)?.path).toMatch(/^\/api\/complaints\/\{id\}/);
  });

  it.each(Object.entries(POLICIES))('%s: a link is admitted exactly when the link policy says so', async (operationId, policy) => {
    // given
    const op = operations.get(operationId)!;
    const body = op.method === 'GET' || op.method === 'DELETE' ? undefined : {};
    const link = apiClient(stack.url, linkA);
    const altered = apiClient(stack.url, `${linkA.slice(0, -3)}xyz`);
    // when
    const own = await link<{ error?: string }>(op.method, pathFor(op.path, complaintA), body);
    const foreign = await link<{ error?: string }>(op.method, pathFor(op.path, complaintB), body);
    const tampered = await altered<{ error?: string }>(op.method, pathFor(op.path, complaintA), body);
    // then
    if (policy === 'public') {
      expect([own.status, tampered.status].filter((s) => s === 401 || s === 403)).toEqual([]);
    } else if (CUSTOMER_LINK_OPERATIONS.has(operationId)) {
      expect([401, 403]).not.toContain(own.status);
      expect(own.body?.error).not.toBe('complaint_not_found');
      expect(own.status).toBeLessThan(500);
      expect({ status: foreign.status, error: foreign.body?.error }).toEqual({ status: 404, error: 'complaint_not_found' });
      expect({ status: tampered.status, error: tampered.body?.error }).toEqual({ status: 401, error: 'link_invalid' });
    } else {
      expect({ own: own.status, foreign: foreign.status }).toEqual({ own: 403, foreign: 403 });
      expect({ status: tampered.status, error: tampered.body?.error }).toEqual({ status: 401, error: 'link_invalid' });
    }
  });
});
