import type { JobDef, ListenerEventType } from '../model/types';
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
  const evaluated = evaluateJob(run, inst, job);
  if (!evaluated.ok) {
    raiseIncident(run, inst, 'EXTRACT_VALUE_ERROR', evaluated.error, 'behaviour');
    return;
  }
  openJob(run, inst, job, evaluated.retries, evaluated.taskType);
}

/** The type and retries of a job, evaluated at `inst` where given as FEEL; or why they cannot be. */
export function evaluateJob(run: Run, inst: ElementInstance, job: JobDef): { ok: true; taskType: string; retries: number } | { ok: false; error: string } {
  let taskType = job.type;
  if (job.typeExpression !== undefined) {
    const r = evalAt(run, inst.key, job.typeExpression);
    if (!r.ok || typeof r.value !== 'string' || r.value.trim() === '') {
      const why = r.ok ? `must be a non-empty string, but was ${r.value === null ? 'null' : typeof r.value}` : `failed: ${r.error}`;
      return { ok: false, error: `job type '${job.typeExpression}' ${why}` };
    }
    taskType = r.value;
  }
  let retries = job.retries;
  if (job.retriesExpression !== undefined) {
    const r = evalAt(run, inst.key, job.retriesExpression);
    if (!r.ok || typeof r.value !== 'number' || !Number.isInteger(r.value) || r.value < 0) {
      const why = r.ok ? 'must be a whole number of at least 0' : `failed: ${r.error}`;
      return { ok: false, error: `job retries '${job.retriesExpression}' ${why}` };
    }
    retries = r.value;
  }
  return { ok: true, taskType, retries };
}

/**
 * Asks the adapter to run an activity; `retries` is what the adapter may still spend.
 * `listener`: the job of an execution listener of that event type (listeners.ts), not the element's own.
 */
export function openJob(run: Run, inst: ElementInstance, job: JobDef, retries = job.retries, taskType = job.type, listener?: ListenerEventType): void {
  const key = nextKey(run);
  const kind = listener === undefined ? {} : { listener };
  run.state.waits[key] = { type: 'job', key, ownerKey: inst.key, elementId: inst.elementId, taskType, ...kind };
  run.commands.push({
    type: 'executeJob',
    key,
    elementId: inst.elementId,
    elementInstanceKey: inst.key,
    taskType,
    retries,
    headers: job.headers.map((h) => ({ key: h.key, value: h.value })),
    variables: visibleVariables(run, inst.key),
    ...kind,
  });
}
