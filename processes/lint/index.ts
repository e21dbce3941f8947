/**
 * Modelling-style validation as a bpmnlint plugin: the same config and resolver serve the
 * server (at deploy) and, bundled, the browser modeler. Results are compiler Problems.
 */
import { Linter } from 'bpmnlint';
import type { Problem } from '../compiler/problems';
import { LINT_CONFIG } from './config';
import { resolver } from './resolver';
import { guardRule } from './guardRule';
import { indexTree } from './tree';

export { LINT_CONFIG } from './config';

export interface LintOptions {
  /**
   * Report only about elements inside these processes (and outside any process); used
   * to ignore non-executable participants of a collaboration. Default: everything.
   */
  onlyWithin?: ReadonlyArray<{ id?: string }>;
  config?: unknown;
}

/** Lints a bpmn:Definitions moddle tree. Never throws: a failing rule becomes a warning. */
export async function lintBpmn(definitions: unknown, options: LintOptions = {}): Promise<Problem[]> {
  const tree = indexTree(definitions);
  const linter = new Linter({ config: options.config ?? LINT_CONFIG, resolver, transformRule: guardRule });
  let results: Awaited<ReturnType<Linter['lint']>>;
  try {
    results = await linter.lint(definitions);
  } catch (err) {
    const reason = err instanceof Error ? err.message : String(err);
    return [{ elementId: null, elementType: null, message: `document-level: linter failed: ${reason}`, severity: 'warning' }];
  }
  const wanted = options.onlyWithin ? new Set(options.onlyWithin.map((p) => p.id)) : null;
  const problems: Problem[] = [];
  for (const [rule, reports] of Object.entries(results)) {
    for (const report of reports) {
      const id = report.id ?? null;
      const owner = id === null ? null : tree.processOf(id);
      if (wanted && owner !== null && !wanted.has(owner)) continue;
      const failed = report.category === 'rule-error' || report.ruleFailure === true;
      problems.push({
        elementId: id,
        elementType: id === null ? null : tree.typeOf(id),
        message: id === null ? `document-level: ${report.message}` : report.message,
        severity: report.category === 'error' && !failed ? 'error' : 'warning',
        rule,
      });
    }
  }
  return problems;
}
