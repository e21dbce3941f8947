/**
 * The processes the service ships (processes/*.bpmn), deployed at start-up through the
 * definitions service. Deploying is idempotent: an unchanged diagram gives back the latest
 * version, so a restart creates nothing, and a designer's newer version deployed through the
 * API is only replaced when the shipped file itself changes.
 */
import { readFile } from 'node:fs/promises';
import path from 'node:path';
import type { DefinitionsService } from '../definitions/service';
import type { Logger } from '../log';

export const SHIPPED_PROCESSES = [
  { key: 'complaint-handling', file: 'complaint-handling.bpmn' },
  { key: 'low-score-alert', file: 'low-score-alert.bpmn' },
  { key: 'commitment-fulfilment', file: 'commitment-fulfilment.bpmn' },
] as const;

export type ShippedProcessKey = (typeof SHIPPED_PROCESSES)[number]['key'];

/** processes/ in the source tree; from dist/server/complaints that is three levels up. */
export function processesDir(): string {
  const fromSource = path.resolve(__dirname, '../../processes');
  return __dirname.includes(`${path.sep}dist${path.sep}`) ? path.resolve(__dirname, '../../../processes') : fromSource;
}

export async function deployShippedProcesses(definitions: DefinitionsService, log?: Logger, dir = processesDir()) {
  const results: Array<{ key: string; version: number; created: boolean }> = [];
  for (const shipped of SHIPPED_PROCESSES) {
    const bytes = await readFile(path.join(dir, shipped.file));
    const outcome = await definitions.deploy({ bytes, resourceName: shipped.file });
    for (const d of outcome.deployed) results.push({ key: d.record.key, version: d.record.version, created: d.created });
  }
  const created = results.filter((r) => r.created);
  if (created.length) log?.info({ deployed: created }, 'deployed shipped processes');
  return results;
}
