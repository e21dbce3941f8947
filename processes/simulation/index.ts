/**
 * What-if simulation and diagram coverage (README.md): pure, no I/O and no clock, so the
 * server runs it on a worker thread and the tests and the benchmark run it directly.
 */
export { simulate, DEFAULT_SIMULATION_DEFAULTS } from './simulate';
export { steer, STEERING_VARIABLE } from './steer';
export { flowsTaken, elementActivations } from './flows';
export type { ElementEventRow } from './flows';
export { CoverageCounter, formatCoverage } from './coverage';
export type { DiagramCoverage } from './coverage';
export { seededRandom } from './random';
export { MessagePayloads, payloadNames } from './messagePayloads';
export type * from './types';
