/** Small DMN 1.3 documents for tests, written as Camunda Modeler writes them (no DI). */

const esc = (s: string) => s.replace(/&/g, '&amp;').replace(/</g, '&lt;').replace(/>/g, '&gt;').replace(/"/g, '&quot;');

export interface TableSpec {
  id: string;
  name?: string;
  hitPolicy?: string;
  aggregation?: string;
  inputs: string[];
  outputs: Array<{ name?: string; values?: string; typeRef?: string }>;
  /** Input entries then output entries; the rule ids are `<id>_r1`, `<id>_r2`, … */
  rules: string[][];
  requires?: string[];
  versionTag?: string;
}

export interface LiteralSpec {
  id: string;
  name?: string;
  expression: string;
  requires?: string[];
}

function requirements(requires: string[] = []): string {
  return requires.map((r, i) => `<informationRequirement id="req_${i}_${r}"><requiredDecision href="#${r}" /></informationRequirement>`).join('');
}

export function tableDecision(spec: TableSpec): string {
  const attrs = `${spec.hitPolicy ? ` hitPolicy="${spec.hitPolicy}"` : ''}${spec.aggregation ? ` aggregation="${spec.aggregation}"` : ''}`;
  const inputs = spec.inputs.map((expr, i) => `<input id="${spec.id}_in${i + 1}"><inputExpression id="${spec.id}_ie${i + 1}" typeRef="string"><text>${esc(expr)}</text></inputExpression></input>`).join('');
  const outputs = spec.outputs.map((o, i) => `<output id="${spec.id}_out${i + 1}"${o.name ? ` name="${o.name}"` : ''} typeRef="${o.typeRef ?? 'string'}">${o.values ? `<outputValues id="${spec.id}_ov${i + 1}"><text>${esc(o.values)}</text></outputValues>` : ''}</output>`).join('');
  const rules = spec.rules.map((cells, r) => {
    const ins = cells.slice(0, spec.inputs.length).map((c, i) => `<inputEntry id="${spec.id}_r${r + 1}_i${i}"><text>${esc(c)}</text></inputEntry>`).join('');
    const outs = cells.slice(spec.inputs.length).map((c, i) => `<outputEntry id="${spec.id}_r${r + 1}_o${i}"><text>${esc(c)}</text></outputEntry>`).join('');
    return `<rule id="${spec.id}_r${r + 1}">${ins}${outs}</rule>`;
  }).join('');
  const ext = spec.versionTag ? `<extensionElements><zeebe:versionTag value="${spec.versionTag}" /></extensionElements>` : '';
  return `<decision id="${spec.id}" name="${esc(spec.name ?? spec.id)}">${ext}${requirements(spec.requires)}<decisionTable id="${spec.id}_table"${attrs}>${inputs}${outputs}${rules}</decisionTable></decision>`;
}

export function literalDecision(spec: LiteralSpec): string {
  return `<decision id="${spec.id}" name="${esc(spec.name ?? spec.id)}">${requirements(spec.requires)}<variable id="${spec.id}_var" name="${spec.id}" /><literalExpression id="${spec.id}_le"><text>${esc(spec.expression)}</text></literalExpression></decision>`;
}

export function dmnDocument(decisions: string[], id = 'drd', namespace = 'https://www.omg.org/spec/DMN/20191111/MODEL/'): string {
  return `<?xml version="1.0" encoding="UTF-8"?>
<definitions xmlns="${namespace}" xmlns:zeebe="http://camunda.org/schema/zeebe/1.0" id="${id}" name="${id}" namespace="http://camunda.org/schema/1.0/dmn">${decisions.join('')}</definitions>`;
}
