/**
 * The DMN decision evaluator: pure and deterministic (no I/O, no clock), so it runs alike in
 * an activity, the API and workflow code. Required decisions are evaluated first, each once;
 * their results are visible to the decisions that require them under the required decision's
 * id, as in Camunda 8. FEEL is null-friendly (decision 0030): a missing variable reads as null.
 */
import { DEFAULT_FEEL_LIMITS, evaluateFeel, type FeelLimits } from '../feel';
import { setOwn, toJsonValue } from '../evaluator/json';
import { applyHitPolicy, type MatchedRule } from './hitPolicy';
import type { DecisionDef, DecisionGraph, DecisionOutcome, DecisionTable, EvaluatedDecision } from './types';
import { testInput } from './unaryTests';

export interface EvaluateOptions {
  /** FEEL bounds (nesting, iterations, result size); default DEFAULT_FEEL_LIMITS, so a decision cannot loop for ever. */
  limits?: FeelLimits;
}

class DecisionFailure {
  constructor(readonly decisionId: string, readonly message: string) {}
}

function feel(decision: DecisionDef, where: string, source: string, context: Record<string, unknown>, options: EvaluateOptions): unknown {
  const result = evaluateFeel(source, context, { allowWarnings: true, ...(options.limits ? { limits: options.limits } : {}) });
  if (!result.ok) throw new DecisionFailure(decision.id, `decision '${decision.id}': ${where}: ${result.error}`);
  return result.value;
}

function evaluateTable(decision: DecisionDef, table: DecisionTable, context: Record<string, unknown>, options: EvaluateOptions): { value: unknown; matchedRules: string[] } {
  const inputValues = table.inputs.map((input) => feel(decision, `input '${input.id}' expression '${input.expression}'`, input.expression, context, options));
  const matched: MatchedRule[] = [];
  for (const rule of table.rules) {
    let matches = true;
    for (let i = 0; i < table.inputs.length && matches; i += 1) {
      const entry = rule.inputEntries[i] ?? '-';
      const test = testInput(entry, inputValues[i], context, options.limits);
      if (!test.ok) throw new DecisionFailure(decision.id, `decision '${decision.id}': rule '${rule.id}' input entry '${entry}' (input '${table.inputs[i]!.id}'): ${test.error}`);
      matches = test.matched;
    }
    if (!matches) continue;
    const values = table.outputs.map((output, i) => {
      const entry = (rule.outputEntries[i] ?? '').trim();
      if (entry === '') return null;
      return toJsonValue(feel(decision, `rule '${rule.id}' output entry '${entry}' (output '${output.id}')`, entry, context, options));
    });
    matched.push({ ruleId: rule.id, values });
  }
  const hit = applyHitPolicy(table, matched);
  if (!hit.ok) throw new DecisionFailure(decision.id, `decision '${decision.id}': ${hit.message}`);
  return { value: hit.value, matchedRules: hit.rules.map((r) => r.ruleId) };
}

/**
 * Evaluates `decisionId` of `graph` against `variables`. Never throws for bad data: a FEEL
 * error, a hit-policy violation or an unknown decision comes back as `ok: false` with a
 * message naming the decision (and the rule, input or output).
 */
export function evaluateDecision(graph: DecisionGraph, decisionId: string, variables: Record<string, unknown>, given: EvaluateOptions = {}): DecisionOutcome {
  const options: EvaluateOptions = { limits: given.limits ?? DEFAULT_FEEL_LIMITS };
  const byId = new Map(graph.decisions.map((d) => [d.id, d]));
  const evaluated: EvaluatedDecision[] = [];
  const results = new Map<string, unknown>();

  const run = (id: string, path: readonly string[]): unknown => {
    if (results.has(id)) return results.get(id);
    const decision = byId.get(id);
    if (!decision) throw new DecisionFailure(path[path.length - 1] ?? id, `no decision found for id '${id}' in the decision requirements graph '${graph.id}'`);
    if (path.includes(id)) throw new DecisionFailure(id, `decision '${id}' requires itself (${[...path, id].join(' → ')})`);
    const context: Record<string, unknown> = { ...variables };
    for (const required of decision.requiredDecisions) setOwn(context, required, run(required, [...path, id]));
    let value: unknown;
    let matchedRules: string[] = [];
    if (decision.logic.kind === 'literalExpression') {
      value = toJsonValue(feel(decision, `literal expression '${decision.logic.expression}'`, decision.logic.expression, context, options));
    } else {
      ({ value, matchedRules } = evaluateTable(decision, decision.logic.table, context, options));
    }
    results.set(id, value);
    evaluated.push({ decisionId: id, decisionName: decision.name, matchedRules, value });
    return value;
  };

  try {
    const value = run(decisionId, []);
    return { ok: true, value, evaluated };
  } catch (err) {
    if (err instanceof DecisionFailure) return { ok: false, message: err.message, decisionId: err.decisionId, evaluated };
    return { ok: false, message: `decision '${decisionId}': ${err instanceof Error ? err.message : String(err)}`, decisionId, evaluated };
  }
}
