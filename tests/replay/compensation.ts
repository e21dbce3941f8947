import fs from 'node:fs';
import path from 'node:path';
import type { Stack } from '../support/stack';
import { historyToJson, type Recording } from './scenarios';

/**
 * Compensation (decision 0035): two bookings (catalog jobs) completed, a charge subprocess ends
 * with a BPMN error, its error boundary leads to a compensation end event that runs both
 * handlers (jobs) at once and completes after them. Runs by itself, no outside input.
 */
export async function compensation(stack: Stack): Promise<Recording> {
  const deployed = await stack.api('POST', '/api/definitions', fs.readFileSync(path.join(__dirname, 'diagrams/compensation.bpmn'), 'utf8'), 'application/xml');
  if (deployed.status !== 201 && deployed.status !== 200) throw new Error(`deploy failed: ${deployed.status} ${JSON.stringify(deployed.body)}`);
  const started = await stack.api<{ instanceId: string }>('POST', '/api/processes/compensation-replay/instances', { variables: { trip: 'T-REPLAY' } });
  if (started.status !== 201) throw new Error(`start failed: ${started.status} ${JSON.stringify(started.body)}`);
  const id = started.body.instanceId;
  const handle = stack.client.workflow.getHandle(id);
  await handle.result();
  return { name: 'compensation', workflowId: id, json: historyToJson(await handle.fetchHistory()) };
}
