/**
 * How the service's workflows are bundled for Temporal's sandbox. Kept apart from worker.ts
 * (which loads every integration) so that tests and benchmarks can bundle cheaply.
 */
import type { BundleOptions } from '@temporalio/worker';

/**
 * Modules that every workflow of a worker shares instead of loading its own copy (Temporal's
 * `preloadModules`, decision 0015): the evaluator with FEEL (feelin and its parser) and the
 * timers, and the job contract with the catalog's data. Otherwise each new workflow runs all
 * their module code again, and the code all workflows share meets each workflow's own
 * classes (slower, and garbage). They are pure: no per-workflow state (their caches are keyed
 * by model object), nothing read from a workflow while loading. Temporal freezes their exports.
 */
export const SHARED_WORKFLOW_MODULES = [require.resolve('../processes/evaluator'), require.resolve('../activities/jobContract')];

/** Options of `bundleWorkflowCode` for the service's workflows, or for another entry (tests). */
export function workflowBundleOptions(logger: BundleOptions['logger'], workflowsPath = require.resolve('../workflows')): BundleOptions {
  // Failure messages and stacks into encrypted payloads, in the sandbox as outside (decision 0023).
  return { workflowsPath, logger, preloadModules: SHARED_WORKFLOW_MODULES, failureConverterPath: require.resolve('../workflows/failureConverter') };
}
