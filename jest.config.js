// ESM-only packages (bpmn-moddle 10, feelin 8 and their dependencies) are transformed to
// CommonJS by swc so that jest's module system can load them; Node itself loads them natively.
const esmPackages = [
  'bpmn-moddle', 'moddle', 'moddle-xml', 'saxen', 'min-dash', 'zeebe-bpmn-moddle',
  'feelin', 'lezer-feel', '@lezer', 'luxon', 'bpmnlint-utils', '@bpmn-io',
];

/** @type {import('jest').Config} */
module.exports = {
  testEnvironment: 'node',
  roots: ['<rootDir>/tests'],
  testMatch: ['**/*.test.ts'],
  transform: {
    '^.+\\.(t|j|mj|cj)s$': ['@swc/jest', {
      jsc: { parser: { syntax: 'typescript' }, target: 'es2022' },
      module: { type: 'commonjs' },
    }],
  },
  transformIgnorePatterns: [`/node_modules/(?!(${esmPackages.join('|')})/)`],
  moduleFileExtensions: ['ts', 'js', 'mjs', 'cjs', 'json'],
  globalSetup: '<rootDir>/tests/support/globalSetup.ts',
  globalTeardown: '<rootDir>/tests/support/globalTeardown.ts',
  testTimeout: 60_000,
  maxWorkers: 2,
};
