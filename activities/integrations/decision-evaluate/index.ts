/**
 * The job of a business rule task with `zeebe:calledDecision` (decision 0036): resolve the
 * decision version its binding selects, at the moment the task runs (Camunda's `latest`), and
 * evaluate it with the task's variables. The result is the one variable `resultVariable`,
 * merged into the process unless the task has output mappings, as Camunda does. A missing
 * decision or a failed evaluation is a PermanentError: an incident on the task at once,
 * which an operator resolves (after deploying the decision) to evaluate again.
 */
import { z } from 'zod';
import { evaluateFeel } from '../../../processes/feel';
import { evaluateDecision } from '../../../processes/dmn';
import { CALLED_DECISION_TASK_TYPE, CalledDecisionHeader, DECISION_BINDING_TYPES, type DecisionBindingType } from '../../../processes/dmn/calledDecision';
import { PermanentError } from '../../catalog/errors';
import { defineIntegration, type IntegrationManifest } from '../../catalog/types';

export const decisionEvaluateManifest: IntegrationManifest = {
  type: CALLED_DECISION_TASK_TYPE,
  description: 'Evaluate the DMN decision of a business rule task (zeebe:calledDecision); not a template',
  defaults: { startToCloseTimeoutMs: 30_000, retries: 3 },
};

/** Failure types shown in the incident. */
export const DecisionFailure = {
  NotFound: 'CalledDecisionNotFound',
  Evaluation: 'DecisionEvaluationError',
  NotConfigured: 'NotConfigured',
} as const;

function decisionIdOf(raw: string, variables: Record<string, unknown>): string {
  if (!raw.trimStart().startsWith('=')) return raw;
  const source = raw.trimStart().slice(1);
  const result = evaluateFeel(source, variables, { allowWarnings: true });
  if (!result.ok) throw new PermanentError(DecisionFailure.Evaluation, `zeebe:calledDecision decisionId '${source}' failed: ${result.error}`);
  if (typeof result.value !== 'string' || result.value === '') {
    throw new PermanentError(DecisionFailure.Evaluation, `zeebe:calledDecision decisionId '${source}' must evaluate to a string, not ${result.value === null ? 'null' : typeof result.value}`);
  }
  return result.value;
}

export const decisionEvaluate = defineIntegration({
  ...decisionEvaluateManifest,
  input: z.record(z.string(), z.unknown()),
  output: z.record(z.string(), z.unknown()),
  async run(variables, { headers, deps, log }) {
    if (!deps.decisions) throw new PermanentError(DecisionFailure.NotConfigured, 'this worker has no decision store (IntegrationDeps.decisions)');
    const resultVariable = headers[CalledDecisionHeader.resultVariable] ?? '';
    const rawId = headers[CalledDecisionHeader.decisionId] ?? '';
    const bindingType = (DECISION_BINDING_TYPES as readonly string[]).includes(headers[CalledDecisionHeader.bindingType] ?? '')
      ? (headers[CalledDecisionHeader.bindingType] as DecisionBindingType) : 'latest';
    const versionTag = headers[CalledDecisionHeader.versionTag];
    const pinned = headers[CalledDecisionHeader.decisionVersion];
    const decisionVersion = pinned !== undefined && /^\d+$/.test(pinned) ? Number(pinned) : undefined;
    const decisionId = decisionIdOf(rawId, variables);

    const found = await deps.decisions.resolve(decisionId, { bindingType, ...(versionTag ? { versionTag } : {}), ...(decisionVersion !== undefined ? { decisionVersion } : {}) });
    if (!found) {
      const which = bindingType === 'versionTag' ? ` and version tag '${versionTag ?? ''}'` : bindingType === 'deployment' && decisionVersion !== undefined ? ` in version ${decisionVersion}` : '';
      throw new PermanentError(DecisionFailure.NotFound, `no decision found for id '${decisionId}'${which}: deploy it (POST /api/decisions), then resolve the incident`);
    }
    const outcome = evaluateDecision(found.graph, found.decisionId, variables);
    // Names and ids only: the values may be personal data.
    log('decision evaluated', { decisionId: found.decisionId, version: found.version, ok: outcome.ok, matchedRules: outcome.evaluated.flatMap((e) => e.matchedRules) });
    if (!outcome.ok) {
      throw new PermanentError(DecisionFailure.Evaluation, `failed to evaluate decision '${found.decisionId}' (version ${found.version}): ${outcome.message}`, { decisionId: found.decisionId, version: found.version, failedDecisionId: outcome.decisionId });
    }
    return { [resultVariable]: outcome.value };
  },
});
