import type { ModdleWarning } from 'bpmn-moddle';
import type { MElement } from './moddleTypes';
import type { Problem } from './problems';
import { enclosingIds } from './xmlLocate';

/** Past this many, the rest of moddle's warnings are summarised in one problem. */
const MAX_REPORTED = 200;

/** Diagram interchange (layout) types: BPMN DI, and the DC and DI namespaces it uses. */
const DI_TYPE = /^(bpmndi|dc|di):/;

/**
 * moddle's import warnings, as problems. Every one is an error except the encoding notice
 * (the text has been decoded by then) and problems of the diagram interchange: a dropped
 * attribute, an unknown element or an unresolved reference would otherwise change the process
 * silently, but the DI (a shape pointing at a missing element, an unknown attribute on an
 * edge) only draws it — Camunda ignores it, so it is a warning (a duplicate id stays an error:
 * which element the id names would be a guess).
 */
export function warningsToProblems(
  xml: string,
  warnings: readonly ModdleWarning[],
  elementsById: ReadonlyMap<string, MElement>,
  input: 'bytes' | 'string',
): Problem[] {
  const shown = warnings.slice(0, MAX_REPORTED);
  const positions = shown.map((w) => positionOf(w.message));
  const located = enclosingIds(xml, positions.map((p) => p ?? { line: 0, column: 0 }));
  const problems = shown.map((w, k): Problem => {
    const message = w.message.split('\n')[0] ?? w.message;
    const encoding = /^unsupported document encoding <([^>]*)>/.exec(message)?.[1];
    if (encoding !== undefined) {
      // guardXml decodes bytes with the declared encoding; a string arrives already decoded.
      const how = input === 'bytes' ? `the bytes were decoded as ${encoding}` : 'the text was taken as already decoded';
      return { elementId: null, elementType: null, message: `document-level: the XML declaration names encoding ${encoding}; ${how}`, severity: 'warning' };
    }
    const id = w.element?.id ?? (positions[k] ? located[k] ?? null : null);
    const element = id === null ? undefined : elementsById.get(id);
    // An element moddle could not read is not in elementsById; its tag name is the next best.
    const tag = id === null ? undefined : /^unparsable content <([^>\s]+)>/.exec(message)?.[1];
    const type = w.element?.$type ?? element?.$type ?? tag ?? null;
    const detail = /nested error: (.*)$/m.exec(w.message)?.[1];
    const where = positions[k] ? ` at line ${(positions[k]?.line ?? 0) + 1}` : '';
    const text = detail ? `${message}${where}: ${detail}` : `${message}${where}`;
    const diagramOnly = DI_TYPE.test(w.element?.$type ?? tag ?? '') && !/duplicate ID/i.test(w.message);
    if (diagramOnly) {
      const note = `${text} (diagram interchange only: ignored, the process runs without it)`;
      return { elementId: id, elementType: type, message: id === null ? `document-level: ${note}` : note, severity: 'warning' };
    }
    return { elementId: id, elementType: type, message: id === null ? `document-level: ${text}` : text, severity: 'error' };
  });
  if (warnings.length > MAX_REPORTED) {
    problems.push({
      elementId: null,
      elementType: null,
      message: `document-level: ${warnings.length - MAX_REPORTED} more XML import problems not shown`,
      severity: 'error',
    });
  }
  return problems;
}

function positionOf(message: string): { line: number; column: number } | null {
  const m = /line: (\d+)\s+column: (\d+)/.exec(message);
  return m ? { line: Number(m[1]), column: Number(m[2]) } : null;
}
