/**
 * Issue 12, item 2: replacing a shipped or live process needs a second person with a
 * publishing role (four-eyes), and the proposal keeps who proposed and who decided.
 * Real servers: Temporal dev server, FerretDB, HTTP.
 */
import fs from 'node:fs';
import path from 'node:path';
import { deployShippedProcesses } from '../../server/complaints/shippedProcesses';
import type { Api } from '../support/auth';
import { eventually, startStack, type Stack } from '../support/stack';

const SHIPPED = fs.readFileSync(path.join(__dirname, '../../processes/complaint-handling.bpmn'), 'utf8');
const TICKET = fs.readFileSync(path.join(__dirname, 'fixtures/support-ticket.bpmn'), 'utf8');
interface Proposal { id: string; status: string; replaces: Array<{ key: string; reason: string }>; proposedBy: string; decidedBy: string | null; deployed: Array<{ key: string; version: number }> }
interface Me { id: string }

describe('four-eyes publishing of shipped and live processes', () => {
  let stack: Stack;
  let dana: Api;
  let dora: Api;
  const versions = async (key: string) => (await stack.api<{ versions: Array<{ version: number }> }>('GET', `/api/definitions/${key}/versions`)).body.versions.length;

  beforeAll(async () => {
    stack = await startStack();
    await deployShippedProcesses(stack.services.definitions);
    dana = stack.as({ roles: ['designer'], name: 'Dana Designer' });
    dora = stack.as({ roles: ['designer'], name: 'Dora Designer' });
  });

  afterAll(async () => {
    await stack?.stop();
  });

  it('proposes a change to a shipped process; only another publisher can approve and deploy it', async () => {
    // given the shipped complaint process at its version
    const before = await versions('complaint-handling');
    const changed = SHIPPED.replace('name="Write resolution summary"', 'name="Write anything you like"');
    // when a designer deploys a changed version of it
    const proposed = await dana<Proposal>('POST', '/api/definitions', changed, 'application/xml');
    // then nothing is deployed yet: it waits as a proposal
    expect(proposed.status).toBe(202);
    expect(proposed.body).toMatchObject({ status: 'pending', replaces: [{ key: 'complaint-handling', reason: 'shipped' }] });
    expect(await versions('complaint-handling')).toBe(before);
    // when the proposer approves it herself, it is refused; when a colleague does, it is deployed
    const own = await dana('POST', `/api/definition-proposals/${proposed.body.id}/approve`);
    expect(own).toMatchObject({ status: 403, body: { error: 'four_eyes' } });
    expect(await versions('complaint-handling')).toBe(before);
    const approved = await dora<Proposal>('POST', `/api/definition-proposals/${proposed.body.id}/approve`);
    expect(approved.status).toBe(201);
    expect(await versions('complaint-handling')).toBe(before + 1);
    // and the audit trail names both, and a second approval is a conflict
    const [danaId, doraId] = [(await dana<Me>('GET', '/api/auth/me')).body.id, (await dora<Me>('GET', '/api/auth/me')).body.id];
    const trail = await dana<{ items: Proposal[] }>('GET', '/api/definition-proposals');
    expect(trail.body.items.find((p) => p.id === proposed.body.id)).toMatchObject({
      status: 'approved', proposedBy: danaId, decidedBy: doraId, deployed: [{ key: 'complaint-handling', version: before + 1 }],
    });
    expect((await dora('POST', `/api/definition-proposals/${proposed.body.id}/approve`)).status).toBe(409);
  });

  it('proposes a change to a process with running instances, deploys one without them at once', async () => {
    // given support-ticket with a running instance, and an idle copy under another key
    expect((await dana('POST', '/api/definitions', TICKET, 'application/xml')).status).toBe(201);
    const idle = TICKET.replace(/support-ticket/g, 'support-ticket-idle');
    expect((await dana('POST', '/api/definitions', idle, 'application/xml')).status).toBe(201);
    const started = await stack.api<{ instanceId: string }>('POST', '/api/processes/support-ticket/instances', { variables: { amount: 5, ticketId: 'T-4E' } });
    await eventually<{ items: Array<{ id: string }> }>(stack, '/api/instances?key=support-ticket&status=active',
      (p) => p.items.some((i) => i.id === started.body.instanceId), 'running instance in the read model');
    // when both are changed
    const live = await dana<Proposal>('POST', '/api/definitions', TICKET.replace('name="Review the complaint"', 'name="Skip the review"'), 'application/xml');
    const direct = await dana('POST', '/api/definitions', idle.replace('name="Review the complaint"', 'name="Skip the review"'), 'application/xml');
    // then the live one waits, the idle one is deployed; a rejected proposal deploys nothing
    expect(live.status).toBe(202);
    expect(live.body.replaces).toEqual([{ key: 'support-ticket', version: 1, reason: 'live' }]);
    expect(direct.status).toBe(201);
    const rejected = await dana<Proposal>('POST', `/api/definition-proposals/${live.body.id}/reject`);
    expect(rejected.body).toMatchObject({ status: 'rejected' });
    expect(await versions('support-ticket')).toBe(1);
  });
});
