/**
 * The task types (`zeebe:taskDefinition type`) the activity catalog can run.
 * The compiler rejects a diagram whose service task names a type not listed here.
 * Derived from the catalog's manifests (pure data, no integration code is loaded).
 */
import { catalogTaskTypes } from './catalog/manifests';

export const CATALOG_TASK_TYPES: ReadonlySet<string> = catalogTaskTypes();
