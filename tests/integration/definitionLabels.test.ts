/**
 * GET /api/definitions/{key}/labels: the element names of the latest version in other
 * languages, for everyone who sees tasks (agents cannot read the diagram itself), and the
 * task views name their process so the inbox knows which labels to ask for.
 */
import { deployShippedProcesses } from '../../server/complaints/shippedProcesses';
import { startStack, type Stack } from '../support/stack';

interface Labels { key: string; version: number | null; names: Record<string, string>; labels: Record<string, Record<string, string>> }

describe('GET /api/definitions/{key}/labels', () => {
  let stack: Stack;

  beforeAll(async () => {
    stack = await startStack();
    await deployShippedProcesses(stack.services.definitions);
  });

  afterAll(async () => {
    await stack?.stop();
  });

  it("gives an agent the shipped complaint process's zh-CN names beside the element names", async () => {
    const agent = stack.as({ roles: ['agent'], groups: ['after-sales'] });
    const res = await agent<Labels>('GET', '/api/definitions/complaint-handling/labels');
    expect(res.status).toBe(200);
    expect(res.body).toMatchObject({ key: 'complaint-handling', version: 1 });
    expect(res.body.labels.Dispatch).toEqual({ 'zh-CN': '派工给工程师' });
    expect(res.body.labels['complaint-handling']).toEqual({ 'zh-CN': '投诉处理' });
    expect(res.body.names.Dispatch).toBe('Dispatch to an engineer');
    // an engineer and an operator read them too; the alert process has its own
    const alert = await stack.as({ roles: ['operator'] })<Labels>('GET', '/api/definitions/low-score-alert/labels');
    expect(alert.body.labels.AlertWorkOrder).toEqual({ 'zh-CN': '预警工单' });
    expect((await stack.as({ roles: ['engineer'], groups: ['technical'] })('GET', '/api/definitions/commitment-fulfilment/labels')).status).toBe(200);
  });

  it('answers no labels for a process not deployed, 400 for a malformed key, 403 to a customer', async () => {
    const agent = stack.as({ roles: ['agent'], groups: ['after-sales'] });
    const missing = await agent<Labels>('GET', '/api/definitions/no-such-process/labels');
    expect(missing.status).toBe(200);
    expect(missing.body).toEqual({ key: 'no-such-process', version: null, names: {}, labels: {} });
    const bad = await agent<{ fields: Array<{ path: string }> }>('GET', `/api/definitions/${'k'.repeat(256)}/labels`);
    expect(bad.status).toBe(400);
    expect(bad.body.fields.map((f) => f.path)).toEqual(['key']);
    expect((await stack.as({ roles: ['customer'] })('GET', '/api/definitions/complaint-handling/labels')).status).toBe(403);
  });
});
