// Every workflow type the worker registers. The worker bundles this file for Temporal's sandbox.
export { healthProbe } from './healthProbe';
export { processInstance } from './processInstance';
export { timerStarts } from './timerStarts';
export { migrationBatch } from './migrationBatch';
