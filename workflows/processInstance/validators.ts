/**
 * Update validators: they run before an update is accepted, so a wrong task id, a task that
 * is already done, or malformed variables are rejected without touching history. Rejections
 * are ApplicationFailures whose type the HTTP layer maps to 404 / 409 / 400 / 413. Adding a
 * check is replay-safe: a rejected update leaves no history, and Temporal does not run the
 * validator of an accepted one on replay (core's `runValidator` is false then).
 */
import { ApplicationFailure } from '@temporalio/workflow';
import { adHocJobResultProblem, openIncidents, openUserTasks, type AdHocJobResult, type State, type Variables } from '../../processes/evaluator';
import type { ProcessModel } from '../../processes/model';
import { growthRefusal, variablesGrowth } from './carriedSize';
import { RejectionType } from './messages';

const MAX_VARIABLES_BYTES = 256 * 1024;
const reject = (type: string, message: string) => ApplicationFailure.nonRetryable(message, type);

export function validateOpenTask(state: State, taskKey: string): void {
  if (typeof taskKey !== 'string' || !openUserTasks(state).some((t) => t.key === taskKey)) {
    throw reject(RejectionType.notFound, `no open user task '${String(taskKey)}' in this instance`);
  }
}

export function validateClaim(state: State, claims: Record<string, string>, req: { taskKey: string; assignee: string }): void {
  validateOpenTask(state, req.taskKey);
  if (typeof req.assignee !== 'string' || req.assignee.trim() === '' || req.assignee.length > 200) {
    throw reject(RejectionType.invalid, 'assignee: a non-empty string of at most 200 characters is required');
  }
  const current = claims[req.taskKey];
  if (current && current !== req.assignee) {
    throw reject(RejectionType.conflict, `task '${req.taskKey}' is already claimed by another user`);
  }
}

export function validateIncident(state: State, incidentId: string): void {
  if (!openIncidents(state).some((i) => i.id === incidentId)) {
    throw reject(RejectionType.notFound, `no open incident '${String(incidentId)}' in this instance`);
  }
}

export function validateVariables(variables: unknown): void {
  if (typeof variables !== 'object' || variables === null || Array.isArray(variables)) {
    throw reject(RejectionType.invalid, 'variables: must be a JSON object');
  }
  const size = JSON.stringify(variables).length;
  if (size > MAX_VARIABLES_BYTES) {
    throw reject(RejectionType.invalid, `variables: ${size} bytes exceed the limit of ${MAX_VARIABLES_BYTES}`);
  }
  for (const name of Object.keys(variables)) {
    if (!/^[A-Za-z_][A-Za-z0-9_]*$/.test(name)) {
      throw reject(RejectionType.invalid, `variables.${name}: variable names must be identifiers (letters, digits, _)`);
    }
  }
}

/**
 * Refuses variables that would bring the instance (its continue-as-new input, `carriedBytes`)
 * over MAX_INSTANCE_BYTES. `replacing`: they merge into the process scope (`current`) as they
 * are; `extraBytes`: what else the update carries (an ad-hoc job result).
 */
export function validateRoom(carriedBytes: number, current: Variables, incoming: Variables, replacing: boolean, extraBytes = 0): void {
  const refusal = growthRefusal(carriedBytes, variablesGrowth(current, incoming, replacing) + extraBytes);
  if (refusal !== null) throw reject(RejectionType.tooLarge, refusal);
}

export function validateTransfer(state: State, req: { taskKey: string; toGroup?: unknown; toUser?: unknown }): void {
  validateOpenTask(state, req.taskKey);
  const name = (v: unknown) => typeof v === 'string' && v.trim() !== '' && v.length <= 200;
  if ((req.toGroup === undefined) === (req.toUser === undefined)) {
    throw reject(RejectionType.invalid, 'toGroup: give exactly one of toGroup and toUser');
  }
  if (req.toGroup !== undefined && !name(req.toGroup)) throw reject(RejectionType.invalid, 'toGroup: a non-empty string of at most 200 characters is required');
  if (req.toUser !== undefined && !name(req.toUser)) throw reject(RejectionType.invalid, 'toUser: a non-empty string of at most 200 characters is required');
}

export function validateRetries(retries: unknown): void {
  if (retries !== undefined && (!Number.isInteger(retries) || (retries as number) < 1 || (retries as number) > 1_000_000)) {
    throw reject(RejectionType.invalid, 'retries: a whole number from 1 is required');
  }
}

/** The ad-hoc result of a job completion (decision 0046): elements, variables, no contradiction. */
export function validateAdHocResult(model: ProcessModel, state: State, jobKey: string, result: AdHocJobResult): void {
  for (const [i, element] of (result.activateElements ?? []).entries()) {
    try {
      validateVariables(element.variables ?? {});
    } catch (err) {
      throw reject(RejectionType.invalid, `result.activateElements.${i}.${(err as Error).message}`);
    }
  }
  const problem = adHocJobResultProblem(model, state, jobKey, result);
  if (problem !== null) throw reject(RejectionType.invalid, `result: ${problem}`);
}
