// bpmn-moddle and bpmnlint ship no types that `moduleResolution: node10` can find; these
// declarations cover only what processes/ calls. Elements are read through moddleTypes.ts.
declare module 'bpmn-moddle' {
  export interface ModdleWarning {
    message: string;
    error?: Error;
    element?: { id?: string; $type?: string };
    property?: string;
    value?: unknown;
  }
  export interface ParseResult {
    rootElement: unknown;
    elementsById: Record<string, unknown>;
    warnings: ModdleWarning[];
  }
  export class BpmnModdle {
    constructor(packages?: Record<string, unknown>);
    fromXML(xml: string, typeName?: string): Promise<ParseResult>;
  }
}

declare module 'bpmnlint' {
  export interface LintReport {
    id?: string;
    message: string;
    category: string;
    /** Set by our guardRule when a rule threw on this element. */
    ruleFailure?: boolean;
  }
  export interface Resolver {
    resolveRule(pkg: string, ruleName: string): unknown;
    resolveConfig(pkg: string, configName: string): unknown;
  }
  export class Linter {
    constructor(options: {
      config?: unknown;
      resolver: Resolver;
      transformRule?: (rule: unknown, options: { pkg: string; ruleName: string }) => unknown;
    });
    lint(root: unknown, config?: unknown): Promise<Record<string, LintReport[]>>;
  }
}

declare module 'bpmnlint/rules/*' {
  const factory: (config?: unknown) => unknown;
  export = factory;
}
