import { CATALOG_TASK_TYPES } from '../../catalogTaskTypes';
import type { LintNode, Reporter, RuleFactory } from '../types';

type WithExtensions = LintNode & { extensionElements?: { values?: Array<{ $type?: string; type?: string }> } };

/** The live message of the compiler's warning (processes/compiler/translate/job.ts), so the designer shows it while drawing. */
export const externalJobMessage = (type: string) =>
  `task type '${type}' is served by an external worker: it is not in the activity catalog, so its jobs wait until a worker activates them (GET /api/jobs?type=${type})`;

/**
 * A job type outside the activity catalog is not an error (Camunda serves any type with job
 * workers, and so do we: docs/integrations.md), but a designer should know that nothing runs
 * it in-process: a typo in a catalog type looks exactly like this.
 */
const externalJobType: RuleFactory = () => ({
  check(node: LintNode, reporter: Reporter) {
    const values = (node as WithExtensions).extensionElements?.values;
    if (!Array.isArray(values)) return;
    const definition = values.find((v) => v?.$type === 'zeebe:TaskDefinition');
    const type = definition?.type?.trim();
    if (!type || type.startsWith('=') || CATALOG_TASK_TYPES.has(type)) return;
    reporter.report(node.id, externalJobMessage(type));
  },
});

export default externalJobType;
