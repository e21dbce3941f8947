/**
 * Representative runs of the processInstance workflow, driven through the HTTP API against a
 * real stack, whose Temporal histories become replay fixtures (histories/*.json). Variables are
 * synthetic; worker identities are blanked before the histories are written.
 */
import fs from 'node:fs';
import path from 'node:path';
import { temporal } from '@temporalio/proto';
import { eventually, type Stack } from '../support/stack';
import { compensation } from './compensation';

export const historiesDir = path.join(__dirname, 'histories');
const diagram = (file: string) => fs.readFileSync(path.join(__dirname, file), 'utf8');

export interface Recording {
  name: string;
  workflowId: string;
  /** The history as JSON (see historyToJson), identities blanked. */
  json: string;
}

interface Instance { status: string; activeElements: string[]; incidents: unknown[] }
interface TaskPage { items: Array<{ id: string }> }

async function deploy(stack: Stack, xml: string): Promise<void> {
  const res = await stack.api('POST', '/api/definitions', xml, 'application/xml');
  if (res.status !== 201 && res.status !== 200) throw new Error(`deploy failed: ${res.status} ${JSON.stringify(res.body)}`);
}

async function start(stack: Stack, key: string, variables: Record<string, unknown>): Promise<string> {
  const res = await stack.api<{ instanceId: string }>('POST', `/api/processes/${key}/instances`, { variables });
  if (res.status !== 201) throw new Error(`start failed: ${res.status} ${JSON.stringify(res.body)}`);
  return res.body.instanceId;
}

async function finished(stack: Stack, id: string): Promise<string> {
  await stack.client.workflow.getHandle(id).result();
  const history = await stack.client.workflow.getHandle(id).fetchHistory();
  return historyToJson(history);
}

const HistoryMessage = temporal.api.history.v1.History;

/**
 * The history in protobufjs's JSON object form (int64 as strings, enums by name, bytes in
 * base64). Not the SDK's historyToJSON/historyFromJSON: with the protobufjs copies installed
 * here both throw "type must be a Type".
 */
export function historyToJson(history: temporal.api.history.v1.IHistory): string {
  const object = HistoryMessage.toObject(HistoryMessage.fromObject(history), { longs: String, enums: String, bytes: String });
  return JSON.stringify(object, null, 1).replace(/"identity": "[^"]*"/g, '"identity": "recorder"');
}

export function historyFromJson(json: string): temporal.api.history.v1.IHistory {
  return HistoryMessage.fromObject(JSON.parse(json) as Record<string, unknown>);
}

/** Service task + user task (claimed, completed) + message correlation. */
async function supportTicket(stack: Stack): Promise<Recording> {
  await deploy(stack, fs.readFileSync(path.join(__dirname, '../integration/fixtures/support-ticket.bpmn'), 'utf8'));
  const id = await start(stack, 'support-ticket', { amount: 250, ticketId: 'T-REPLAY' });
  const inbox = await eventually<TaskPage>(stack, `/api/tasks?instanceId=${id}`, (p) => p.items.length === 1, 'review task');
  const taskId = inbox.items[0]!.id;
  await stack.api('POST', `/api/tasks/${taskId}/claim`, { assignee: 'agent-1' });
  await stack.api('POST', `/api/tasks/${taskId}/complete`, { variables: { resolution: 'refund' } });
  await eventually<Instance>(stack, `/api/instances/${id}`, (i) => i.activeElements.includes('wait-for-customer'), 'message wait');
  // The message API finds the subscription in the read model, which follows the workflow by a
  // moment: 404 until the subscription is projected (a loaded machine widened that gap).
  let sent = await stack.api('POST', '/api/messages', { name: 'customer-confirmed', correlationKey: 'T-REPLAY', variables: { confirmed: true } });
  for (let i = 0; i < 100 && sent.status === 404; i += 1) {
    await new Promise((resolve) => setTimeout(resolve, 200));
    sent = await stack.api('POST', '/api/messages', { name: 'customer-confirmed', correlationKey: 'T-REPLAY', variables: { confirmed: true } });
  }
  if (sent.status !== 200) throw new Error(`message not correlated: ${sent.status}`);
  return { name: 'support-ticket', workflowId: id, json: await finished(stack, id) };
}

/** A parallel fork that starts a job and a timer in the same step. */
async function forkJobTimer(stack: Stack): Promise<Recording> {
  await deploy(stack, diagram('diagrams/fork-job-timer.bpmn'));
  const id = await start(stack, 'fork-job-timer', {});
  return { name: 'fork-job-timer', workflowId: id, json: await finished(stack, id) };
}

/** A job that fails into an incident, then its interrupting boundary timer takes the other path. */
async function boundaryIncident(stack: Stack): Promise<Recording> {
  await deploy(stack, diagram('diagrams/boundary-incident.bpmn'));
  const id = await start(stack, 'boundary-incident', { endpoint: `${stack.url}/api/no-such-endpoint` });
  await eventually<Instance>(stack, `/api/instances/${id}`, (i) => i.incidents.length === 1 || i.status !== 'active', 'incident');
  return { name: 'boundary-incident', workflowId: id, json: await finished(stack, id) };
}

/** An SLA clock (patch `sla-clocks`) through 50%, 75% and breach, with its escalations, then met. */
async function slaClocks(stack: Stack): Promise<Recording> {
  await deploy(stack, diagram('diagrams/sla-clocks.bpmn'));
  const id = await start(stack, 'sla-replay', {});
  await eventually<{ slaClocks?: Array<{ state: string }> }>(stack, `/api/instances/${id}`, (i) => i.slaClocks?.[0]?.state === 'breached', 'breach');
  const inbox = await eventually<TaskPage>(stack, `/api/tasks?instanceId=${id}`, (p) => p.items.length === 1, 'handle task');
  await stack.api('POST', `/api/tasks/${inbox.items[0]!.id}/complete`, { variables: {} });
  return { name: 'sla-clocks', workflowId: id, json: await finished(stack, id) };
}

