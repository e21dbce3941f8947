// ESM-only packages (bpmn-moddle 10, feelin 8 and their dependencies) are transformed to
// CommonJS by swc so that jest's module system can load them; Node itself loads them natively.
const esmPackages = [
  'bpmn-moddle', 'dmn-moddle', 'moddle', 'moddle-xml', 'saxen', 'min-dash', 'zeebe-bpmn-moddle',
  'feelin', 'lezer-feel', '@lezer', 'temporal-polyfill', 'temporal-spec', 'temporal-utils',
  'bpmn-engine', 'bpmn-elements', 'smqp', 'moddle-context-serializer', 'piso', 'moddle-utils', 'bpmnlint-utils', '@bpmn-io',
  // sanitize-html's parser (server/api/instances/formSanitising.ts)
  'htmlparser2', 'domhandler', 'domutils', 'dom-serializer', 'domelementtype', 'entities',
];

const common = {
  testEnvironment: 'node',
  transform: {
    '^.+\\.(t|j|mj|cj)s$': ['@swc/jest', {
      jsc: { parser: { syntax: 'typescript' }, target: 'es2022' },
      module: { type: 'commonjs' },
    }],
  },
  transformIgnorePatterns: [`/node_modules/(?!(${esmPackages.join('|')})/)`],
  moduleFileExtensions: ['ts', 'js', 'mjs', 'cjs', 'json'],
  // API_CHECK_RESPONSES=1 for every test, and a test fails when an answer of ours did not fit its
  // declared response schema (decision 0048).
  setupFilesAfterEnv: ['<rootDir>/tests/support/responseCheck.ts'],
};

/** @type {import('jest').Config} */
module.exports = {
  testTimeout: 60_000,
  maxWorkers: 2,
  projects: [
    // Pure code: compiler, evaluator, FEEL, schemas. No servers.
    { ...common, displayName: 'unit', testMatch: ['<rootDir>/tests/unit/**/*.test.ts'] },
    // Real Temporal dev server, FerretDB, HTTP: started once per run by the global setup.
    {
      ...common,
      displayName: 'integration',
      testMatch: ['<rootDir>/tests/integration/**/*.test.ts'],
      globalSetup: '<rootDir>/tests/support/globalSetup.ts',
      globalTeardown: '<rootDir>/tests/support/globalTeardown.ts',
    },
  ],
};
