/**
 * DMN XML → DecisionGraph, with every problem naming its decision, input, output or rule.
 * Reads DMN 1.3 through bpmn-io's dmn-moddle; the 1.1, 1.2, 1.4 and 1.5 model namespaces
 * (as Camunda Modeler and other tools write them) are read as 1.3, whose decision tables and
 * literal expressions they share. Never throws for bad input. The caller guards size and
 * DTDs first (processes/compiler/xmlGuard.ts).
 */
import { DmnModdle } from 'dmn-moddle';
import { evaluateFeel, feelSyntaxError } from '../feel';
import type { Aggregation, DecisionDef, DecisionGraph, DecisionInput, DecisionOutput, DecisionRule, DmnProblem, HitPolicy } from './types';
import { unaryTestsSyntaxError } from './unaryTests';

export type DmnParseOutcome =
  | { ok: true; graph: DecisionGraph; warnings: DmnProblem[] }
  | { ok: false; problems: DmnProblem[]; warnings: DmnProblem[] };

const DMN13 = 'https://www.omg.org/spec/DMN/20191111/MODEL/';
const OTHER_MODEL_NAMESPACES = [
  'http://www.omg.org/spec/DMN/20151101/dmn.xsd', // 1.1
  'http://www.omg.org/spec/DMN/20180521/MODEL/', // 1.2
  'https://www.omg.org/spec/DMN/20211108/MODEL/', // 1.4
  'https://www.omg.org/spec/DMN/20230324/MODEL/', // 1.5
];
const DMNDI13 = 'https://www.omg.org/spec/DMN/20191111/DMNDI/';
const OTHER_DI_NAMESPACES = ['http://www.omg.org/spec/DMN/20180521/DMNDI/', 'https://www.omg.org/spec/DMN/20230324/DMNDI/'];

const HIT_POLICIES: readonly HitPolicy[] = ['UNIQUE', 'FIRST', 'PRIORITY', 'ANY', 'COLLECT', 'RULE ORDER', 'OUTPUT ORDER'];
const AGGREGATIONS: readonly Aggregation[] = ['SUM', 'MIN', 'MAX', 'COUNT'];

type MNode = Record<string, unknown> & { $type?: string; id?: string };

const str = (v: unknown): string | undefined => (typeof v === 'string' ? v : undefined);
const list = (v: unknown): MNode[] => (Array.isArray(v) ? (v as MNode[]) : []);
const node = (v: unknown): MNode | undefined => (v && typeof v === 'object' ? (v as MNode) : undefined);
const textOf = (v: unknown): string => str(node(v)?.text)?.trim() ?? '';

/** Rewrites other DMN versions' namespace URIs to DMN 1.3's (quoted attribute values only). */
export function normalizeNamespaces(xml: string): string {
  let out = xml;
  for (const ns of OTHER_MODEL_NAMESPACES) out = out.split(`"${ns}"`).join(`"${DMN13}"`).split(`'${ns}'`).join(`'${DMN13}'`);
  for (const ns of OTHER_DI_NAMESPACES) out = out.split(`"${ns}"`).join(`"${DMNDI13}"`);
  return out;
}

/** Camunda's `<zeebe:versionTag value="…"/>` in a decision's extension elements (read without the zeebe descriptor). */
function versionTagOf(decision: MNode): string | undefined {
  for (const ext of list(node(decision.extensionElements)?.values)) {
    if (!/(^|:)versionTag$/.test(ext.$type ?? '')) continue;
    const value = str(ext.value) ?? str(node(ext.$attrs)?.value);
    if (value && value.trim() !== '') return value.trim();
  }
  return undefined;
}

class Reader {
  readonly problems: DmnProblem[] = [];
  error(elementId: string | null, message: string): void {
    this.problems.push({ elementId, message });
  }

  feel(elementId: string, what: string, source: string): void {
    const error = feelSyntaxError(source);
    if (error) this.error(elementId, `${what}: ${error}`);
  }

  input(decisionId: string, clause: MNode, index: number): DecisionInput {
    const id = clause.id ?? `${decisionId}-input-${index + 1}`;
    const expression = textOf(clause.inputExpression);
    if (expression === '') this.error(id, `input '${id}' of decision '${decisionId}' has no input expression`);
    else this.feel(id, `input '${id}' expression`, expression);
    const typeRef = str(node(clause.inputExpression)?.typeRef);
    const label = str(clause.label);
    return { id, expression, ...(label ? { label } : {}), ...(typeRef ? { typeRef } : {}) };
  }

