export * from './types';
export { indexModel } from './indexModel';
export type { ModelIndex } from './indexModel';