/** A job of external workers (patch `external-jobs`): activated, failed with a retry left, failed into an incident, resolved with new retries, completed. */
async function externalJobs(stack: Stack): Promise<Recording> {
  await deploy(stack, diagram('diagrams/external-jobs.bpmn'));
  const id = await start(stack, 'external-jobs-replay', { faxNumber: '000' });
  const activate = async () => {
    const res = await stack.api<{ jobs: Array<{ jobKey: string; processInstanceId: string }> }>('POST', '/api/jobs/activation', { type: 'replay.fax', worker: 'replay', timeout: 60_000, maxJobsToActivate: 1, requestTimeout: 20_000 });
    const job = res.body.jobs.find((j) => j.processInstanceId === id);
    if (!job) throw new Error(`no job activated: ${res.status} ${JSON.stringify(res.body)}`);
    return job.jobKey;
  };
  const call = async (path: string, body: unknown) => {
    const res = await stack.api('POST', path, body);
    if (res.status !== 204) throw new Error(`${path}: ${res.status} ${JSON.stringify(res.body)}`);
  };
  await call(`/api/jobs/${await activate()}/failure`, { retries: 1, errorMessage: 'busy' });
  await call(`/api/jobs/${await activate()}/failure`, { retries: 0, errorMessage: 'gave up' });
  const stuck = await eventually<{ incidents: Array<{ id: string }> }>(stack, `/api/instances/${id}`, (i) => i.incidents.length === 1, 'incident');
  await call(`/api/instances/${id}/incidents/${stuck.incidents[0]!.id}/resolve`, { retries: 1 });
  await call(`/api/jobs/${await activate()}/completion`, { variables: { faxSent: true } });
  return { name: 'external-jobs', workflowId: id, json: await finished(stack, id) };
}

/**
 * Operator operations (patches `instance-modification`, `instance-migration`): a token moved by
 * the `modifyInstance` update, then a migration to v2 (`migrateInstance` through a migration
 * batch) that continues the instance as new. The first run, which holds both, is recorded.
 */
async function operatorOperations(stack: Stack): Promise<Recording> {
  for (const file of ['claim-review-v1.bpmn', 'claim-review-v2.bpmn']) await deploy(stack, fs.readFileSync(path.join(__dirname, '../integration/fixtures', file), 'utf8'));
  const res = await stack.api<{ instanceId: string }>('POST', '/api/processes/claim-review/instances', { version: 1, variables: { claim: 'R-1' } });
  if (res.status !== 201) throw new Error(`start failed: ${res.status} ${JSON.stringify(res.body)}`);
  const id = res.body.instanceId;
  await eventually<TaskPage>(stack, `/api/tasks?instanceId=${id}&state=open`, (p) => p.items.length === 1, 'triage task');
  const moved = await stack.api('POST', `/api/instances/${id}/modifications`, {
    instructions: [{ type: 'terminate', elementId: 'triage' }, { type: 'activate', elementId: 'decide', variables: { skipped: true } }], reason: 'replay fixture',
  });
  if (moved.status !== 200) throw new Error(`modification failed: ${moved.status} ${JSON.stringify(moved.body)}`);
  const firstRun = (await stack.client.workflow.getHandle(id).describe()).runId;
  const migration = await stack.api<{ migrationId: string }>('POST', '/api/migrations', {
    processKey: 'claim-review', sourceVersion: 1, targetVersion: 2, instanceIds: [id], mapping: [{ sourceElementId: 'decide', targetElementId: 'assess' }], reason: 'replay fixture',
  });
  if (migration.status !== 202) throw new Error(`migration failed: ${migration.status} ${JSON.stringify(migration.body)}`);
  await eventually<{ status: string }>(stack, `/api/migrations/${migration.body.migrationId}`, (p) => p.status === 'completed', 'migration', 60_000);
  const inbox = await eventually<{ items: Array<{ id: string; elementId: string }> }>(stack, `/api/tasks?instanceId=${id}&state=open`,
    (p) => p.items.length === 1 && p.items[0]?.elementId === 'assess', 'assess task', 60_000);
  await stack.api('POST', `/api/tasks/${inbox.items[0]!.id}/complete`, { variables: {} });
  await stack.client.workflow.getHandle(id).result();
  return { name: 'operator-operations', workflowId: id, json: historyToJson(await stack.client.workflow.getHandle(id, firstRun).fetchHistory()) };
}

export async function recordScenarios(stack: Stack): Promise<Recording[]> {
  return Promise.all([supportTicket(stack), forkJobTimer(stack), boundaryIncident(stack), slaClocks(stack), externalJobs(stack), compensation(stack), operatorOperations(stack)]);
}

export function writeRecordings(recordings: Recording[]): void {
  fs.mkdirSync(historiesDir, { recursive: true });
  for (const r of recordings) fs.writeFileSync(path.join(historiesDir, `${r.name}.json`), `${r.json}\n`);
}

export function committedHistories(): Array<{ name: string; json: string }> {
  return fs.readdirSync(historiesDir).filter((f) => f.endsWith('.json')).sort()
    .map((f) => ({ name: f.replace(/\.json$/, ''), json: fs.readFileSync(path.join(historiesDir, f), 'utf8') }));
}
