import type { JobDef } from '../../model/types';
import { CALLED_DECISION_TASK_TYPE, CalledDecisionHeader, DECISION_BINDING_TYPES, type CalledDecisionDef, type DecisionBindingType } from '../../dmn/calledDecision';
import type { CompileContext } from '../context';
import { errorAt } from '../context';
import { valueOrExpression } from '../expressions';
import type { MBaseElement, MZeebe } from '../moddleTypes';
import { attr } from '../zeebe';

/** Attempts for a called decision's job: a lookup hiccup is retried; a missing decision or a failed evaluation is an incident at once. */
const DECISION_ATTEMPTS = 3;

/**
 * A business rule task calling a DMN decision (`zeebe:calledDecision decisionId resultVariable
 * bindingType versionTag`), as Camunda 8 documents it: a job of the reserved type whose headers
 * name the decision (processes/dmn/calledDecision.ts, decision 0036).
 */
export function calledDecisionOf(node: MBaseElement, called: MZeebe, ctx: CompileContext): { job: JobDef; calledDecision: CalledDecisionDef } | undefined {
  const rawId = attr(called, 'decisionId');
  const decisionId = valueOrExpression(ctx, node, rawId, 'zeebe:calledDecision decisionId');
  if (!rawId || rawId.trim() === '') errorAt(ctx, node, 'zeebe:calledDecision needs a decisionId');
  const resultVariable = attr(called, 'resultVariable')?.trim();
  if (!resultVariable) errorAt(ctx, node, 'zeebe:calledDecision needs a resultVariable (the variable the decision result is stored in)');
  const rawBinding = attr(called, 'bindingType')?.trim() || 'latest';
  const bindingType = DECISION_BINDING_TYPES.find((b) => b === rawBinding);
  if (!bindingType) errorAt(ctx, node, `zeebe:calledDecision bindingType must be one of ${DECISION_BINDING_TYPES.join(', ')}, not '${rawBinding}'`);
  const versionTag = attr(called, 'versionTag')?.trim();
  if (bindingType === 'versionTag' && !versionTag) errorAt(ctx, node, 'zeebe:calledDecision bindingType="versionTag" needs a versionTag');
  if (!decisionId || !resultVariable || !bindingType || (bindingType === 'versionTag' && !versionTag)) return undefined;
  const calledDecision: CalledDecisionDef = { decisionId, resultVariable, bindingType: bindingType as DecisionBindingType, ...(bindingType === 'versionTag' ? { versionTag } : {}) };
  return { job: { type: CALLED_DECISION_TASK_TYPE, retries: DECISION_ATTEMPTS, headers: decisionHeaders(calledDecision) }, calledDecision };
}

/** The job headers the decision activity reads. */
export function decisionHeaders(called: CalledDecisionDef): JobDef['headers'] {
  const id = 'static' in called.decisionId ? called.decisionId.static : `=${called.decisionId.feel}`;
  return [
    { key: CalledDecisionHeader.decisionId, value: id },
    { key: CalledDecisionHeader.resultVariable, value: called.resultVariable },
    { key: CalledDecisionHeader.bindingType, value: called.bindingType },
    ...(called.versionTag ? [{ key: CalledDecisionHeader.versionTag, value: called.versionTag }] : []),
    ...(called.decisionVersion !== undefined ? [{ key: CalledDecisionHeader.decisionVersion, value: String(called.decisionVersion) }] : []),
  ];
}
