import { runHandler } from './handlers';
import { complete, completeAdHoc, terminate } from './lifecycle';
import type { Dispatch } from './run';

/**
 * The one place that ties the element lifecycle to the element behaviours (see `Dispatch` in
 * run.ts): every other module gets them through `run.dispatch`.
 */
export const DISPATCH: Dispatch = { behaviour: runHandler, complete, terminate, completeAdHoc };
