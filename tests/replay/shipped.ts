/**
 * Runs of the processes the service ships (server/complaints/shippedProcesses), driven through
 * the HTTP API, whose histories become replay fixtures next to scenarios.ts's:
 * `shipped-complaint-handling` (intake, manual dispatch, first response, the departments' work from intake, resolution, a
 * commitment's wait, evaluation, close), `shipped-commitment-fulfilment` (its task completed)
 * and `shipped-low-score-alert` (a 3-of-10 feedback's work order completed, up to its reopen
 * window). Data is synthetic.
 */
import { deployShippedProcesses } from '../../server/complaints/shippedProcesses';
import { complete, completeDepartmentWork, intake, statusIs } from '../integration/complaintSupport';
import { eventually, type Stack } from '../support/stack';
import { historyToJson, type Recording } from './scenarios';

interface TaskPage { items: Array<{ id: string }> }

const history = async (stack: Stack, id: string) => {
  await stack.client.workflow.getHandle(id).result();
  return historyToJson(await stack.client.workflow.getHandle(id).fetchHistory());
};

async function complaintWithCommitment(stack: Stack): Promise<Recording[]> {
  const filed = await stack.api<{ id: string; instanceId: string }>('POST', '/api/complaints', intake('cust-replay', { location: { lat: 31.2, lon: 121.5 } }));
  if (filed.status !== 201) throw new Error(`intake failed: ${filed.status} ${JSON.stringify(filed.body)}`);
  const id = filed.body.id;
  const promised = await stack.api<{ instanceId: string }>('POST', `/api/complaints/${id}/commitments`, {
    kind: 'call-back', description: 'Call back on Monday', dueAt: '2030-01-07T09:00:00+01:00', ownerDepartment: 'after-sales',
  });
  if (promised.status !== 201) throw new Error(`commitment failed: ${promised.status}`);
  await complete(stack, stack.api, id, 'Dispatch', { assignee: 'eng-replay' });
  await complete(stack, stack.api, id, 'FirstResponse');
  await completeDepartmentWork(stack, stack.api, id);
  await complete(stack, stack.api, id, 'ResolutionSummary', {});
  await statusIs(stack, id, 'awaiting_evaluation');
  await complete(stack, stack.api, id, 'FulfilCommitment');
  await eventually<{ commitments: Array<{ status: string }> }>(stack, `/api/complaints/${id}`, (c) => c.commitments[0]?.status === 'fulfilled', 'commitment fulfilled');
  const evaluated = await stack.api('POST', `/api/complaints/${id}/evaluation`, { stars: 5, tags: [] });
  if (evaluated.status !== 201) throw new Error(`evaluation failed: ${evaluated.status} ${JSON.stringify(evaluated.body)}`);
  await statusIs(stack, id, 'closed');
  return [
    { name: 'shipped-complaint-handling', workflowId: filed.body.instanceId, json: await history(stack, filed.body.instanceId) },
    { name: 'shipped-commitment-fulfilment', workflowId: promised.body.instanceId, json: await history(stack, promised.body.instanceId) },
  ];
}

async function lowScoreAlert(stack: Stack): Promise<Recording> {
  const res = await stack.api<{ alert: { instanceId: string } }>('POST', '/api/feedback', { touchpoint: 'store-replay', score: 3, verbatim: 'Nobody helped me' });
  if (res.status !== 201) throw new Error(`feedback failed: ${res.status}`);
  const id = res.body.alert.instanceId;
  const inbox = await eventually<TaskPage>(stack, `/api/tasks?instanceId=${id}`, (p) => p.items.length === 1, 'work order');
  const done = await stack.api('POST', `/api/tasks/${inbox.items[0]!.id}/complete`, { variables: { rootCause: 'no staff on the floor' } });
  if (done.status !== 200) throw new Error(`work order not completed: ${done.status} ${JSON.stringify(done.body)}`);
  // Closed, the alert waits out its reopen window (ALERT_REOPEN_WINDOW, days): the history is
  // taken there, with the close, the notification and the reopen wait in it.
  await eventually<{ activeElements: string[] }>(stack, `/api/instances/${id}`, (i) => i.activeElements.length === 1 && i.activeElements[0] === 'AwaitReopen', 'alert closed, waiting out its reopen window');
  return { name: 'shipped-low-score-alert', workflowId: id, json: historyToJson(await stack.client.workflow.getHandle(id).fetchHistory()) };
}

/** Deploys the shipped processes into the stack and records one run of each. */
export async function recordShipped(stack: Stack): Promise<Recording[]> {
  await deployShippedProcesses(stack.services.definitions);
  const [complaint, alert] = await Promise.all([complaintWithCommitment(stack), lowScoreAlert(stack)]);
  return [...complaint, alert];
}
