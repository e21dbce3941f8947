/**
 * Operator operations on a running instance: token modification (decision 0040) and migration
 * to another version (decision 0041). The validators run before an update is accepted, so a
 * refused request leaves nothing in history; the rules themselves are the evaluator's
 * (`validateModification`, `migrate`).
 */
import { ApplicationFailure } from '@temporalio/workflow';
import { migrate, validateModification, type State } from '../../processes/evaluator';
import type { ProcessModel } from '../../processes/model';
import { RejectionType, type MigrationRequest, type ModificationRequest } from './messages';
import type { DefinitionRef, ElementEvent, ExternalJobRecord } from './types';
import { validateVariables } from './validators';

const MAX_TEXT = 500;
/** How many migration ids an instance remembers (a retried request comes within minutes). */
export const REMEMBERED_MIGRATIONS = 20;

function requireText(name: string, value: unknown): void {
  if (typeof value !== 'string' || value.trim() === '' || value.length > MAX_TEXT) {
    throw ApplicationFailure.nonRetryable(`${name}: a non-empty string of at most ${MAX_TEXT} characters is required`, RejectionType.invalid);
  }
}

export function validateModificationRequest(model: ProcessModel, state: State, req: ModificationRequest): void {
  requireText('actor', req.actor);
  requireText('reason', req.reason);
  if (!Array.isArray(req.instructions)) throw ApplicationFailure.nonRetryable('instructions: a list is required', RejectionType.invalid);
  req.instructions.forEach((instruction) => {
    if (instruction.type !== 'activate') return;
    if (instruction.variables !== undefined) validateVariables(instruction.variables);
    for (const v of instruction.variableInstructions ?? []) validateVariables(v.variables);
  });
  const problems = validateModification(model, state, req.instructions);
  if (problems.length > 0) {
    throw ApplicationFailure.nonRetryable(problems.map((p) => `${p.path}: ${p.message}`).join('; '), RejectionType.invalid, { problems });
  }
}

/** What a migration request is, for this run: already done, or to be checked by `migrate`. */
export function validateMigrationRequest(
  model: ProcessModel, state: State, current: DefinitionRef, done: readonly string[], pending: boolean, req: MigrationRequest,
): void {
  requireText('actor', req.actor);
  requireText('reason', req.reason);
  requireText('migrationId', req.migrationId);
  if (done.includes(req.migrationId)) return;
  if (pending) throw ApplicationFailure.nonRetryable('another migration of this instance is under way', RejectionType.conflict);
  if (req.target.definition.key !== current.key) {
    throw ApplicationFailure.nonRetryable(`the target is process '${req.target.definition.key}', this instance runs '${current.key}'`, RejectionType.invalid);
  }
  if (req.target.definition.version === current.version) {
    throw ApplicationFailure.nonRetryable(`the instance already runs version ${current.version}`, RejectionType.conflict);
  }
  const result = migrate(model, req.target.model, state, req.mapping);
  if (!result.ok) {
    throw ApplicationFailure.nonRetryable(result.refusals.map((r) => `'${r.elementId}': ${r.reason}`).join('; '), RejectionType.migrationRefused, { refusals: result.refusals });
  }
}

/** The history entry of an operator's change, on the process element: who, why, what. */
export function auditEvent(
  index: number, model: ProcessModel, event: 'modified' | 'migrated', time: number, actor: string, reason: string, what: string,
): ElementEvent {
  return { index, elementId: model.id, elementType: 'bpmn:Process', event, time, message: `${what}; by ${actor}: ${reason}` };
}

export function describeModification(req: ModificationRequest): string {
  return req.instructions.map((i) => {
    if (i.type === 'activate') {
      const scoped = (i.variableInstructions ?? []).map((v) => ` with ${Object.keys(v.variables).join(', ') || 'no'} variables in '${v.scopeId ?? 'the process'}'`).join('');
      return `activate '${i.elementId}'${i.variables ? ` with ${Object.keys(i.variables).join(', ') || 'no'} variables` : ''}${scoped}`;
    }
    return 'elementInstanceKey' in i ? `terminate instance ${i.elementInstanceKey}` : `terminate '${i.elementId}'`;
  }).join(', ');
}

/** External-worker jobs keep their keys across a migration; their element ids follow the mapping. */
export function remapExternalJobs(jobs: Record<string, ExternalJobRecord>, state: State): Record<string, ExternalJobRecord> {
  const out: Record<string, ExternalJobRecord> = {};
  for (const key of Object.keys(jobs)) {
    const job = jobs[key];
    if (!job) continue;
    const wait = state.waits[key];
    out[key] = wait ? { ...job, elementId: wait.elementId } : job;
  }
  return out;
}
