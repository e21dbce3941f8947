/**
 * The bpmnlint rule contract (see bpmnlint/lib/types.d.ts), typed for our own rules. Rules
 * read moddle elements through `LintNode`, a loose view: they must cope with any tree.
 */
export interface LintNode {
  $type: string;
  $parent?: LintNode;
  id?: string;
  name?: string;
  incoming?: LintNode[];
  outgoing?: LintNode[];
  default?: LintNode;
  sourceRef?: LintNode;
  targetRef?: LintNode;
  conditionExpression?: { body?: string };
  $instanceOf(type: string): boolean;
}

export interface Reporter {
  report(id: string | undefined, message: string): void;
}

export interface RuleDefinition {
  check(node: LintNode, reporter: Reporter): void;
}

export type RuleFactory = () => RuleDefinition;
