import type { JobDef } from '../model/types';
import { nextKey } from './run';
import type { Run } from './run';
import type { ElementInstance } from './types';
import { visibleVariables } from './variables';

/** Asks the adapter to run an activity; `retries` is what the adapter may still spend. */
export function openJob(run: Run, inst: ElementInstance, job: JobDef, retries = job.retries): void {
  const key = nextKey(run);
  run.state.waits[key] = { type: 'job', key, ownerKey: inst.key, elementId: inst.elementId, taskType: job.type };
  run.commands.push({
    type: 'executeJob',
    key,
    elementId: inst.elementId,
    elementInstanceKey: inst.key,
    taskType: job.type,
    retries,
    headers: job.headers.map((h) => ({ key: h.key, value: h.value })),
    variables: visibleVariables(run, inst.key),
  });
}
