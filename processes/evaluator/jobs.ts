import type { JobDef } from '../model/types';
import { evalAt } from './feelEval';
import { raiseIncident } from './incidents';
import { nextKey } from './run';
import type { Run } from './run';
import type { ElementInstance } from './types';
import { visibleVariables } from './variables';

/**
 * Activates the job of an element: a type or retries given as FEEL are evaluated now, as
 * Camunda 8 evaluates them when the element activates (a string type, a whole number of
 * retries). A failed evaluation is an incident; resolving it evaluates again.
 */
export function activateJob(run: Run, inst: ElementInstance, job: JobDef): void {
  let taskType = job.type;
  if (job.typeExpression !== undefined) {
    const r = evalAt(run, inst.key, job.typeExpression);
    if (!r.ok || typeof r.value !== 'string' || r.value.trim() === '') {
      const why = r.ok ? `must be a non-empty string, but was ${r.value === null ? 'null' : typeof r.value}` : `failed: ${r.error}`;
      raiseIncident(run, inst, 'EXTRACT_VALUE_ERROR', `job type '${job.typeExpression}' ${why}`, 'behaviour');
      return;
    }
    taskType = r.value;
  }
  let retries = job.retries;
  if (job.retriesExpression !== undefined) {
    const r = evalAt(run, inst.key, job.retriesExpression);
    if (!r.ok || typeof r.value !== 'number' || !Number.isInteger(r.value) || r.value < 0) {
      const why = r.ok ? 'must be a whole number of at least 0' : `failed: ${r.error}`;
      raiseIncident(run, inst, 'EXTRACT_VALUE_ERROR', `job retries '${job.retriesExpression}' ${why}`, 'behaviour');
      return;
    }
    retries = r.value;
  }
  openJob(run, inst, job, retries, taskType);
}

/** Asks the adapter to run an activity; `retries` is what the adapter may still spend. */
export function openJob(run: Run, inst: ElementInstance, job: JobDef, retries = job.retries, taskType = job.type): void {
  const key = nextKey(run);
  run.state.waits[key] = { type: 'job', key, ownerKey: inst.key, elementId: inst.elementId, taskType };
  run.commands.push({
    type: 'executeJob',
    key,
    elementId: inst.elementId,
    elementInstanceKey: inst.key,
    taskType,
    retries,
    headers: job.headers.map((h) => ({ key: h.key, value: h.value })),
    variables: visibleVariables(run, inst.key),
  });
}
