/**
 * Hit policies: from the matched rules of a decision table to its result, as Camunda 8's DMN
 * engine (dmn-scala) shapes it. One output gives its value, several give a context keyed by
 * output name; single-hit policies give one of those (null when no rule matched), multi-hit
 * policies a list, COLLECT with an aggregator one number.
 */
import { setOwn, toJsonValue } from '../evaluator/json';
import type { DecisionTable } from './types';

/** One matched rule with its output values (in output order, JSON). */
export interface MatchedRule {
  ruleId: string;
  values: unknown[];
}

export type HitResult = { ok: true; value: unknown; rules: MatchedRule[] } | { ok: false; message: string };

const quoted = (ids: readonly string[]) => ids.map((id) => `'${id}'`).join(', ');

function shape(table: DecisionTable, rule: MatchedRule): unknown {
  if (table.outputs.length === 1) return rule.values[0] ?? null;
  const context: Record<string, unknown> = {};
  table.outputs.forEach((output, i) => setOwn(context, output.name ?? output.id, rule.values[i] ?? null));
  return context;
}

/** Index of `value` in the output's priority list; values not in it come last. */
function rank(priorities: readonly unknown[] | undefined, value: unknown): number {
  if (!priorities) return 0;
  const text = JSON.stringify(value);
  const index = priorities.findIndex((p) => JSON.stringify(p) === text);
  return index === -1 ? priorities.length : index;
}

/** Rules by the output values' priority, output by output; ties keep rule order (a stable sort). */
function byPriority(table: DecisionTable, rules: readonly MatchedRule[]): MatchedRule[] {
  return [...rules].sort((a, b) => {
    for (let i = 0; i < table.outputs.length; i += 1) {
      const priorities = table.outputs[i]?.priorities;
      const diff = rank(priorities, a.values[i]) - rank(priorities, b.values[i]);
      if (diff !== 0) return diff;
    }
    return 0;
  });
}

type Aggregated = { ok: true; value: unknown } | { ok: false; message: string };

function aggregate(table: DecisionTable, rules: readonly MatchedRule[]): Aggregated {
  const values = rules.map((r) => r.values[0] ?? null);
  switch (table.aggregation) {
    case 'COUNT':
      return { ok: true, value: values.length };
    case 'SUM': {
      const numbers = values.filter((v) => v !== null);
      if (numbers.some((v) => typeof v !== 'number')) return { ok: false, message: 'COLLECT SUM needs number outputs' };
      return { ok: true, value: numbers.length === 0 ? null : toJsonValue((numbers as number[]).reduce((s, n) => s + n, 0)) };
    }
    case 'MIN':
    case 'MAX': {
      const present = values.filter((v) => v !== null);
      if (present.length === 0) return { ok: true, value: null };
      const kind = typeof present[0];
      if ((kind !== 'number' && kind !== 'string') || present.some((v) => typeof v !== kind)) {
        return { ok: false, message: `COLLECT ${table.aggregation} needs outputs of one comparable type (numbers or strings)` };
      }
      const pick = (a: unknown, b: unknown) => ((table.aggregation === 'MIN' ? (b as number) < (a as number) : (b as number) > (a as number)) ? b : a);
      return { ok: true, value: present.reduce<unknown>(pick, present[0]) };
    }
    default:
      return { ok: true, value: rules.map((r) => shape(table, r)) };
  }
}

export function applyHitPolicy(table: DecisionTable, matched: readonly MatchedRule[]): HitResult {
  const ids = matched.map((r) => r.ruleId);
  switch (table.hitPolicy) {
    case 'UNIQUE':
      if (matched.length > 1) return { ok: false, message: `hit policy UNIQUE: ${matched.length} rules matched (${quoted(ids)}); only one may` };
      return { ok: true, value: matched[0] ? shape(table, matched[0]) : null, rules: matched.slice(0, 1) };
    case 'FIRST':
      return { ok: true, value: matched[0] ? shape(table, matched[0]) : null, rules: matched.slice(0, 1) };
    case 'ANY': {
      const first = matched[0];
      if (!first) return { ok: true, value: null, rules: [] };
      const expected = JSON.stringify(first.values);
      const other = matched.find((r) => JSON.stringify(r.values) !== expected);
      if (other) return { ok: false, message: `hit policy ANY: the matched rules ${quoted(ids)} have different outputs ('${first.ruleId}' and '${other.ruleId}' differ)` };
      return { ok: true, value: shape(table, first), rules: matched.slice() };
    }
    case 'PRIORITY': {
      const [top] = byPriority(table, matched);
      return { ok: true, value: top ? shape(table, top) : null, rules: top ? [top] : [] };
    }
    case 'OUTPUT ORDER': {
      const sorted = byPriority(table, matched);
      return { ok: true, value: sorted.map((r) => shape(table, r)), rules: sorted };
    }
    case 'RULE ORDER':
      return { ok: true, value: matched.map((r) => shape(table, r)), rules: matched.slice() };
    case 'COLLECT': {
      const result = aggregate(table, matched);
      return result.ok ? { ok: true, value: result.value, rules: matched.slice() } : result;
    }
    default:
      return { ok: false, message: `unknown hit policy '${String(table.hitPolicy)}'` };
  }
}