  output(decisionId: string, clause: MNode, index: number): DecisionOutput {
    const id = clause.id ?? `${decisionId}-output-${index + 1}`;
    const name = str(clause.name)?.trim();
    const label = str(clause.label);
    const typeRef = str(clause.typeRef);
    const valuesText = textOf(clause.outputValues);
    let priorities: unknown[] | undefined;
    if (valuesText !== '') {
      const values = evaluateFeel(`[${valuesText}]`, {});
      if (values.ok && Array.isArray(values.value)) priorities = values.value as unknown[];
      else this.error(id, `output '${id}' of decision '${decisionId}': output values '${valuesText}' are not a list of literals`);
    }
    return { id, ...(name ? { name } : {}), ...(label ? { label } : {}), ...(typeRef ? { typeRef } : {}), ...(priorities ? { priorities } : {}) };
  }

  rule(decisionId: string, raw: MNode, index: number, inputs: readonly DecisionInput[], outputs: readonly DecisionOutput[]): DecisionRule {
    const id = raw.id ?? `${decisionId}-rule-${index + 1}`;
    const inputEntries = list(raw.inputEntry).map((e) => textOf(e));
    const outputEntries = list(raw.outputEntry).map((e) => textOf(e));
    if (inputEntries.length !== inputs.length) this.error(id, `rule '${id}' of decision '${decisionId}' has ${inputEntries.length} input entries for ${inputs.length} inputs`);
    if (outputEntries.length !== outputs.length) this.error(id, `rule '${id}' of decision '${decisionId}' has ${outputEntries.length} output entries for ${outputs.length} outputs`);
    inputEntries.forEach((entry, i) => {
      const error = unaryTestsSyntaxError(entry);
      if (error) this.error(id, `rule '${id}' input entry for '${inputs[i]?.id ?? i + 1}': ${error}`);
    });
    outputEntries.forEach((entry, i) => {
      if (entry !== '') this.feel(id, `rule '${id}' output entry for '${outputs[i]?.id ?? i + 1}'`, entry);
    });
    return { id, inputEntries, outputEntries };
  }

