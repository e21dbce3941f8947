/**
 * Which variables a task completion may set: the keys of its form-js form and the names its
 * output mappings declare. Anything else is refused (400, with the field paths) so a user
 * cannot plant process variables the diagram never asked them for (e.g. raise an approval
 * limit that a later gateway reads). docs/security.md, "Authorization rules".
 */
import type { ElementDef } from '../../processes/model/types';
import { Invalid } from '../domain/errors';

/** The top-level name of a dotted path (`a.b` -> `a`). */
const head = (path: string) => path.split('.')[0]!.trim();

/** A FEEL source that only names a variable (or a path in it): `x`, `x.y`. */
const SIMPLE_NAME = /^\s*([A-Za-z_][A-Za-z0-9_]*)(?:\.[A-Za-z_][A-Za-z0-9_]*)*\s*$/;

/**
 * The variable names a form-js schema fills: every component's `key`; a group or dynamic list
 * with a `path` fills that one variable with everything inside it.
 */
export function formVariables(schema: Record<string, unknown>): Set<string> {
  const names = new Set<string>();
  const visit = (components: unknown) => {
    if (!Array.isArray(components)) return;
    for (const c of components as Array<Record<string, unknown>>) {
      if (!c || typeof c !== 'object') continue;
      if (typeof c.path === 'string' && c.path.trim() !== '') {
        names.add(head(c.path));
        continue;
      }
      if (typeof c.key === 'string' && c.key.trim() !== '' && c.type !== 'button') names.add(head(c.key));
      visit(c.components);
    }
  };
  visit(schema.components);
  return names;
}

/**
 * The variable names an element's output mappings declare: each target, and each source that
 * simply names a variable (`<zeebe:output source="=amount" target="compensation" />` takes
 * `amount` from the completion).
 */
export function outputVariables(element: Pick<ElementDef, 'outputs'>): Set<string> {
  const names = new Set<string>();
  for (const m of element.outputs) {
    names.add(head(m.target));
    const simple = SIMPLE_NAME.exec(m.source);
    if (simple) names.add(simple[1]!);
  }
  return names;
}

/** Refuses (400, `undeclared_variables`, with every offending field) what the task did not declare. */
export function checkDeclaredVariables(taskId: string, variables: Record<string, unknown>, declared: ReadonlySet<string>): void {
  const undeclared = Object.keys(variables).filter((name) => !declared.has(name));
  if (undeclared.length === 0) return;
  throw new Invalid('undeclared_variables',
    `Task '${taskId}' may set only the variables its form or output mapping declares${declared.size ? ` (${[...declared].sort().join(', ')})` : ' (none)'}`,
    { fields: undeclared.map((name) => ({ path: `variables.${name}`, message: 'not declared by the task\'s form or output mapping' })) });
}
