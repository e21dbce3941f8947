import type { ElementDef, UserTaskDef } from '../../model/types';
import { isExpression } from '../../feel';
import { validateTimerValue } from '../../timers';
import type { CompileContext, ElementCommon } from '../context';
import { errorAt } from '../context';
import { requireFeel, valueOrExpression } from '../expressions';
import type { MFlowNode } from '../moddleTypes';
import { attr, zeebeExt } from '../zeebe';
import { calledDecisionOf } from './calledDecision';
import { jobOf } from './job';
import { messageOf } from './message';

/** Service, send and business-rule tasks all run one catalog activity; a called DMN decision is a job of its own type (decision 0036). */
export function serviceTask(node: MFlowNode, common: ElementCommon, ctx: CompileContext): ElementDef | undefined {
  const called = zeebeExt(node, 'zeebe:CalledDecision');
  if (called) {
    const decision = calledDecisionOf(node, called, ctx);
    return decision && { ...common, kind: 'serviceTask', ...decision };
  }
  const job = jobOf(node, ctx);
  return job && { ...common, kind: 'serviceTask', job };
}

export function scriptTask(node: MFlowNode, common: ElementCommon, ctx: CompileContext): ElementDef | undefined {
  const script = zeebeExt(node, 'zeebe:Script');
  if (!script) {
    errorAt(ctx, node, 'script task needs zeebe:script with a FEEL expression and a resultVariable');
    return undefined;
  }
  const expression = requireFeel(ctx, node, attr(script, 'expression'), 'zeebe:script expression');
  const resultVariable = attr(script, 'resultVariable')?.trim();
  if (!resultVariable) errorAt(ctx, node, 'zeebe:script resultVariable is missing');
  if (expression === undefined || !resultVariable) return undefined;
  return { ...common, kind: 'scriptTask', expression, resultVariable };
}

export function userTask(node: MFlowNode, common: ElementCommon, ctx: CompileContext): ElementDef | undefined {
  const assignment = zeebeExt(node, 'zeebe:AssignmentDefinition');
  const schedule = zeebeExt(node, 'zeebe:TaskSchedule');
  const form = zeebeExt(node, 'zeebe:FormDefinition');
  const fields: Partial<UserTaskDef> = {};
  const read = (key: 'assignee' | 'candidateGroups' | 'candidateUsers' | 'dueDate' | 'followUpDate', raw: string | undefined) => {
    const value = valueOrExpression(ctx, node, raw, key);
    if (value) fields[key] = value;
  };
  read('assignee', attr(assignment, 'assignee'));
  read('candidateGroups', attr(assignment, 'candidateGroups'));
  read('candidateUsers', attr(assignment, 'candidateUsers'));
  for (const key of ['dueDate', 'followUpDate'] as const) {
    const raw = attr(schedule, key);
    // A static date is fixed at deploy time, so a typo is caught now rather than per task.
    const invalid = raw && !isExpression(raw) ? validateTimerValue('date', raw) : null;
    if (invalid !== null) errorAt(ctx, node, `zeebe:taskSchedule ${key} is not an ISO 8601 date-time: ${invalid}`);
    else read(key, raw);
  }
  const priority = attr(zeebeExt(node, 'zeebe:PriorityDefinition'), 'priority');
  if (priority !== undefined && priority.trim() !== '' && !isExpression(priority) && staticPriority(priority) === null) {
    errorAt(ctx, node, `zeebe:priorityDefinition priority must be a whole number from 0 to 100 or a FEEL expression, not '${priority}'`);
  } else {
    const value = valueOrExpression(ctx, node, priority, 'zeebe:priorityDefinition priority');
    if (value) fields.priority = value;
  }
  const formKey = attr(form, 'formKey') ?? attr(form, 'formId');
  // A linked form (Camunda 8.4+): a form deployed beside the diagram, checked at deploy.
  const formId = attr(form, 'formKey') === undefined ? attr(form, 'formId') : undefined;
  return { ...common, kind: 'userTask', ...fields, ...(formKey ? { formKey } : {}), ...(formId ? { formId } : {}) };
}

/** A static user task priority: a whole number from 0 to 100 (as Zeebe's validator), else null. */
export function staticPriority(raw: string): number | null {
  const text = raw.trim();
  if (!/^\d{1,3}$/.test(text)) return null;
  const value = Number(text);
  return value <= 100 ? value : null;
}

export function receiveTask(node: MFlowNode, common: ElementCommon, ctx: CompileContext): ElementDef | undefined {
  const message = messageOf(node, node.messageRef, true, ctx);
  return message && { ...common, kind: 'receiveTask', ...message };
}

export function manualTask(_node: MFlowNode, common: ElementCommon): ElementDef {
  return { ...common, kind: 'manualTask' };
}

export function plainTask(_node: MFlowNode, common: ElementCommon): ElementDef {
  return { ...common, kind: 'task' };
}
