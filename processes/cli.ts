/**
 * `npm run bpmn -- validate a.bpmn b.bpmn [--json]` and `npm run bpmn -- compile a.bpmn`.
 * Thin: argument handling and printing only; I/O is injected so tests need no process.
 */
import { readFile } from 'node:fs/promises';
import type { Problem } from './compiler';
import { compileBpmn } from './compiler';

export interface CliIo {
  stdout(text: string): void;
  stderr(text: string): void;
  readFile(path: string): Promise<Uint8Array>;
}

export const USAGE = [
  'usage: bpmn validate <file.bpmn>... [--json]   print every problem; exit 1 on any error',
  '       bpmn compile <file.bpmn>                print the compiled model as JSON',
].join('\n');

/** Runs the CLI; resolves to the exit code (0 ok, 1 problems with errors, 2 usage). */
export async function main(argv: readonly string[], io: CliIo): Promise<number> {
  const [command, ...rest] = argv;
  const json = rest.includes('--json');
  const files = rest.filter((a) => a !== '--json');
  if ((command !== 'validate' && command !== 'compile') || files.length === 0 || (command === 'compile' && files.length > 1)) {
    io.stderr(`${USAGE}\n`);
    return 2;
  }
  const inputs: Array<{ file: string; bytes: Uint8Array }> = [];
  for (const file of files) {
    try {
      inputs.push({ file, bytes: await io.readFile(file) });
    } catch (err) {
      io.stderr(`${file}: cannot read: ${err instanceof Error ? err.message : String(err)}\n${USAGE}\n`);
      return 2;
    }
  }
  return command === 'compile' ? compile(inputs[0]!, io) : validate(inputs, json, io);
}

async function validate(inputs: Array<{ file: string; bytes: Uint8Array }>, json: boolean, io: CliIo): Promise<number> {
  const results = [];
  for (const { file, bytes } of inputs) {
    const result = await compileBpmn(bytes);
    results.push({ file, ok: result.ok, problems: result.problems });
    if (!json) for (const p of result.problems) io.stdout(`${formatProblem(file, p)}\n`);
  }
  if (json) io.stdout(`${JSON.stringify(results, null, 2)}\n`);
  return results.every((r) => r.ok) ? 0 : 1;
}

async function compile({ file, bytes }: { file: string; bytes: Uint8Array }, io: CliIo): Promise<number> {
  const result = await compileBpmn(bytes);
  for (const p of result.problems) io.stderr(`${formatProblem(file, p)}\n`);
  if (!result.document) return 1;
  io.stdout(`${JSON.stringify(result.document, null, 2)}\n`);
  return 0;
}

/** `file: severity elementId (elementType): message`; document-level problems say so. */
export function formatProblem(file: string, p: Problem): string {
  return `${file}: ${p.severity} ${p.elementId ?? '-'} (${p.elementType ?? 'document'}): ${p.message}`;
}

/* istanbul ignore next -- the binary entry point; main() is what the tests exercise */
if (require.main === module) {
  const io: CliIo = {
    stdout: (text) => process.stdout.write(text),
    stderr: (text) => process.stderr.write(text),
    readFile: (path) => readFile(path),
  };
  void main(process.argv.slice(2), io).then((code) => {
    process.exitCode = code;
  });
}
