// The benchmark's workflow bundle: the product's generic workflow and its hand-written twin.
export { processInstance } from '../../workflows';
export { handWritten } from './handWritten';
