// @ts-check
import js from '@eslint/js';
import tseslint from 'typescript-eslint';
import { builtinModules } from 'node:module';

/** Node built-ins and I/O libraries: forbidden where code must be deterministic. */
const ioModules = [
  ...builtinModules,
  ...builtinModules.map((m) => `node:${m}`),
  'mongoose', 'mongodb', 'express', 'axios', 'nodemailer', 'pino',
  '@temporalio/client', '@temporalio/worker', '@temporalio/activity', '@temporalio/testing',
];
const nondeterminism = [
  { object: 'Date', property: 'now', message: 'Time must come from the workflow or a stimulus.' },
  { object: 'Math', property: 'random', message: 'Randomness breaks replay.' },
];

/**
 * Layers, lowest first: processes → workflows → activities → server. A layer may import the
 * ones before it, never one after it (nor bench/, tests/, scripts/). web/ is separate: it may
 * import processes/ only (the designer reuses the lint rules, the SLA descriptor and the
 * calendars), and no layer imports web/. Imports are relative, so a pattern matches the
 * `../` chain that climbs to the repository root and the top-level folder after it (no layer
 * has a subfolder named like a top-level one).
 */
const outside = (folders) => `^(\\.\\./)+(${folders.join('|')})(/|$)`;
const layerRule = (layer, folders, why) => [{ regex: outside(folders), message: `${layer}/ must not import this (${why}); see docs/architecture.md, "Layers".` }];
/**
 * Documented exception (docs/architecture.md): workflow code names its activities through
 * their contracts (Temporal's proxyActivities needs the interface and the options); these files
 * are deterministic and import nothing from activities' integration code.
 */
const activityContracts = ['jobContract', 'calledProcess/contract', 'signals/contract', 'probe'];
const layers = {
  processes: { patterns: layerRule('processes', ['workflows', 'activities', 'server', 'web', 'bench', 'tests', 'scripts'], 'the lowest layer') },
  workflows: {
    patterns: layerRule('workflows', [`activities(?!/(${activityContracts.join('|')})$)`, 'server', 'web', 'bench', 'tests', 'scripts'], 'only processes/ and the activity contracts are below it'),
  },
  activities: { patterns: layerRule('activities', ['server', 'web', 'bench', 'tests', 'scripts'], 'server/ is above it: declare a port in activities/ instead') },
  server: { patterns: layerRule('server', ['web', 'bench', 'tests', 'scripts'], 'web/ is a separate bundle') },
  'web/src': { patterns: layerRule('web', ['workflows', 'activities', 'server', 'bench', 'tests', 'scripts'], 'the browser bundle shares only processes/') },
};

/**
 * The HTTP edge (docs/architecture.md, "The HTTP edge"; decision 0048): services and domain code
 * throw domain errors (server/domain/errors.ts) and never import server/http, which maps them to
 * statuses. Only the edge may: server/http itself, the routers (`router.ts`, `*Router.ts`,
 * `*Routes.ts`) and the supervisor step that serves the app (server/supervisor/http.ts).
 */
const httpEdge = ['server/http/**', 'server/**/router.ts', 'server/**/*Router.ts', 'server/**/*Routes.ts', 'server/supervisor.ts', 'server/supervisor/http.ts'];
const httpImport = {
  regex: '^(\\./|(\\.\\./)+)http(/|$)',
  message: 'Only the HTTP edge imports server/http: throw a domain error (server/domain/errors.ts), declare routes in a router; see docs/architecture.md, "The HTTP edge".',
};

export default tseslint.config(
  { ignores: ['node_modules/**', 'dist/**', 'data/**', 'coverage/**', 'test-artifacts/**', 'web/dist/**', '**/*.mjs'] },
  js.configs.recommended,
  ...tseslint.configs.recommended,
  {
    languageOptions: {
      parserOptions: { projectService: true, tsconfigRootDir: import.meta.dirname },
    },
    rules: {
      '@typescript-eslint/no-floating-promises': 'error',
      '@typescript-eslint/no-misused-promises': ['error', { checksVoidReturn: { arguments: false } }],
      '@typescript-eslint/no-unused-vars': ['error', { argsIgnorePattern: '^_', varsIgnorePattern: '^_' }],
      '@typescript-eslint/consistent-type-imports': 'error',
    },
  },
  // The direction of imports (docs/architecture.md, "Layers"): one no-restricted-imports entry
  // per layer; the deterministic folders below repeat their layer's patterns, because a later
  // entry replaces an earlier one's options for the same rule.
  ...Object.entries(layers).map(([layer, { patterns }]) => ({
    files: [`${layer}/**/*.ts`],
    rules: { 'no-restricted-imports': ['error', { patterns }] },
  })),
  {
    files: ['server/**/*.ts'],
    ignores: httpEdge,
    rules: { 'no-restricted-imports': ['error', { patterns: [...layers.server.patterns, httpImport] }] },
  },
  ...[
    // Workflow code runs in Temporal's deterministic sandbox; the evaluator is pure.
    { layer: 'workflows', files: ['workflows/**/*.ts'] },
    { layer: 'processes', files: ['processes/evaluator/**/*.ts', 'processes/model/**/*.ts', 'processes/feel/**/*.ts', 'processes/timers/**/*.ts', 'processes/calendar/**/*.ts', 'processes/dmn/**/*.ts'] },
  ].map(({ layer, files }) => ({
    files,
    rules: {
      'no-restricted-imports': ['error', {
        paths: ioModules.map((name) => ({ name, message: 'No I/O or Node built-ins in deterministic code.' })),
        patterns: layers[layer].patterns,
      }],
      'no-restricted-properties': ['error', ...nondeterminism],
      'no-restricted-globals': ['error', 'setTimeout', 'setInterval', 'process', 'require'],
    },
  })),
  {
    // Plain CommonJS scripts that run before node_modules exists (provisioning, config).
    files: ['**/*.cjs', '*.js'],
    ...tseslint.configs.disableTypeChecked,
    languageOptions: {
      ...tseslint.configs.disableTypeChecked.languageOptions,
      sourceType: 'commonjs',
      globals: { require: 'readonly', module: 'writable', process: 'readonly', __dirname: 'readonly', console: 'readonly', setInterval: 'readonly', clearInterval: 'readonly' },
    },
    rules: { ...tseslint.configs.disableTypeChecked.rules, '@typescript-eslint/no-require-imports': 'off' },
  },
  {
    files: ['tests/**/*.ts'],
    rules: { '@typescript-eslint/no-non-null-assertion': 'off' },
  },
);
