/**
 * The API answers what its OpenAPI document says (decision 0048): with API_CHECK_RESPONSES=1 (on
 * for every jest test: tests/support/responseCheck.ts), addRoute checks every 2xx answer against
 * what is declared for its status (JSON against its zod schema, text by its media type and
 * schema) and turns a misfit into a 500 `response_mismatch`, which fails the test. This test
 * makes real calls through a complaint's life (intake, lists, detail, the task inbox, claim,
 * complete, comment, transfer), definitions, instances, auth, the health check, the OpenAPI
 * document and its HTML page, and walks the OpenAPI document for each: the operation and its
 * status are documented, and the body fits the declared schema.
 */
import { deployShippedProcesses } from '../../server/complaints/shippedProcesses';
import type { OpenApiDoc } from '../../server/http/docsPage';
import { eventually, startStack, type Stack } from '../support/stack';
import { intake, openTask, type ComplaintDetail } from './complaintSupport';

type Method = 'GET' | 'POST' | 'PUT' | 'DELETE';
interface Call { method: Method; path: string; status: number; body: unknown }

/** The OpenAPI path template that `path` (without query) instantiates, e.g. /api/tasks/{id}/claim. */
function templateOf(doc: OpenApiDoc, method: Method, path: string): string | undefined {
  const bare = path.split('?')[0]!;
  return Object.keys(doc.paths ?? {}).find((template) => {
    const pattern = new RegExp(`^${template.replace(/[.*+?^$()|[\]\\]/g, '\\$&').replace(/\{[^}]+\}/g, '[^/]+')}$`);
    const ops = (doc.paths as Record<string, Record<string, unknown>>)[template]!;
    return pattern.test(bare) && ops[method.toLowerCase()] !== undefined;
  });
}

describe('the API answers what its OpenAPI document declares', () => {
  let stack: Stack;
  const calls: Call[] = [];

  beforeAll(async () => {
    stack = await startStack();
    await deployShippedProcesses(stack.services.definitions);
  });

  afterAll(async () => {
    await stack?.stop();
  });

  /** A call as the admin, kept for the walk through the document. */
  async function call<T = unknown>(method: Method, path: string, body?: unknown) {
    const res = await stack.api<T>(method, path, body);
    calls.push({ method, path, status: res.status, body: res.body });
    return res;
  }

  it('fits every answer of a complaint worked through the task inbox, definitions, instances and auth', async () => {
    // given a complaint waiting for dispatch
    const filed = await call<{ id: string }>('POST', '/api/complaints', intake('cust-contract'));
    expect(filed.status).toBe(201);
    const dispatch = await openTask(stack, filed.body.id, 'Dispatch');
    const detail = await eventually<ComplaintDetail>(stack, `/api/complaints/${filed.body.id}`, (c) => c.instanceId !== null, 'instance started');

    // when it is worked on through the API
    await call('GET', `/api/complaints/${filed.body.id}`);
    await call('GET', '/api/complaints?page=1&pageSize=5');
    await call('GET', `/api/tasks?instanceId=${detail.instanceId}`);
    await call('GET', '/api/tasks?state=open,claimed&pageSize=5');
    await call('GET', `/api/tasks/${dispatch.id}/form`);
    await call('POST', `/api/tasks/${dispatch.id}/comments`, { text: 'customer prefers mornings' });
    await call('POST', `/api/tasks/${dispatch.id}/claim`, { assignee: 'admin' });
    await call('POST', `/api/tasks/${dispatch.id}/unclaim`);
    await call('POST', `/api/tasks/${dispatch.id}/transfer`, { toGroup: 'dispatch', reason: 'back to the pool' });
    const moved = await eventually<ComplaintDetail>(stack, `/api/complaints/${filed.body.id}`,
      (c) => c.tasks.some((t) => t.id === dispatch.id && t.state === 'open' && t.assignee === null), 'task back in the pool');
    expect(moved.id).toBe(filed.body.id);
    const completed = await call('POST', `/api/tasks/${dispatch.id}/complete`, { variables: { assignee: 'eng-contract' } });
    await call('GET', '/api/definitions');
    await call('GET', '/api/definitions/complaint-handling/versions');
    const running = await stack.api<{ definition: { key: string; version: number } }>('GET', `/api/instances/${detail.instanceId}`);
    await call('GET', `/api/definitions/${running.body.definition.key}/versions/${running.body.definition.version}`);
    await call('GET', '/api/instances?pageSize=5');
    await call('GET', `/api/instances/${detail.instanceId}`);
    await call('GET', `/api/instances/${detail.instanceId}/history?source=projection`);
    await call('GET', '/api/incidents');
    await call('GET', '/api/auth/me');
    await call('GET', '/api/health');
    const docCall = await call<OpenApiDoc>('GET', '/api/openapi.json');
    const page = await call<string>('GET', '/api/docs');

    // then the completion answers the documented { id, state }
    expect(completed).toMatchObject({ status: 200, body: { id: dispatch.id, state: 'completed' } });
    expect(page.body).toMatch(/^<!doctype html>/);
    // and every call is a documented operation and status whose body fits its schema
    const doc = docCall.body;
    const walked = calls.map(({ method, path, status, body }) => {
      const template = templateOf(doc, method, path);
      const op = template ? (doc.paths as Record<string, Record<string, { responses?: Record<string, unknown> }>>)[template]![method.toLowerCase()] : undefined;
      return { call: `${method} ${path}`, template, status, documented: op?.responses?.[String(status)] !== undefined, mismatch: (body as { error?: string } | null)?.error === 'response_mismatch' ? body : undefined };
    });
    expect(walked.filter((w) => !w.template || !w.documented || w.mismatch || w.status >= 300)).toEqual([]);
    expect(new Set(walked.map((w) => w.template)).size).toBeGreaterThanOrEqual(19);
    // (the operations of the service itself are declared and checked like the others)
    expect(walked.map((w) => w.template)).toEqual(expect.arrayContaining(['/api/health', '/api/openapi.json', '/api/docs']));
  });
});