  decision(raw: MNode): DecisionDef | undefined {
    const id = raw.id ?? '';
    const name = str(raw.name) ?? id;
    const requiredDecisions = list(raw.informationRequirement)
      .map((r) => str(node(r.requiredDecision)?.href))
      .filter((href): href is string => href !== undefined)
      .map((href) => href.replace(/^#/, ''));
    const versionTag = versionTagOf(raw);
    const base = { id, name, requiredDecisions, ...(versionTag ? { versionTag } : {}) };
    const logic = node(raw.decisionLogic);
    if (logic?.$type === 'dmn:LiteralExpression') {
      const expression = textOf(logic);
      if (expression === '') this.error(id, `decision '${id}' has an empty literal expression`);
      else this.feel(id, `decision '${id}' literal expression`, expression);
      return { ...base, logic: { kind: 'literalExpression', expression } };
    }
    if (logic?.$type !== 'dmn:DecisionTable') {
      this.error(id, `decision '${id}' is ${logic ? `a ${String(logic.$type).replace(/^dmn:/, '')}` : 'empty'}; only decision tables and literal expressions are evaluated`);
      return undefined;
    }
    const hitPolicy = (str(logic.hitPolicy) ?? 'UNIQUE') as HitPolicy;
    const aggregation = str(logic.aggregation) as Aggregation | undefined;
    const tableId = logic.id ?? id;
    if (!HIT_POLICIES.includes(hitPolicy)) this.error(tableId, `decision '${id}' has the unknown hit policy '${hitPolicy}'`);
    if (aggregation !== undefined && !AGGREGATIONS.includes(aggregation)) this.error(tableId, `decision '${id}' has the unknown aggregation '${aggregation}'`);
    if (aggregation !== undefined && hitPolicy !== 'COLLECT') this.error(tableId, `decision '${id}': an aggregation (${aggregation}) needs the hit policy COLLECT, not ${hitPolicy}`);
    const inputs = list(logic.input).map((c, i) => this.input(id, c, i));
    const outputs = list(logic.output).map((c, i) => this.output(id, c, i));
    if (outputs.length === 0) this.error(tableId, `decision '${id}' has no output`);
    if (outputs.length > 1) {
      const seen = new Set<string>();
      for (const output of outputs) {
        if (!output.name) this.error(output.id, `output '${output.id}' of decision '${id}' needs a name: the table has several outputs, which become a context`);
        else if (seen.has(output.name)) this.error(output.id, `decision '${id}' has two outputs named '${output.name}'`);
        else seen.add(output.name);
      }
      if (aggregation) this.error(tableId, `decision '${id}': COLLECT ${aggregation} needs exactly one output, not ${outputs.length}`);
    }
    if ((hitPolicy === 'PRIORITY' || hitPolicy === 'OUTPUT ORDER') && !outputs.some((o) => o.priorities)) {
      this.error(tableId, `decision '${id}': hit policy ${hitPolicy} needs output values (their order is the priority)`);
    }
    const rules = list(logic.rule).map((r, i) => this.rule(id, r, i, inputs, outputs));
    return { ...base, logic: { kind: 'decisionTable', table: { hitPolicy, ...(aggregation ? { aggregation } : {}), inputs, outputs, rules } } };
  }
}

function requirementProblems(decisions: readonly DecisionDef[]): DmnProblem[] {
  const problems: DmnProblem[] = [];
  const byId = new Map(decisions.map((d) => [d.id, d]));
  for (const decision of decisions) {
    for (const required of decision.requiredDecisions) {
      if (!byId.has(required)) problems.push({ elementId: decision.id, message: `decision '${decision.id}' requires the decision '${required}', which is not in this file` });
    }
  }
  // A cycle makes evaluation impossible: depth-first search with colours.
  const state = new Map<string, 'visiting' | 'done'>();
  const visit = (id: string, path: string[]): void => {
    if (state.get(id) === 'done') return;
    if (state.get(id) === 'visiting') {
      problems.push({ elementId: id, message: `decision '${id}' requires itself: ${[...path.slice(path.indexOf(id)), id].join(' → ')}` });
      return;
    }
    state.set(id, 'visiting');
    for (const next of byId.get(id)?.requiredDecisions ?? []) if (byId.has(next)) visit(next, [...path, id]);
    state.set(id, 'done');
  };
  for (const decision of decisions) visit(decision.id, []);
  return problems;
}

const NOT_DMN = 'document root is not a DMN <definitions> (in a DMN 1.1 to 1.5 model namespace)';

export async function parseDmn(xml: string): Promise<DmnParseOutcome> {
  let root: MNode | undefined;
  let warnings: DmnProblem[] = [];
  try {
    const result = await DmnModdle().fromXML(normalizeNamespaces(xml), 'dmn:Definitions');
    root = node(result.rootElement);
    warnings = result.warnings.map((w) => ({ elementId: w.element?.id ?? null, message: w.message }));
  } catch (err) {
    const message = err instanceof Error ? err.message : String(err);
    const id = /(?:duplicate|illegal) ID <([^>]*)>/.exec(message)?.[1] ?? null;
    const notDmn = /failed to parse document as <dmn:Definitions>/.test(message);
    return { ok: false, problems: [{ elementId: id, message: notDmn ? NOT_DMN : `XML cannot be read: ${message}` }], warnings };
  }
  if (!root || root.$type !== 'dmn:Definitions') {
    return { ok: false, problems: [{ elementId: null, message: NOT_DMN }], warnings };
  }
  const reader = new Reader();
  const raws = list(root.drgElement).filter((e) => e.$type === 'dmn:Decision');
  if (raws.length === 0) reader.error(root.id ?? null, 'the DMN file has no decision');
  const decisions: DecisionDef[] = [];
  for (const raw of raws) {
    if (!raw.id) {
      reader.error(null, `a decision named '${str(raw.name) ?? ''}' has no id`);
      continue;
    }
    const decision = reader.decision(raw);
    if (decision) decisions.push(decision);
  }
  const problems = [...reader.problems, ...requirementProblems(decisions)];
  if (problems.length > 0) return { ok: false, problems, warnings };
  const id = root.id ?? decisions[0]!.id;
  const namespace = str(root.namespace);
  return { ok: true, graph: { id, name: str(root.name) ?? id, ...(namespace ? { namespace } : {}), decisions }, warnings };
}
