/**
 * bpmnlint catches a throwing rule itself, but logs to the console and reports without an
 * element. Wrapping each check turns a failure into a report on the element it failed on,
 * and keeps going for the other elements and rules.
 */
type Check = (node: { id?: string }, reporter: { report(id: unknown, message: string, extra?: unknown): void }) => unknown;

export function guardRule(rule: unknown, { ruleName }: { pkg: string; ruleName: string }): unknown {
  const definition = rule as { check?: Check };
  const check = definition.check;
  if (typeof check !== 'function') return rule;
  return {
    ...definition,
    check(node: { id?: string }, reporter: { report(id: unknown, message: string, extra?: unknown): void }) {
      try {
        return check(node, reporter);
      } catch (err) {
        const reason = err instanceof Error ? err.message : String(err);
        reporter.report(node.id, `lint rule '${ruleName}' failed on this element and could not check it: ${reason}`, { ruleFailure: true });
        return undefined;
      }
    },
  };
}
