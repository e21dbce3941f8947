/**
 * `npm run conformance -- DIR [DIR…] [--json] [--verbose] [--timeout SECONDS] [--expect FILE]`
 *
 * Checks every .bpmn file under the folders (recursively) with the project's compiler and
 * lint, each in a worker thread with a time limit, and prints how many compiled, were
 * refused and crashed, and the refusals grouped by cause. Exit 0 when nothing crashed and
 * every refusal names its elements (and the --expect file is met), 1 otherwise, 2 on usage.
 */
import { readdir, readFile, stat } from 'node:fs/promises';
import path from 'node:path';
import { CONFORMANCE_MAX_BYTES, reasonOf } from './check';
import type { Expectations } from './expectations';
import { parseExpectations } from './expectations';
import type { FileResult } from './report';
import { formatJson, formatText, plural, summarise } from './report';
import type { Runner } from './runner';
import { workerRunner } from './runner';

export interface ConformanceIo {
  stdout(text: string): void;
  stderr(text: string): void;
  /** Paths of the .bpmn files under dir, relative to it, sorted; rejects when dir is not a folder. */
  listBpmn(dir: string): Promise<string[]>;
  readText(file: string): Promise<string>;
  runner(options: { timeoutMs: number }): Runner;
  now(): number;
}

export const USAGE = [
  'usage: conformance DIR [DIR…] [--json] [--verbose] [--timeout SECONDS] [--expect FILE]',
  '  checks every .bpmn file under the folders; exit 0 when nothing crashed and every',
  '  refusal names its elements, 1 otherwise, 2 on a usage error',
  '  --json         the report as JSON',
  '  --verbose      one line per file, with its errors',
  '  --timeout S    time limit per file in seconds (default 10); over it the file is crashed',
  '  --expect FILE  JSON expectations (file count, problems of chosen files), see tests/conformance/',
].join('\n');

export const DEFAULT_TIMEOUT_SECONDS = 10;

interface Args {
  dirs: string[];
  json: boolean;
  verbose: boolean;
  timeoutMs: number;
  expect: string | null;
}

export function parseArgs(argv: readonly string[]): Args | string {
  const args: Args = { dirs: [], json: false, verbose: false, timeoutMs: DEFAULT_TIMEOUT_SECONDS * 1000, expect: null };
  for (let k = 0; k < argv.length; k++) {
    const arg = argv[k]!;
    const [flag, inline] = arg.startsWith('--') && arg.includes('=') ? [arg.slice(0, arg.indexOf('=')), arg.slice(arg.indexOf('=') + 1)] : [arg, undefined];
    const value = () => inline ?? argv[++k];
    if (flag === '--json') args.json = true;
    else if (flag === '--verbose' || flag === '-v') args.verbose = true;
    else if (flag === '--timeout') {
      const seconds = Number(value());
      if (!Number.isFinite(seconds) || seconds <= 0) return '--timeout needs a positive number of seconds';
      args.timeoutMs = Math.round(seconds * 1000);
    } else if (flag === '--expect') {
      const file = value();
      if (!file) return '--expect needs a file';
      args.expect = file;
    } else if (flag.startsWith('-')) return `unknown option ${flag}`;
    else args.dirs.push(arg);
  }
  if (args.dirs.length === 0) return 'no folder given';
  return args;
}

/** Runs the command; resolves to the exit code. */
export async function main(argv: readonly string[], io: ConformanceIo): Promise<number> {
  const args = parseArgs(argv);
  if (typeof args === 'string') {
    io.stderr(`${args}\n${USAGE}\n`);
    return 2;
  }
  let expectations: Expectations | null = null;
  if (args.expect !== null) {
    try {
      expectations = parseExpectations(await io.readText(args.expect));
    } catch (err) {
      io.stderr(`${args.expect}: bad expectations: ${reasonOf(err)}\n`);
      return 2;
    }
  }
  const found: Array<{ dir: string; relative: string; file: string }> = [];
  for (const dir of args.dirs) {
    try {
      for (const relative of await io.listBpmn(dir)) found.push({ dir, relative, file: path.join(dir, relative) });
    } catch (err) {
      io.stderr(`${dir}: cannot list: ${reasonOf(err)}\n${USAGE}\n`);
      return 2;
    }
  }

  const runFailures: string[] = [];
  if (found.length === 0) runFailures.push(`no .bpmn files under ${args.dirs.join(', ')}`);
  if (expectations?.files !== undefined && expectations.files !== found.length) {
    runFailures.push(`expected ${plural(expectations.files, '.bpmn file')}, found ${found.length}`);
  }
  for (const name of Object.keys(expectations?.expect ?? {})) {
    if (!found.some((f) => f.relative === name)) runFailures.push(`${name}: expected file not found`);
  }

  const runner = io.runner({ timeoutMs: args.timeoutMs });
  const results: FileResult[] = [];
  try {
    for (const { relative, file } of found) {
      const expect = expectations?.expect[relative];
      const started = io.now();
      const check = await runner.run({ file, options: { maxBytes: CONFORMANCE_MAX_BYTES, ...(expect ? { expect } : {}) } });
      results.push({ ...check, file, ms: Math.round(io.now() - started) });
    }
  } finally {
    await runner.close();
  }

  const summary = summarise(results, { failures: runFailures });
  if (args.json) {
    io.stdout(formatJson(summary));
    for (const reason of summary.failures) io.stderr(`conformance failed: ${reason}\n`);
  } else {
    io.stdout(formatText(summary, args.verbose));
  }
  return summary.failures.length === 0 ? 0 : 1;
}

/** The .bpmn files under dir (any depth), relative to it, sorted; symlinked folders are not followed. */
export async function listBpmn(dir: string): Promise<string[]> {
  if (!(await stat(dir)).isDirectory()) throw new Error('not a folder');
  const out: string[] = [];
  const pending = [''];
  while (pending.length > 0) {
    const below = pending.pop()!;
    for (const entry of await readdir(path.join(dir, below), { withFileTypes: true })) {
      const relative = path.join(below, entry.name);
      if (entry.isDirectory()) pending.push(relative);
      else if (/\.bpmn$/i.test(entry.name) && (entry.isFile() || entry.isSymbolicLink())) out.push(relative);
    }
  }
  return out.sort((a, b) => (a < b ? -1 : a > b ? 1 : 0));
}

/* istanbul ignore next -- the binary entry point; main() is what the tests exercise */
if (require.main === module) {
  const io: ConformanceIo = {
    stdout: (text) => process.stdout.write(text),
    stderr: (text) => process.stderr.write(text),
    listBpmn,
    readText: (file) => readFile(file, 'utf8'),
    runner: (options) => workerRunner(options),
    now: () => performance.now(),
  };
  void main(process.argv.slice(2), io).then((code) => {
    process.exitCode = code;
  });
}
