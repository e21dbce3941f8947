/**
 * The task types (`zeebe:taskDefinition type`) the activity catalog can run.
 * The compiler rejects a diagram whose service task names a type not listed here.
 * Kept beside the catalog and in sync with it by tests/unit/catalog (issue: durable execution).
 */
export const CATALOG_TASK_TYPES: ReadonlySet<string> = new Set(['http.request', 'variables.set']);
