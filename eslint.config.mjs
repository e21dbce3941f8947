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
  {
    // Workflow code runs in Temporal's deterministic sandbox; the evaluator is pure.
    files: ['workflows/**/*.ts', 'processes/evaluator/**/*.ts', 'processes/model/**/*.ts', 'processes/feel/**/*.ts', 'processes/timers/**/*.ts', 'processes/calendar/**/*.ts'],
    rules: {
      'no-restricted-imports': ['error', { paths: ioModules.map((name) => ({ name, message: 'No I/O or Node built-ins in deterministic code.' })) }],
      'no-restricted-properties': ['error', ...nondeterminism],
      'no-restricted-globals': ['error', 'setTimeout', 'setInterval', 'process', 'require'],
    },
  },
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
