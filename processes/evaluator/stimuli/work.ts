import { raiseIncident } from '../incidents';
import { ownVariables } from '../json';
import { openJob } from '../jobs';
import { adHocActivate, adHocOf, adHocResultProblem } from '../adHoc';
import { complete, completeAdHoc, listenerJobCompleted } from '../lifecycle';
import { listenerFailed, listenerThrewError } from '../listeners';
import { mergeVariables } from '../variables';
import type { Run } from '../run';
import { throwEvent } from '../throw';
import type { ElementInstance, Stimulus, Wait } from '../types';
import { consumeWait } from '../waits';
import { ACCEPTED, rejected } from './outcome';
import type { Outcome } from './outcome';

type Of<T extends Stimulus['type']> = Extract<Stimulus, { type: T }>;

/** The open wait of a type with this key and the instance it belongs to. */
function claim<T extends Wait['type']>(run: Run, key: string, type: T): { wait: Extract<Wait, { type: T }>; owner: ElementInstance } | string {
  const wait = run.state.waits[key];
  if (!wait || wait.type !== type) return `no open ${type} with key '${key}'`;
  const owner = run.state.instances[wait.ownerKey];
  if (!owner) throw new Error(`${type} ${key} outlived its instance`);
  consumeWait(run, wait);
  return { wait: wait as Extract<Wait, { type: T }>, owner };
}

export function jobCompleted(run: Run, s: Of<'jobCompleted'>): Outcome {
  const c = claim(run, s.key, 'job');
  if (typeof c === 'string') return rejected(c);
  const owner = c.owner;
  if (c.wait.listener !== undefined) {
    if (s.adHoc !== undefined) return rejected('an ad-hoc result does not apply to an execution listener job');
    listenerJobCompleted(run, owner, ownVariables(s.variables));
    return ACCEPTED;
  }
  if (adHocOf(run, owner)?.job !== undefined) {
    // The job of an ad-hoc subprocess in job-worker mode: the subprocess stays; the result steers it.
    const result = s.adHoc ?? {};
    const problem = adHocResultProblem(run, owner, result);
    if (problem !== null) return rejected(problem);
    const vars = ownVariables(s.variables);
    if (Object.keys(vars).length > 0) mergeVariables(run, owner.key, vars);
    adHocActivate(run, owner, result);
    if (result.isCompletionConditionFulfilled === true) completeAdHoc(run, owner, result.isCancelRemainingInstances === true);
    return ACCEPTED;
  }
  if (s.adHoc !== undefined) return rejected(adHocResultProblem(run, owner, s.adHoc) ?? 'an ad-hoc result does not apply');
  complete(run, owner, ownVariables(s.variables));
  return ACCEPTED;
}

/** Retries left: run the job again under a new key. None left: incident until resolved. */
export function jobFailed(run: Run, s: Of<'jobFailed'>): Outcome {
  const c = claim(run, s.key, 'job');
  if (typeof c === 'string') return rejected(c);
  if (c.wait.listener !== undefined) {
    listenerFailed(run, c.owner, s.retriesLeft, c.wait.taskType, s.message);
    return ACCEPTED;
  }
  const def = run.index.element(c.owner.elementId);
  const job = def.kind === 'serviceTask' ? def.job : def.kind === 'subProcess' ? def.adHoc?.job
    : 'result' in def && def.result.type === 'message' ? def.result.job : undefined;
  if (s.retriesLeft > 0 && job) openJob(run, c.owner, job, s.retriesLeft, c.wait.taskType);
  else raiseIncident(run, c.owner, 'JOB_NO_RETRIES', s.message, 'behaviour');
  return ACCEPTED;
}

/** A BPMN error from the activity: caught by a boundary or event subprocess, else an incident. */
export function jobThrewError(run: Run, s: Of<'jobThrewError'>): Outcome {
  const c = claim(run, s.key, 'job');
  if (typeof c === 'string') return rejected(c);
  if (c.wait.listener !== undefined) {
    listenerThrewError(run, c.owner, s.errorCode);
    return ACCEPTED;
  }
  if (!throwEvent(run, c.owner, 'error', s.errorCode, { variables: ownVariables(s.variables) })) {
    const message = `no catch for error '${s.errorCode}'${s.message ? `: ${s.message}` : ''}`;
    raiseIncident(run, c.owner, 'UNHANDLED_ERROR_EVENT', message, 'behaviour');
  }
  return ACCEPTED;
}

export function userTaskCompleted(run: Run, s: Of<'userTaskCompleted'>): Outcome {
  const c = claim(run, s.key, 'userTask');
  if (typeof c === 'string') return rejected(c);
  complete(run, c.owner, ownVariables(s.variables));
  return ACCEPTED;
}

/** Child variables come back unless the call activity opted out (outputs still apply). */
export function childCompleted(run: Run, s: Of<'childCompleted'>): Outcome {
  const c = claim(run, s.key, 'child');
  if (typeof c === 'string') return rejected(c);
  const def = run.index.element(c.owner.elementId);
  const takeAll = def.kind === 'callActivity' && (def.propagateAllChildVariables || def.outputs.length > 0);
  complete(run, c.owner, takeAll ? ownVariables(s.variables) : {});
  return ACCEPTED;
}

/** An uncaught BPMN error in the child is thrown from the call activity; other failures are incidents. */
export function childFailed(run: Run, s: Of<'childFailed'>): Outcome {
  const c = claim(run, s.key, 'child');
  if (typeof c === 'string') return rejected(c);
  if (s.errorCode !== undefined && throwEvent(run, c.owner, 'error', s.errorCode, { variables: ownVariables(s.variables) })) {
    return ACCEPTED;
  }
  raiseIncident(run, c.owner, s.errorCode === undefined ? 'CHILD_FAILED' : 'UNHANDLED_ERROR_EVENT', s.message, 'behaviour');
  return ACCEPTED;
}
